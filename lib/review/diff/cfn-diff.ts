// CloudFormation changes between two syntheses of a stack with @aws-cdk/cloudformation-diff (the engine
// behind `cdk diff`): per-resource impact (replace, destroy, orphan), IAM statement and managed-policy
// additions, security group changes. Stateful replacements and broadened permissions are flagged.
import { JsonObject } from '../json';
import { ResourceChangeRow, StackChanges, StackReview } from '../model';
import { CFN_STATEFUL_TYPES } from './stateful';
import { comparePermissions, newEntryPoints } from './permission-diff';

type CfnDiffModule = typeof import('@aws-cdk/cloudformation-diff');

/**
 * Loaded on first use: it is only needed with `--previous`, and it loads the CloudFormation resource
 * specification (seconds). Consumers need `@aws-cdk/cloudformation-diff` installed to diff.
 */
function loadDiff(): CfnDiffModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@aws-cdk/cloudformation-diff') as CfnDiffModule;
  } catch {
    throw new Error('Comparing CloudFormation templates needs @aws-cdk/cloudformation-diff: npm install --save-dev @aws-cdk/cloudformation-diff');
  }
}

const IMPACT_WORDS: Readonly<Record<string, string>> = {
  WILL_CREATE: 'add', WILL_UPDATE: 'update', WILL_REPLACE: 'replace', WILL_DESTROY: 'remove', WILL_ORPHAN: 'remove (retained)', WILL_IMPORT: 'import', MAY_REPLACE: 'may replace', NO_CHANGE: 'no change',
};

export interface CfnStackPair {
  readonly name: string;
  readonly previous?: { readonly template: JsonObject; readonly review: StackReview };
  readonly current?: { readonly template: JsonObject; readonly review: StackReview };
}

export function diffCfnStack(pair: CfnStackPair): StackChanges {
  const { fullDiff } = loadDiff();
  const diff = fullDiff(pair.previous?.template ?? {}, pair.current?.template ?? {});
  const namer = pair.current?.review ?? pair.previous?.review;
  const resources: ResourceChangeRow[] = [];
  diff.resources.forEachDifference((logicalId, change) => {
    const impact = String(change.changeImpact);
    const type = change.newResourceType ?? change.oldResourceType ?? 'unknown';
    const changedAttributes = Object.entries(change.propertyUpdates).map(([prop, update]) =>
      `${prop}${String(update.changeImpact) === 'WILL_REPLACE' ? ' (forces replacement)' : String(update.changeImpact) === 'MAY_REPLACE' ? ' (may force replacement)' : ''}`);
    for (const key of Object.keys(change.otherChanges)) changedAttributes.push(key);
    const flags: string[] = [];
    if (CFN_STATEFUL_TYPES.has(type)) {
      if (impact === 'WILL_REPLACE') flags.push('stateful resource replaced: a new, empty one is created and the old one is deleted or retained per its DeletionPolicy');
      else if (impact === 'MAY_REPLACE') flags.push('stateful resource may be replaced');
      else if (impact === 'WILL_DESTROY') flags.push('stateful resource deleted with its data');
      else if (impact === 'WILL_ORPHAN') flags.push('stateful resource leaves the stack (retained, no longer managed)');
    }
    resources.push({ resource: logicalId, type, impact: IMPACT_WORDS[impact] ?? impact, changedAttributes, flags });
  });
  const notes: string[] = [];
  for (const statement of diff.iamChanges.statements.additions) {
    const r = statement.render();
    notes.push(`IAM statement added: ${r.effect} ${r.action} on ${r.resource}${r.principal ? ` for ${r.principal}` : ''}${r.condition ? ` when ${r.condition.replace(/\s+/g, ' ')}` : ''}`);
  }
  for (const statement of diff.iamChanges.statements.removals) {
    const r = statement.render();
    notes.push(`IAM statement removed: ${r.effect} ${r.action} on ${r.resource}`);
  }
  for (const attachment of diff.iamChanges.managedPolicies.additions) notes.push(`managed policy attached: ${attachment.managedPolicyArn} to ${attachment.identityArn}`);
  if (diff.iamChanges.permissionsBroadened) notes.unshift('IAM permissions broadened (cloudformation-diff)');
  if (diff.securityGroupChanges.hasChanges) {
    const [, ...rows] = diff.securityGroupChanges.summarize();
    for (const row of rows) notes.push(`security group rule ${row.map((c) => c.replace(/\s+/g, ' ')).join(' | ')}`);
  }
  const { added, removed } = comparePermissions(pair.previous?.review, pair.current?.review);
  return {
    name: pair.name,
    cloud: namer?.cloud ?? 'aws',
    status: !pair.previous ? 'new stack' : !pair.current ? 'removed stack' : resources.length || notes.length ? 'changed' : 'unchanged',
    resources,
    permissionsAdded: added,
    permissionsRemoved: removed,
    entryPointsAdded: newEntryPoints(pair.previous?.review, pair.current?.review),
    securityNotes: notes,
  };
}
