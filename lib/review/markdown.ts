// Renders reviews and changes as REVIEW.md: a summary, then per stack one section per question a
// reviewer asks (what is exposed, who may do what, what is encrypted, who gets paged, what it costs).
import { CostEstimate } from '../core/cost';
import { AlarmRow, DataStoreRow, EntryPoint, PermissionRow, StackChanges, StackReview } from './model';

export const FLAG = '⚠️';

function cell(value: string | readonly string[]): string {
  const text = typeof value === 'string' ? value : value.join('<br>');
  return (text || '-').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function table(header: readonly string[], rows: readonly (readonly (string | readonly string[])[])[]): string {
  if (rows.length === 0) return '_None._';
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

function flags(row: { readonly flags: readonly string[] }): string[] {
  return row.flags.map((f) => `${FLAG} ${f}`);
}

const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const range = (min: number, max: number) => (min === max ? usd(min) : `${usd(min)} - ${usd(max)}`);

export function flaggedCount(review: StackReview): number {
  const all: { flags: readonly string[] }[] = [...review.entryPoints, ...review.permissions, ...review.dataStores, ...review.alarms];
  return all.filter((r) => r.flags.length > 0).length;
}

function costCell(review: StackReview): string {
  const priced = review.cost.models.filter((m) => m.estimate);
  if (priced.length === 0) return 'not estimated';
  const min = priced.reduce((s, m) => s + m.estimate!.minMonthlyUsd, 0);
  const max = priced.reduce((s, m) => s + m.estimate!.maxMonthlyUsd, 0);
  return `${range(min, max)}/month`;
}

function summary(reviews: readonly StackReview[]): string {
  return table(['stack', 'cloud', 'resources', 'entry points (flagged)', 'flagged rows', 'alarms', 'open findings', 'monthly cost'], reviews.map((r) => [
    r.name, r.cloud, String(r.resourceCounts.reduce((s, c) => s + c.count, 0)),
    `${r.entryPoints.length} (${r.entryPoints.filter((e) => e.flags.length).length})`,
    String(flaggedCount(r)), String(r.alarms.length),
    r.findings ? String(r.findings.length) : 'n/a', costCell(r),
  ]));
}

function entryPoints(rows: readonly EntryPoint[]): string {
  return table(['entry point', 'type', 'exposure', 'authentication', 'flags'], rows.map((e) => [e.resource, e.type, e.exposure, e.authentication, flags(e)]));
}

function permissions(rows: readonly PermissionRow[]): string {
  return table(['grantee', 'effect', 'actions / roles', 'resources', 'conditions', 'granted by', 'flags'], rows.map((p) => [p.grantee, p.effect, p.actions, p.resources, p.conditions, p.source, flags(p)]));
}

function dataStores(rows: readonly DataStoreRow[]): string {
  return table(['data store', 'type', 'at rest', 'in transit', 'protection', 'flags'], rows.map((d) => [d.resource, d.type, d.atRest, d.inTransit, d.protection, flags(d)]));
}

function alarms(rows: readonly AlarmRow[]): string {
  return table(['alarm', 'type', 'condition', 'notifies', 'flags'], rows.map((a) => [a.name, a.type, a.condition, a.notifies, flags(a)]));
}

function breakdown(estimate: CostEstimate): string {
  const lines = table(['item', 'min / month', 'max / month', 'basis', 'source'], [
    ...estimate.lines.map((l) => [l.item, usd(l.minUsd), usd(l.maxUsd), l.basis, l.source]),
    ['**total**', `**${usd(estimate.minMonthlyUsd)}**`, `**${usd(estimate.maxMonthlyUsd)}**`, 'min: minimum instances all month; max: maximum instances all month', ''],
  ]);
  const t = estimate.traffic;
  return `${estimate.model} on ${estimate.cloud}: ${estimate.machineType} in ${estimate.region}, at ${t.requestsPerMonth.toLocaleString('en-US')} requests/month, ${t.payloadKb} KB payload, ${t.modelLatencyMs} ms model latency, ${t.captureSamplingPercent}% captured; list prices of ${estimate.pricesAsOf}.\n\n${lines}`;
}

export function comparisonTable(comparison: readonly CostEstimate[]): string {
  return table(['cloud', 'machine', 'region', 'min / month', 'max / month', 'prices as of'], comparison.map((e) => [e.cloud, e.machineType, e.region, usd(e.minMonthlyUsd), usd(e.maxMonthlyUsd), e.pricesAsOf]));
}

function cost(review: StackReview): string {
  const parts: string[] = [];
  for (const problem of review.cost.problems) parts.push(`_${problem}_`);
  for (const model of review.cost.models) {
    if (!model.estimate || !model.comparison) {
      parts.push(`${FLAG} ${model.metadata.spec.name}: cost not estimated: ${model.problem}`);
      continue;
    }
    const budget = model.metadata.spec.monthlyBudgetUsd;
    const over = budget !== undefined && model.estimate.maxMonthlyUsd > budget;
    parts.push(breakdown(model.estimate));
    if (budget !== undefined) parts.push(`${over ? `${FLAG} ` : ''}Budget ${usd(budget)}/month: ${over ? `the maximum scale (${usd(model.estimate.maxMonthlyUsd)}) exceeds it` : 'the maximum scale stays within it'}${model.estimate.minMonthlyUsd > budget ? `; even the minimum scale (${usd(model.estimate.minMonthlyUsd)}) exceeds it` : ''}.`);
    parts.push(`#### The same spec on AWS, GCP and Azure\n\n${comparisonTable(model.comparison)}`);
  }
  return parts.join('\n\n');
}

function findings(review: StackReview): string {
  if (!review.findings) return review.validationNote;
  const open = table(['rule', 'severity', 'plugin', 'resources', 'description'], review.findings.map((f) => [f.rule, f.severity, f.plugin, f.resources, f.description]));
  const acks = table(['rule', 'resource', 'reason'], review.acknowledgements.map((a) => [a.rule, a.resource, a.reason]));
  return `${review.validationNote}\n\n#### Open findings\n\n${open}\n\n#### Acknowledged, with reasons\n\n${acks}`;
}

export function renderStack(review: StackReview): string {
  return [
    `## ${review.name} (${review.cloud})`,
    `Read from \`${review.file}\`.`,
    `### Resources by type\n\n${table(['type', 'count'], review.resourceCounts.map((c) => [c.type, String(c.count)]))}`,
    `### Public entry points and authentication\n\n${entryPoints(review.entryPoints)}`,
    `### Permissions (actions x resources)\n\n${permissions(review.permissions)}`,
    `### Encryption of data stores\n\n${dataStores(review.dataStores)}`,
    `### Alarms and who they notify\n\n${alarms(review.alarms)}`,
    `### ${review.cloud === 'aws' ? 'cdk-nag findings and acknowledgements' : 'Rule findings'}\n\n${findings(review)}`,
    `### Monthly cost estimate\n\n${cost(review)}`,
  ].join('\n\n');
}

export function renderChanges(changes: readonly StackChanges[], previousLabel: string): string {
  const parts = [`# Changes since ${previousLabel}`];
  const interesting = changes.filter((c) => c.status !== 'unchanged');
  if (interesting.length === 0) parts.push('_No changes._');
  for (const c of changes) {
    if (c.status === 'unchanged') continue;
    const flagged = c.resources.filter((r) => r.flags.length).length + c.permissionsAdded.filter((p) => p.flags.length).length;
    parts.push(`## ${c.name} (${c.cloud}): ${c.status}${flagged ? ` ${FLAG} ${flagged} flagged` : ''}`);
    parts.push(`### Resources\n\n${table(['resource', 'type', 'impact', 'changed attributes', 'flags'], c.resources.map((r) => [r.resource, r.type, r.impact, r.changedAttributes, flags(r)]))}`);
    parts.push(`### Permissions granted now and not before (IAM widening)\n\n${permissions(c.permissionsAdded.map((p) => ({ ...p, flags: [`widened: new grant`, ...p.flags] })))}`);
    if (c.permissionsRemoved.length) parts.push(`### Permissions removed\n\n${permissions(c.permissionsRemoved)}`);
    if (c.entryPointsAdded.length) parts.push(`### New entry points\n\n${entryPoints(c.entryPointsAdded)}`);
    if (c.securityNotes.length) parts.push(`### Security-relevant changes\n\n${c.securityNotes.map((n) => `- ${n}`).join('\n')}`);
  }
  return parts.join('\n\n');
}

export function renderReview(reviews: readonly StackReview[], sources: readonly string[], changes?: { readonly label: string; readonly stacks: readonly StackChanges[] }): string {
  return [
    '# Review of the synthesized stacks',
    `Generated by \`deploy-ai-smarter review\` from ${sources.join(' and ') || 'nothing'}. Rows marked ${FLAG} deserve a second look; every flag says why. Costs are estimates from list prices, not quotes.`,
    `## Summary\n\n${summary(reviews)}`,
    ...reviews.map(renderStack),
    ...(changes ? [renderChanges(changes.stacks, changes.label)] : []),
  ].join('\n\n') + '\n';
}
