// What every Terraform check needs: the resources of a cdk.tf.json, references between them
// (`${type.name.attr}` expressions) and value rendering.
import { JsonObject, asArray, asObject, asString, compact, isObject } from '../json';

export interface TfResource {
  readonly type: string;
  readonly name: string;
  /** `type.name`, the Terraform address. */
  readonly address: string;
  readonly attrs: JsonObject;
  /** Construct path from cdktf's `//` metadata, when present. */
  readonly constructPath?: string;
}

const REFERENCE = /\$\{(?:data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_.[\]"*-]+))?\}/;

export class TfContext {
  readonly resources: readonly TfResource[];
  private readonly byAddress: Map<string, TfResource>;

  constructor(config: JsonObject) {
    const resources: TfResource[] = [];
    for (const [type, byName] of Object.entries(asObject(config.resource))) {
      for (const [name, attrs] of Object.entries(asObject(byName))) {
        const a = asObject(attrs);
        resources.push({ type, name, address: `${type}.${name}`, attrs: a, constructPath: asString(asObject(asObject(a['//']).metadata).path) });
      }
    }
    this.resources = resources;
    this.byAddress = new Map(resources.map((r) => [r.address, r]));
  }

  ofType(...types: string[]): TfResource[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  /** The resource an attribute value refers to, e.g. `${google_storage_bucket.b.name}`. */
  target(value: unknown): TfResource | undefined {
    if (typeof value !== 'string') return undefined;
    const m = REFERENCE.exec(value);
    return m ? this.byAddress.get(`${m[1]}.${m[2]}`) : undefined;
  }

  /** Resources whose attribute `attr` refers to `resource`. */
  referencing(resource: TfResource, types: readonly string[], attrs: readonly string[]): TfResource[] {
    return this.resources.filter((r) => types.includes(r.type) && attrs.some((a) => asArray(r.attrs[a]).some((v) => this.target(v)?.address === resource.address)));
  }

  /** Renders a value: references lose their `${}` wrapper, lists are joined. */
  render(value: unknown): string {
    if (value === undefined) return '(unset)';
    if (typeof value === 'string') return value.replace(/\$\{([^}]+)\}/g, '$1');
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) return value.map((v) => this.render(v)).join(', ');
    return compact(value);
  }
}

/** The first block of a nested block attribute (cdktf writes single blocks as objects, lists as arrays). */
export function block(value: unknown): JsonObject {
  return asObject(asArray(value).find(isObject));
}

export function blocks(value: unknown): JsonObject[] {
  return asArray(value).filter(isObject);
}
