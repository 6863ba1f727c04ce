// Findings and acknowledgements: open violations from validation-report.json (cdk-nag 3 and the built-in
// CloudFormation validator run as policy-validation plugins), and each `Validations.of(x).acknowledge()`
// reason, which aws-cdk-lib records as `aws:cdk:acknowledged-rules` construct metadata (and cdk-nag's
// `writeSuppressionsToCloudFormation` copies into resource Metadata `cdk_nag.rules_to_suppress`).
import { AcknowledgementRow, FindingRow } from '../model';
import { JsonObject, asArray, asObject, asString, isObject } from '../json';
import { CfnStackArtifact } from './assembly';
import { LogicalIdNamer } from './intrinsics';

const ACKNOWLEDGED_RULES = 'aws:cdk:acknowledged-rules';

/** Construct path (`Stack/Bucket/Resource`) -> readable resource name, via `aws:cdk:logicalId` metadata. */
function pathNamer(stack: CfnStackArtifact, namer: LogicalIdNamer): (constructPath: string) => string {
  const byPath = new Map<string, string>();
  for (const [p, entries] of Object.entries(stack.metadata)) {
    const logical = entries.find((e) => e.type === 'aws:cdk:logicalId');
    if (typeof logical?.data === 'string') byPath.set(p.replace(/^\//, ''), namer.name(logical.data));
  }
  return (constructPath) => {
    const p = constructPath.replace(/^\//, '');
    const named = byPath.get(p) ?? byPath.get(`${p}/Resource`);
    return named ? `${named} (${p})` : p;
  };
}

/** Strips the plugin prefix aws-cdk-lib adds to acknowledged ids (`AwsSolutions::AwsSolutions-S1` -> `AwsSolutions-S1`). */
function ruleOf(id: string): string {
  return id.replace(/^[^:[]+::/, '');
}

export function readFindings(stack: CfnStackArtifact, report: JsonObject | undefined, namer: LogicalIdNamer): { findings: FindingRow[]; note: string } {
  const describe = pathNamer(stack, namer);
  const prefix = `${stack.displayName}/`;
  const findings: FindingRow[] = [];
  const plugins: string[] = [];
  for (const pluginReport of asArray(asObject(report).pluginReports).filter(isObject)) {
    const plugin = asString(pluginReport.pluginName) ?? 'unknown plugin';
    plugins.push(`${plugin} (${asString(pluginReport.conclusion) ?? 'no conclusion'})`);
    for (const violation of asArray(pluginReport.violations).filter(isObject)) {
      const resources = asArray(violation.violatingConstructs).filter(isObject)
        .map((c) => asString(c.constructPath) ?? '')
        .filter((p) => p.startsWith(prefix) || p === stack.displayName)
        .map(describe);
      if (resources.length === 0) continue;
      findings.push({
        plugin,
        rule: asString(violation.ruleName) ?? 'unnamed rule',
        severity: asString(violation.severity) ?? 'unknown',
        resources,
        description: (asString(violation.description) ?? '').split('\n')[0],
      });
    }
  }
  // Annotations (Annotations.of(x).addWarning / addError) land in construct metadata.
  for (const [constructPath, entries] of Object.entries(stack.metadata)) {
    for (const entry of entries) {
      if (entry.type !== 'aws:cdk:warning' && entry.type !== 'aws:cdk:error') continue;
      findings.push({ plugin: 'annotations', rule: entry.type.slice('aws:cdk:'.length), severity: entry.type.endsWith('error') ? 'error' : 'warning', resources: [describe(constructPath)], description: String(entry.data).split('\n')[0] });
    }
  }
  const hasNag = plugins.some((p) => /AwsSolutions|HIPAA|NIST|PCI|Serverless|nag/i.test(p));
  const note = report === undefined
    ? 'No validation-report.json in the assembly: no policy-validation plugin ran (cdk-nag did not run).'
    : `Validation plugins that ran: ${plugins.length ? plugins.join(', ') : 'none'}.${hasNag ? '' : ' cdk-nag did not run on this assembly.'}`;
  return { findings, note };
}

export function readAcknowledgements(stack: CfnStackArtifact, namer: LogicalIdNamer): AcknowledgementRow[] {
  const describe = pathNamer(stack, namer);
  const rows = new Map<string, AcknowledgementRow>();
  const add = (rule: string, resource: string, reason: string) => rows.set(`${resource}|${rule}`, { rule, resource, reason });
  for (const [constructPath, entries] of Object.entries(stack.metadata)) {
    for (const entry of entries) {
      if (entry.type !== ACKNOWLEDGED_RULES || !isObject(entry.data)) continue;
      for (const [id, reason] of Object.entries(entry.data)) add(ruleOf(id), describe(constructPath), String(reason));
    }
  }
  for (const [logicalId, resource] of Object.entries(asObject(stack.template.Resources))) {
    const metadata = asObject(asObject(resource).Metadata);
    const nag = asObject(metadata.cdk_nag ?? metadata['cdk-nag']);
    const resourcePath = asString(metadata['aws:cdk:path']);
    const name = resourcePath ? describe(resourcePath) : namer.name(logicalId);
    for (const rule of asArray(nag.rules_to_suppress).filter(isObject)) {
      const id = ruleOf(asString(rule.id) ?? 'unnamed rule');
      const appliesTo = asArray(rule.applies_to).map((a) => (typeof a === 'string' ? a : asString(asObject(a).regex) ?? '')).filter(Boolean);
      const rule2 = appliesTo.length ? `${id}[${appliesTo.join(', ')}]` : id;
      // The same acknowledgement may be in both places; keep one row per rule and resource.
      if (![...rows.values()].some((r) => r.rule === rule2 && r.resource.startsWith(namer.name(logicalId)))) add(rule2, name, asString(rule.reason) ?? '');
    }
  }
  return [...rows.values()].sort((a, b) => a.resource.localeCompare(b.resource) || a.rule.localeCompare(b.rule));
}
