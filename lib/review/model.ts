// The review's data: what `reviewAssemblies` finds in each synthesized stack, before it becomes Markdown.
// Every row carries `flags`: short reasons a reviewer should look twice (empty when nothing stands out).
import { CostEstimate } from '../core/cost';
import { ReviewMetadata } from '../core/review-contract';

export type ReviewCloud = 'aws' | 'gcp' | 'azure';

export interface ResourceCount {
  readonly type: string;
  readonly count: number;
}

/** Anything a caller outside the stack can reach, and how it is authenticated. */
export interface EntryPoint {
  readonly resource: string;
  readonly type: string;
  /** `internet`, `private`, `internal`... */
  readonly exposure: string;
  readonly authentication: string;
  readonly flags: readonly string[];
}

/** One permission statement, role binding or role assignment. */
export interface PermissionRow {
  /** The policy, role or binding resource that grants it. */
  readonly source: string;
  /** Who gets it: a role, a principal, a member. */
  readonly grantee: string;
  readonly effect: 'Allow' | 'Deny';
  /** Actions, or roles for role-based clouds. `NotAction` entries start with `NOT `. */
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: string;
  readonly flags: readonly string[];
}

/** Encryption and protection of one data store (or key). */
export interface DataStoreRow {
  readonly resource: string;
  readonly type: string;
  readonly atRest: string;
  readonly inTransit: string;
  /** Public access settings, versioning, retention on delete... */
  readonly protection: string;
  readonly flags: readonly string[];
}

/** An alarm, alert policy or budget, and who it notifies. */
export interface AlarmRow {
  readonly name: string;
  readonly type: string;
  readonly condition: string;
  readonly notifies: readonly string[];
  readonly flags: readonly string[];
}

/** A rule violation reported at synth (cdk-nag, the CloudFormation validator, annotations). */
export interface FindingRow {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly resources: readonly string[];
  readonly description: string;
}

/** A rule acknowledged in code, with its written reason. */
export interface AcknowledgementRow {
  readonly rule: string;
  readonly resource: string;
  readonly reason: string;
}

/** The estimate for one model a stack serves. */
export interface ModelCost {
  readonly metadata: ReviewMetadata;
  readonly estimate?: CostEstimate;
  /** The same spec priced on AWS, GCP and Azure. */
  readonly comparison?: readonly CostEstimate[];
  /** Why no estimate could be made (invalid spec). */
  readonly problem?: string;
}

export interface CostReview {
  readonly models: readonly ModelCost[];
  /** Metadata that could not be read, or its absence. */
  readonly problems: readonly string[];
}

export interface StackReview {
  readonly name: string;
  readonly cloud: ReviewCloud;
  /** The synthesized file that was read. */
  readonly file: string;
  readonly resourceCounts: readonly ResourceCount[];
  readonly entryPoints: readonly EntryPoint[];
  readonly permissions: readonly PermissionRow[];
  readonly dataStores: readonly DataStoreRow[];
  readonly alarms: readonly AlarmRow[];
  /** Open findings; undefined where the toolchain has no rule checker (Terraform). */
  readonly findings?: readonly FindingRow[];
  readonly acknowledgements: readonly AcknowledgementRow[];
  /** How the findings were obtained, e.g. which validation plugins ran. */
  readonly validationNote: string;
  readonly cost: CostReview;
}

/** One changed resource between a previous and the current synthesis. */
export interface ResourceChangeRow {
  readonly resource: string;
  readonly type: string;
  /** `add`, `remove`, `update`, `replace`, `orphan`... */
  readonly impact: string;
  readonly changedAttributes: readonly string[];
  readonly flags: readonly string[];
}

export interface StackChanges {
  readonly name: string;
  readonly cloud: ReviewCloud;
  /** `new stack`, `removed stack` or `changed`. */
  readonly status: 'new stack' | 'removed stack' | 'changed' | 'unchanged';
  readonly resources: readonly ResourceChangeRow[];
  /** Permissions granted now that were not before (IAM widening). */
  readonly permissionsAdded: readonly PermissionRow[];
  readonly permissionsRemoved: readonly PermissionRow[];
  readonly entryPointsAdded: readonly EntryPoint[];
  /** Other security-relevant changes in words (security groups, managed policies...). */
  readonly securityNotes: readonly string[];
}

export function hasFlags(row: { readonly flags: readonly string[] }): boolean {
  return row.flags.length > 0;
}
