// The contract between the stacks and the review: each stack records the ModelSpec it was built from, so
// `npm run review` can price it without running the app again. Cloud stacks emit it, lib/review reads it; it
// lives in core because both sides depend on it and the clouds must not import the review.
import { Cloud } from './compute-catalog';
import { CostOptions } from './cost';
import { ModelSpec } from './model-spec';
import { JsonObject, isObject } from './private/json';

/**
 * Key under which a stack records its {@link ReviewMetadata}.
 *
 * **AWS (aws-cdk-lib)**: template-level Metadata, which CloudFormation keeps as written:
 * ```ts
 * Stack.of(this).addMetadata(REVIEW_METADATA_KEY, reviewMetadata(spec, 'aws', { mode: 'serverless' }));
 * // -> template.json: { "Metadata": { "deploy-ai-smarter": { "version": 1, "cloud": "aws", "spec": {...} } } }
 * ```
 * **GCP / Azure (cdktf)**: the stack-level `"//"` comment block of `cdk.tf.json`, which cdktf already uses for
 * its own metadata and Terraform ignores (JSON syntax treats `"//"` as a comment):
 * ```ts
 * stack.addOverride(`//.${REVIEW_METADATA_KEY}`, reviewMetadata(spec, 'gcp'));
 * // -> cdk.tf.json: { "//": { "deploy-ai-smarter": { "version": 1, "cloud": "gcp", "spec": {...} }, "metadata": {...} } }
 * ```
 * A stack serving several models records an array of ReviewMetadata under the same key.
 * The review also accepts `locals.deploy_ai_smarter` (a JSON-encoded string or an object) in Terraform JSON.
 */
export const REVIEW_METADATA_KEY = 'deploy-ai-smarter';

/** What a stack records about the model it serves. Plain JSON: it is written into the synthesized output. */
export interface ReviewMetadata {
  /** Contract version; bump when a field changes meaning. */
  readonly version: 1;
  readonly cloud: Cloud;
  /** The ModelSpec as the user gave it (defaults are filled in again when priced). */
  readonly spec: ModelSpec;
  /** Cost-relevant choices the stack made beyond the spec (AWS endpoint mode, function memory...). */
  readonly costOptions?: Omit<CostOptions, 'traffic'> & { readonly traffic?: CostOptions['traffic'] };
}

/** Builds the metadata a stack records; strips nothing, so pass the spec the stack was built from. */
export function reviewMetadata(spec: ModelSpec, cloud: Cloud, costOptions?: ReviewMetadata['costOptions']): ReviewMetadata {
  return costOptions ? { version: 1, cloud, spec, costOptions } : { version: 1, cloud, spec };
}

/** Reads every ReviewMetadata recorded under the key; returns problems for entries that do not fit the contract. */
export function parseReviewMetadata(value: unknown, where: string): { readonly entries: ReviewMetadata[]; readonly problems: string[] } {
  const entries: ReviewMetadata[] = [];
  const problems: string[] = [];
  let raw: unknown = value;
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw);
    } catch {
      return { entries, problems: [`${where}: ${REVIEW_METADATA_KEY} is a string that is not JSON`] };
    }
  }
  for (const item of Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) {
    if (!isObject(item) || !isObject(item.spec) || typeof (item.spec as JsonObject).name !== 'string') {
      problems.push(`${where}: ${REVIEW_METADATA_KEY} entry has no spec with a name`);
      continue;
    }
    const cloud = item.cloud;
    if (cloud !== 'aws' && cloud !== 'gcp' && cloud !== 'azure') {
      problems.push(`${where}: ${REVIEW_METADATA_KEY} cloud ${JSON.stringify(cloud)} is not aws, gcp or azure`);
      continue;
    }
    entries.push({
      version: 1,
      cloud,
      spec: item.spec as unknown as ModelSpec,
      costOptions: isObject(item.costOptions) ? (item.costOptions as ReviewMetadata['costOptions']) : undefined,
    });
  }
  return { entries, problems };
}
