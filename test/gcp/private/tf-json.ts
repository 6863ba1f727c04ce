// Test helpers for the GCP constructs: synthesize a stack with validations and read resources from the JSON.
import { App, TerraformStack, Testing } from 'cdktf';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';

export type TfBlock = Record<string, unknown> & { depends_on?: string[] };
export interface TfJson {
  resource: Record<string, Record<string, TfBlock>>;
  data?: Record<string, Record<string, TfBlock>>;
  output?: Record<string, { value: unknown }>;
  provider?: Record<string, unknown[]>;
  terraform?: Record<string, unknown>;
}

export const PROJECT = 'example-project-id';
export const REGION = 'us-central1';

/** A stack with a Google provider (cdktf validates that every resource has one). */
export function testStack(id = 'test'): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  new GoogleProvider(stack, 'google', { project: PROJECT, region: REGION });
  return { app, stack };
}

export function synth(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack, true)) as TfJson;
}

/** All resources of a type, keyed by their logical name. */
export function resourcesOf(json: TfJson, type: string): Record<string, TfBlock> {
  return json.resource[type] ?? {};
}

/** The one resource of `type` whose construct path ends with `pathSuffix`; fails loudly otherwise. */
export function resource(json: TfJson, type: string, pathSuffix: string): TfBlock & { logicalId: string } {
  const wanted = pathSuffix.split('/').join('_');
  const matches = Object.entries(resourcesOf(json, type)).filter(([id]) => { const p = pathOf(id); return p === wanted || p.endsWith(`_${wanted}`); });
  if (matches.length !== 1) {
    throw new Error(`expected one ${type} at */${pathSuffix}, found ${matches.length}: ${Object.keys(resourcesOf(json, type)).join(', ')}`);
  }
  return { ...matches[0][1], logicalId: matches[0][0] };
}

/** `${type}.${logicalId}`, as a Terraform reference or depends_on entry names it. */
export function address(json: TfJson, type: string, pathSuffix: string): string {
  return `${type}.${resource(json, type, pathSuffix).logicalId}`;
}

/** Logical ids are the construct path below the stack joined with `_`, plus `_<8 hex hash>`. */
function pathOf(logicalId: string): string {
  return logicalId.replace(/_[0-9A-F]{8}$/, '');
}

/** IAM member resources as { role, member, target }, sorted by role then member, for exact comparisons. */
export function iamBindings(json: TfJson, type: string, targetKey: string): { role: string; member: string; target: string }[] {
  return Object.values(resourcesOf(json, type))
    .map((r) => ({ role: r.role as string, member: r.member as string, target: r[targetKey] as string }))
    .sort((a, b) => (a.role + a.member).localeCompare(b.role + b.member));
}
