// What every CloudFormation check needs: the template's resources, short names and value rendering.
import { JsonObject, asObject, asString } from '../json';
import { LogicalIdNamer, referencedLogicalId, renderCfn } from './intrinsics';

export interface CfnResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: JsonObject;
  readonly raw: JsonObject;
}

export class CfnContext {
  readonly resources: readonly CfnResource[];
  readonly namer: LogicalIdNamer;
  private readonly byId: Map<string, CfnResource>;

  constructor(template: JsonObject) {
    this.resources = Object.entries(asObject(template.Resources)).map(([logicalId, raw]) => ({
      logicalId,
      type: asString(asObject(raw).Type) ?? 'unknown',
      properties: asObject(asObject(raw).Properties),
      raw: asObject(raw),
    }));
    this.byId = new Map(this.resources.map((r) => [r.logicalId, r]));
    this.namer = new LogicalIdNamer(this.resources.map((r) => r.logicalId));
  }

  ofType(...types: string[]): CfnResource[] {
    return this.resources.filter((r) => types.includes(r.type));
  }

  get(logicalId: string | undefined): CfnResource | undefined {
    return logicalId === undefined ? undefined : this.byId.get(logicalId);
  }

  /** The resource a value refers to with Ref / Fn::GetAtt. */
  target(value: unknown): CfnResource | undefined {
    return this.get(referencedLogicalId(value));
  }

  name(resource: CfnResource): string {
    return this.namer.name(resource.logicalId);
  }

  render(value: unknown): string {
    return renderCfn(value, this.namer);
  }

  /** How the resource behaves when removed from the stack or replaced. */
  deletionBehaviour(resource: CfnResource): string {
    const policy = asString(resource.raw.DeletionPolicy) ?? 'Delete';
    return policy === 'Delete' ? 'deleted with the stack' : `${policy} on delete`;
  }
}
