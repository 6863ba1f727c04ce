// GCP naming and location rules shared by the GCP constructs: regions, Cloud Run GPU regions,
// project id / bucket / service-account patterns, and bounded names that stay unique when cut.
import { createHash } from 'crypto';
import { isTokenList, isTokenString, ValidationErrors } from '../../core';

/** Google Cloud regions (Cloud Run locations), checked November 2026 against cloud.google.com/run/docs/locations. */
export const GCP_REGIONS: readonly string[] = [
  'africa-south1',
  'asia-east1', 'asia-east2', 'asia-northeast1', 'asia-northeast2', 'asia-northeast3',
  'asia-south1', 'asia-south2', 'asia-southeast1', 'asia-southeast2',
  'australia-southeast1', 'australia-southeast2',
  'europe-central2', 'europe-north1', 'europe-north2', 'europe-southwest1',
  'europe-west1', 'europe-west2', 'europe-west3', 'europe-west4', 'europe-west6',
  'europe-west8', 'europe-west9', 'europe-west10', 'europe-west12',
  'me-central1', 'me-central2', 'me-west1',
  'mx-central1',
  'northamerica-northeast1', 'northamerica-northeast2', 'northamerica-south1',
  'southamerica-east1', 'southamerica-west1',
  'us-central1', 'us-east1', 'us-east4', 'us-east5', 'us-south1',
  'us-west1', 'us-west2', 'us-west3', 'us-west4',
];

/**
 * Regions where Cloud Run services can attach an NVIDIA L4 GPU (cloud.google.com/run/docs/configuring/services/gpu,
 * read November 2026). asia-south1 is by invitation only. Pass `additionalGpuRegions` when Google adds one.
 */
export const CLOUD_RUN_GPU_REGIONS: readonly string[] = [
  'us-central1', 'us-east4', 'europe-west1', 'europe-west4', 'asia-southeast1', 'asia-south1',
];

/** Project ids: 6-30 characters, lowercase letters, digits, hyphens; start with a letter, no trailing hyphen. */
export const PROJECT_ID_PATTERN = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
/** Bucket names without dots (dotted names need domain verification): 3-63 characters. */
export const BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$/;
/** IAM principals we accept for grants; public principals are refused on purpose. */
const MEMBER_PATTERN = /^(user|serviceAccount|group|domain|principal|principalSet):\S+$/;
const PUBLIC_MEMBERS = ['allUsers', 'allAuthenticatedUsers'];

export function checkProjectId(errors: ValidationErrors, prop: string, value: string): void {
  errors.checkPattern(prop, value, PROJECT_ID_PATTERN,
    '6-30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (a GCP project id)');
}

export function checkRegion(errors: ValidationErrors, prop: string, value: string, extraRegions: readonly string[] = []): boolean {
  if (isTokenString(value)) return true;
  return errors.check([...GCP_REGIONS, ...extraRegions].includes(value), prop, value, `a Google Cloud region such as "us-central1" (one of ${GCP_REGIONS.length} known regions)`);
}

export function checkBucketName(errors: ValidationErrors, prop: string, value: string | undefined): void {
  if (value === undefined || isTokenString(value)) return;
  const ok = BUCKET_NAME_PATTERN.test(value) && !value.startsWith('goog') && !value.includes('google');
  errors.check(ok, prop, value, '3-63 lowercase letters, digits, hyphens or underscores, starting and ending with a letter or digit, not starting with "goog" nor containing "google"');
}

/** Checks literal principals; a list token (members known at apply time) passes, and is granted with for_each. */
export function checkMembers(errors: ValidationErrors, prop: string, members: readonly string[] | undefined): void {
  if (members === undefined || isTokenList(members)) return;
  if (!errors.checkStringList(prop, members, 'a list of IAM principals')) return;
  members.forEach((member, i) => {
    if (isTokenString(member)) return;
    errors.check(!PUBLIC_MEMBERS.includes(member) && MEMBER_PATTERN.test(member), `${prop}[${i}]`, member,
      'an IAM principal such as "user:ana@example.com", "group:...", "serviceAccount:..." (allUsers and allAuthenticatedUsers are refused)');
  });
}

/**
 * Joins parts with hyphens and keeps the result within `max` characters: a name that is too long is cut
 * and suffixed with 8 hex characters of its hash, so two long names never collide.
 */
export function boundedName(parts: readonly string[], max: number): string {
  const full = parts.join('-').replace(/-+/g, '-');
  // A Terraform reference (a project id variable, say) is only known at apply time: cutting it would break it.
  if (full.length <= max || isTokenString(full)) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, max - 9).replace(/-+$/, '')}-${hash}`;
}

/** A construct id made from an IAM member, stable across synths. */
export function memberId(prefix: string, member: string): string {
  return `${prefix}-${member.replace(/[^A-Za-z0-9]+/g, '-')}`;
}


/** Records a problem when a GPU compute class is asked for in a region without Cloud Run GPUs. */
export function checkGpuRegion(errors: ValidationErrors, prop: string, region: string, compute: { readonly id: string; readonly gcp: { readonly cloudRun: { readonly accelerator?: string } } }, extraRegions: readonly string[] = []): void {
  if (!compute.gcp.cloudRun.accelerator || isTokenString(region) || !GCP_REGIONS.includes(region)) return;
  const gpuRegions = [...CLOUD_RUN_GPU_REGIONS, ...extraRegions];
  errors.check(gpuRegions.includes(region), prop, region,
    `a region with Cloud Run GPUs for compute "${compute.id}" (${gpuRegions.join(', ')}), or a CPU compute class`);
}
