// Moved to lib/core/review-contract.ts (the clouds emit it and must not import the review); kept until the three stacks import core.
export * from '../core/review-contract';
