// Renders CloudFormation values (with Ref, Fn::GetAtt, Fn::Join, Fn::Sub...) as short readable strings,
// e.g. `${IngestionBucket.Arn}/incoming/*`, naming resources by logical id without CDK's hash suffix.
import { JsonObject, compact, isObject } from '../json';

/** Turns logical ids into short names: `Bucket83908E77` -> `Bucket` when that stays unique in the template. */
export class LogicalIdNamer {
  private readonly names = new Map<string, string>();

  constructor(logicalIds: readonly string[]) {
    const stripped = (id: string) => id.replace(/[0-9A-F]{8}$/, '') || id;
    const counts = new Map<string, number>();
    for (const id of logicalIds) counts.set(stripped(id), (counts.get(stripped(id)) ?? 0) + 1);
    const all = new Set(logicalIds);
    for (const id of logicalIds) {
      const short = stripped(id);
      this.names.set(id, short !== id && counts.get(short) === 1 && !all.has(short) ? short : id);
    }
  }

  name(logicalId: string): string {
    return this.names.get(logicalId) ?? logicalId;
  }
}

/** Renders a CloudFormation value as text. Unknown intrinsics fall back to compact JSON. */
export function renderCfn(value: unknown, namer: LogicalIdNamer): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => renderCfn(v, namer)).join(', ');
  if (!isObject(value)) return compact(value);
  const keys = Object.keys(value);
  if (keys.length !== 1) return compact(value);
  const [fn] = keys;
  const arg = value[fn];
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? `\${${arg.startsWith('AWS::') ? arg : namer.name(arg)}}` : compact(value);
    case 'Fn::GetAtt': {
      const [id, attr] = Array.isArray(arg) ? arg : typeof arg === 'string' ? arg.split('.') : [];
      return typeof id === 'string' ? `\${${namer.name(id)}.${renderCfn(attr, namer)}}` : compact(value);
    }
    case 'Fn::Join': {
      if (!Array.isArray(arg) || arg.length !== 2 || !Array.isArray(arg[1])) return compact(value);
      return arg[1].map((v: unknown) => renderCfn(v, namer)).join(typeof arg[0] === 'string' ? arg[0] : '');
    }
    case 'Fn::Sub': {
      const template = Array.isArray(arg) ? arg[0] : arg;
      const vars = Array.isArray(arg) && isObject(arg[1]) ? (arg[1] as JsonObject) : {};
      if (typeof template !== 'string') return compact(value);
      return template.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
        if (name in vars) return renderCfn(vars[name], namer);
        const [id, ...attr] = name.split('.');
        return id.startsWith('AWS::') ? `\${${name}}` : `\${${[namer.name(id), ...attr].join('.')}}`;
      });
    }
    case 'Fn::Select':
      return Array.isArray(arg) ? `select(${renderCfn(arg[0], namer)}, ${renderCfn(arg[1], namer)})` : compact(value);
    case 'Fn::Split':
      return Array.isArray(arg) ? `split(${renderCfn(arg[0], namer)}, ${renderCfn(arg[1], namer)})` : compact(value);
    case 'Fn::ImportValue':
      return `import(${renderCfn(arg, namer)})`;
    case 'Fn::If':
      return Array.isArray(arg) ? `if ${renderCfn(arg[0], namer)} then ${renderCfn(arg[1], namer)} else ${renderCfn(arg[2], namer)}` : compact(value);
    case 'Fn::GetAZs':
      return 'AZs';
    default:
      return compact(value);
  }
}

/** The logical id a value refers to (`Ref` or `Fn::GetAtt`), if it is a plain reference. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** Every logical id referenced anywhere inside a value. */
export function referencedLogicalIds(value: unknown, into = new Set<string>()): Set<string> {
  const direct = referencedLogicalId(value);
  if (direct) into.add(direct);
  if (Array.isArray(value)) value.forEach((v) => referencedLogicalIds(v, into));
  else if (isObject(value)) {
    const sub = value['Fn::Sub'];
    const template = Array.isArray(sub) ? sub[0] : sub;
    if (typeof template === 'string') for (const m of template.matchAll(/\$\{([^}.!]+)[^}]*\}/g)) into.add(m[1]);
    Object.values(value).forEach((v) => referencedLogicalIds(v, into));
  }
  return into;
}
