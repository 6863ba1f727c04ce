// Test helpers: synthesize a stack once (with validations) and read its resources from the parsed JSON.
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';

export type Resource = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export interface Synthesized {
  readonly resource: Record<string, Record<string, Resource>>;
  readonly data?: Record<string, Record<string, Resource>>;
  readonly output?: Record<string, Resource>;
  readonly provider?: Record<string, Resource[]>;
  readonly terraform?: Resource;
}

/** Builds a stack with `build`, synthesizes it with validations on, and parses the JSON. */
export function synth(build: (stack: TerraformStack) => void, app: App = Testing.app()): Synthesized {
  const stack = new TerraformStack(app, 'test');
  // Reusable constructs declare no provider: the test stack plays the user's stack and adds it.
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  build(stack);
  return JSON.parse(Testing.synth(stack, true));
}

export function parse(stack: TerraformStack): Synthesized {
  return JSON.parse(Testing.synth(stack, true));
}

/** Every resource of `type`, keyed by logical id. */
export function all(json: Synthesized, type: string): Record<string, Resource> {
  return json.resource[type] ?? {};
}

/** The only resource of `type`; fails when there are none or several. */
export function only(json: Synthesized, type: string): Resource {
  const values = Object.values(all(json, type));
  if (values.length !== 1) throw new Error(`expected one ${type}, found ${values.length}`);
  return values[0];
}

/** `${type.logicalId.attr}` reference to the resource of `type` at construct path `path` (below the stack). */
export function ref(json: Synthesized, type: string, path: string, attr = 'id'): string {
  const prefix = `${path.replace(/\//g, '_')}_`;
  const key = Object.keys(all(json, type)).find((k) => k.startsWith(prefix) && /^[0-9A-F]{8}$/.test(k.slice(prefix.length)));
  if (!key) throw new Error(`no ${type} at ${path}`);
  return `\${${type}.${key}.${attr}}`;
}

/** The resource of `type` at construct path `path`. */
export function at(json: Synthesized, type: string, path: string): Resource {
  const key = ref(json, type, path).split('.')[1];
  return all(json, type)[key];
}

/** Role assignments as `role @ scope -> principal` records. */
export function roleAssignments(json: Synthesized): { role: string; scope: string; principal: string }[] {
  return Object.values(all(json, 'azurerm_role_assignment')).map((r) => ({ role: r.role_definition_name, scope: r.scope, principal: r.principal_id }));
}
