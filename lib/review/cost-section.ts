// Prices each model a stack records in its review metadata: the estimate on the stack's cloud with its
// breakdown, and the same spec on AWS, GCP and Azure side by side.
import { CostOptions, TrafficProfile, compareClouds, estimateMonthlyCost } from '../core/cost';
import { REVIEW_METADATA_KEY, ReviewMetadata, parseReviewMetadata } from '../core/review-contract';
import { CostReview, ModelCost } from './model';

/** Options for `costOptions` that the reader of the review chooses, overriding what the stack recorded. */
export interface CostOverrides {
  /** Traffic to price at. @default - the traffic the stack recorded, else the cost model's defaults */
  readonly traffic?: TrafficProfile;
}

export function priceModel(metadata: ReviewMetadata, overrides: CostOverrides = {}): ModelCost {
  const options: CostOptions = { ...metadata.costOptions, traffic: { ...metadata.costOptions?.traffic, ...overrides.traffic } };
  try {
    return { metadata, estimate: estimateMonthlyCost(metadata.spec, metadata.cloud, options), comparison: compareClouds(metadata.spec, options) };
  } catch (error) {
    return { metadata, problem: error instanceof Error ? error.message : String(error) };
  }
}

export function reviewCost(recorded: unknown, where: string, overrides: CostOverrides = {}): CostReview {
  if (recorded === undefined) {
    return { models: [], problems: [`no "${REVIEW_METADATA_KEY}" metadata in ${where}: this stack was not built by deploy-ai-smarter's stacks, so its cost is not estimated`] };
  }
  const { entries, problems } = parseReviewMetadata(recorded, where);
  return { models: entries.map((m) => priceModel(m, overrides)), problems };
}
