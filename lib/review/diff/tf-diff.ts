// Terraform resource-level changes between two syntheses of a cdktf stack: added, removed and changed
// resources, which changed attributes force a replacement (curated ForceNew table), renamed resources
// (same construct path, new logical name: destroy and create unless a `moved` block says otherwise).
import { JsonObject, asObject, isObject } from '../json';
import { ResourceChangeRow, StackChanges, StackReview } from '../model';
import { TfContext, TfResource, block } from '../tf/context';
import { comparePermissions, newEntryPoints } from './permission-diff';
import { isTfStateful, tfForceNewAttributes } from './stateful';

export interface TfStackPair {
  readonly name: string;
  readonly previous?: { readonly config: JsonObject; readonly review: StackReview };
  readonly current?: { readonly config: JsonObject; readonly review: StackReview };
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (isObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

function changedAttributes(before: TfResource, after: TfResource): string[] {
  const keys = new Set([...Object.keys(before.attrs), ...Object.keys(after.attrs)]);
  keys.delete('//');
  return [...keys].filter((k) => stableJson(before.attrs[k]) !== stableJson(after.attrs[k])).sort();
}

function movedTo(config: JsonObject, from: TfResource): string | undefined {
  for (const moved of Object.values(asObject(config.moved)).concat(Array.isArray(config.moved) ? config.moved : [])) {
    const m = block(moved);
    if (m.from === from.address && typeof m.to === 'string') return m.to;
  }
  return undefined;
}

function destroyFlags(resource: TfResource, what: string): string[] {
  if (!isTfStateful(resource.type)) return [];
  const guarded = block(resource.attrs.lifecycle).prevent_destroy === true ? ' (prevent_destroy set: terraform will refuse the plan until it is lifted)' : '';
  return [`stateful resource ${what}: its data is lost${guarded}`];
}

export function diffTfStack(pair: TfStackPair): StackChanges {
  const before = new TfContext(pair.previous?.config ?? {});
  const after = new TfContext(pair.current?.config ?? {});
  const afterByAddress = new Map(after.resources.map((r) => [r.address, r]));
  const beforeByAddress = new Map(before.resources.map((r) => [r.address, r]));
  const rows: ResourceChangeRow[] = [];
  const renamedTargets = new Set<string>();

  for (const old of before.resources) {
    const now = afterByAddress.get(old.address);
    if (!now) {
      const moved = movedTo(pair.current?.config ?? {}, old);
      // cdktf names resources after their construct path; the same path under a new name is a rename.
      const renamed = moved ? undefined : after.resources.find((r) => r.type === old.type && r.constructPath !== undefined && r.constructPath === old.constructPath && !beforeByAddress.has(r.address));
      if (moved) {
        rows.push({ resource: old.address, type: old.type, impact: `moved to ${moved}`, changedAttributes: [], flags: [] });
        renamedTargets.add(moved);
      } else if (renamed) {
        renamedTargets.add(renamed.address);
        rows.push({ resource: `${old.address} -> ${renamed.address}`, type: old.type, impact: 'replace (renamed)', changedAttributes: ['logical name'], flags: destroyFlags(old, 'replaced because its Terraform address changed; add a `moved` block') });
      } else {
        rows.push({ resource: old.address, type: old.type, impact: 'remove', changedAttributes: [], flags: destroyFlags(old, 'destroyed') });
      }
      continue;
    }
    const changed = changedAttributes(old, now);
    if (changed.length === 0) continue;
    const forceNew = tfForceNewAttributes(old.type);
    const replacing = changed.filter((a) => forceNew.includes(a));
    rows.push({
      resource: old.address,
      type: old.type,
      impact: replacing.length ? 'replace' : 'update',
      changedAttributes: changed.map((a) => (replacing.includes(a) ? `${a} (forces replacement)` : a)),
      flags: replacing.length ? destroyFlags(old, `replaced (${replacing.join(', ')} changed)`) : [],
    });
  }
  for (const added of after.resources) {
    if (!beforeByAddress.has(added.address) && !renamedTargets.has(added.address)) rows.push({ resource: added.address, type: added.type, impact: 'add', changedAttributes: [], flags: [] });
  }
  const { added, removed } = comparePermissions(pair.previous?.review, pair.current?.review);
  const notes = added.filter((p) => p.flags.length > 0).map((p) => `new grant ${p.actions.join(', ')} to ${p.grantee} on ${p.resources.join(', ')}: ${p.flags.join('; ')}`);
  return {
    name: pair.name,
    cloud: (pair.current?.review ?? pair.previous?.review)?.cloud ?? 'gcp',
    status: !pair.previous ? 'new stack' : !pair.current ? 'removed stack' : rows.length || added.length || removed.length ? 'changed' : 'unchanged',
    resources: rows,
    permissionsAdded: added,
    permissionsRemoved: removed,
    entryPointsAdded: newEntryPoints(pair.previous?.review, pair.current?.review),
    securityNotes: notes,
  };
}
