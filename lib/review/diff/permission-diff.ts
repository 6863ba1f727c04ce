// Cloud-neutral comparison of two reviews of the same stack: permissions granted now and not before
// (IAM widening), permissions dropped, and new entry points.
import { EntryPoint, PermissionRow, StackReview } from '../model';

const WILDCARD_FLAG = /^(wildcard|service wildcard|NotAction|NotResource)/;

/** Flags of a statement narrowed to one of its action x resource pairs. */
function grantFlags(flags: readonly string[], action: string, resource: string): string[] {
  const out = flags.filter((f) => !WILDCARD_FLAG.test(f));
  if (action === '*') out.push('wildcard action *');
  else if (/^[a-z0-9-]+:\*$/i.test(action)) out.push(`service wildcard ${action}`);
  if (resource === '*') out.push('wildcard resource *');
  return out;
}

/** One key per grant: who, what, on which resource, under which conditions. */
function grants(rows: readonly PermissionRow[]): Map<string, PermissionRow> {
  const out = new Map<string, PermissionRow>();
  for (const row of rows) {
    if (row.effect !== 'Allow') continue;
    for (const action of row.actions) {
      for (const resource of row.resources) {
        const key = `${row.grantee}|${action}|${resource}|${row.conditions}`;
        out.set(key, { ...row, actions: [action], resources: [resource], flags: grantFlags(row.flags, action, resource) });
      }
    }
  }
  return out;
}

export function comparePermissions(previous: StackReview | undefined, current: StackReview | undefined): { added: PermissionRow[]; removed: PermissionRow[] } {
  const before = grants(previous?.permissions ?? []);
  const after = grants(current?.permissions ?? []);
  return {
    added: [...after.entries()].filter(([k]) => !before.has(k)).map(([, r]) => r),
    removed: [...before.entries()].filter(([k]) => !after.has(k)).map(([, r]) => r),
  };
}

export function newEntryPoints(previous: StackReview | undefined, current: StackReview | undefined): EntryPoint[] {
  const key = (e: EntryPoint) => `${e.resource}|${e.exposure}|${e.authentication}`;
  const before = new Set((previous?.entryPoints ?? []).map(key));
  return (current?.entryPoints ?? []).filter((e) => !before.has(key(e)));
}
