// The review of synthesized output (`deploy-ai-smarter/review`): what each stack exposes, grants, encrypts,
// alarms on and costs, as data and as REVIEW.md. Only re-exports: each piece lives in its own file.
export * from '../core/review-contract';
export * from './model';
export type { ReviewOptions, ReviewResult, SynthCostOptions } from './review-assemblies';
export { formatSynthCostLines, locatePrevious, reviewAssemblies } from './review-assemblies';
export { renderReview, renderStack, renderChanges, comparisonTable, FLAG } from './markdown';
export { runReviewCli } from './cli';
