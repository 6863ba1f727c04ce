// The generated parts of README.md and docs/*.md: each `<!-- generated: NAME -->` ... `<!-- end generated -->`
// section holds exactly what GENERATED_SECTIONS[NAME]() returns, so no number in the docs is typed by hand.
// test/docs/docs.test.ts checks every section; `UPDATE_DOCS=1 npx jest test/docs` rewrites them.
import * as fs from 'fs';
import * as path from 'path';
import { CostOptions, compareClouds, computePriceTable, estimateMonthlyCost, formatCostSummary } from '../lib/core/cost';
import { gcpNetworkCostTable } from '../lib/core/gcp-network-cost';
import type { ModelSpec } from '../lib/core/model-spec';
import { AZURE_ML_INSTANCE_TYPES, AZURE_ML_REFUSALS } from '../lib/core/azure-ml-instances';
import { listComputeClasses } from '../lib/core/compute-catalog';
import { findSageMakerInstanceType, sageMakerInstanceTable } from '../lib/core/sagemaker-instances';
import { VERTEX_GPU_INCLUSIVE_FAMILIES, VERTEX_PREDICTION_PRICES } from '../lib/core/vertex-cost';
import { VertexMachine, vertexMachineFor } from '../lib/core/vertex-machines';

const ROOT = path.join(__dirname, '..');

const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The spec the cost tables price: the defaults (cpu-xlarge, 1-4 instances) with two drift features. */
export const COST_TABLE_SPEC: ModelSpec = {
  name: 'churn',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1.4.0',
  monitoring: { driftFeatures: ['age', 'plan'] },
};

/** README: the same default spec priced on each cloud, with what each estimate includes. */
function costAtDefaults(): string {
  const rows = compareClouds(COST_TABLE_SPEC).map((e) =>
    `| ${e.cloud} | ${e.machineType} (${e.region}) | ${usd(e.minMonthlyUsd)} | ${usd(e.maxMonthlyUsd)} | ${e.lines.length} | ${e.pricesAsOf} |`);
  return ['| cloud | serving | min scale / month | max scale / month | cost lines | prices of |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** docs/aws.md: the default spec in each AWS mode, and on a GPU class. */
function awsCostModes(): string {
  const cases: [string, ReturnType<typeof estimateMonthlyCost>][] = [
    ['realtime, ml.m5.xlarge (default)', estimateMonthlyCost(COST_TABLE_SPEC, 'aws')],
    ['serverless, 2048 MB', estimateMonthlyCost(COST_TABLE_SPEC, 'aws', { mode: 'serverless', driftJobMinutes: 0 })],
    ['realtime, ml.g5.xlarge (`compute: \'gpu-a10g\'`)', estimateMonthlyCost({ ...COST_TABLE_SPEC, compute: 'gpu-a10g' }, 'aws')],
  ];
  const rows = cases.map(([label, e]) => `| ${label} | ${usd(e.minMonthlyUsd)} | ${usd(e.maxMonthlyUsd)} |`);
  return ['| mode | min (1 instance) | max (4 instances) |', '| --- | --- | --- |', ...rows].join('\n');
}

/** docs/aws.md, docs/gcp.md, docs/azure.md: every line of the default spec's estimate on one cloud. */
function costBreakdown(cloud: 'aws' | 'gcp' | 'azure', options: CostOptions = {}): string {
  const e = estimateMonthlyCost(COST_TABLE_SPEC, cloud, options);
  const rows = e.lines.map((l) => `| ${l.item} | ${usd(l.minUsd)} | ${usd(l.maxUsd)} | ${l.basis} |`);
  return ['| line | min scale | max scale | basis |', '| --- | --- | --- | --- |', ...rows,
    `| **total** (${e.machineType}, ${e.region}, prices of ${e.pricesAsOf}) | **${usd(e.minMonthlyUsd)}** | **${usd(e.maxMonthlyUsd)}** | |`].join('\n');
}

const hourly = (n: number | undefined) => (n === undefined ? 'not priced' : `$${Number(n.toFixed(4))}/h`);

/** A Vertex AI machine's hourly prediction price (node, plus its accelerators unless the machine includes them). */
function vertexHourly(machine: VertexMachine): number | undefined {
  const node = VERTEX_PREDICTION_PRICES[machine.machineType]?.usdPerHour;
  if (node === undefined || !machine.accelerator || VERTEX_GPU_INCLUSIVE_FAMILIES.includes(machine.machineType.split('-')[0])) return node;
  const gpu = VERTEX_PREDICTION_PRICES[machine.accelerator.type]?.usdPerHour;
  return gpu === undefined ? undefined : node + gpu * machine.accelerator.count;
}

/** README: the three managed ML platforms side by side, per compute class (AWS default; GCP and Azure by `serving`). */
function platformTable(): string {
  const rows = listComputeClasses().map((c) => {
    const vertex = vertexMachineFor(c);
    const ml = AZURE_ML_INSTANCE_TYPES[c.id];
    const azure = ml ? `${ml.instanceType} ${hourly(ml.price?.usdPerHour)}` : `none${AZURE_ML_REFUSALS[c.id] ? ' (see AZURE_ML_REFUSALS)' : ''}`;
    return `| ${c.id} | ${c.aws.machineType} ${hourly(c.aws.price.usdPerHour)} | ${vertex.machineType}${vertex.accelerator ? ` + ${vertex.accelerator.type}` : ''} ${hourly(vertexHourly(vertex))} | ${azure} |`;
  });
  return ['| class | SageMaker (AWS default) | Vertex AI (`serving: \'vertex-ai\'`) | Azure ML (`serving: \'azure-ml\'`) |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/**
 * The hourly prices the source article quotes for each platform (its figures, not ours), next to today's recorded
 * price of the same machine, or of what replaced it.
 */
const ARTICLE_PRICES = [
  { platform: 'Amazon SageMaker', machine: 'ml.m5.xlarge', article: 0.25, today: () => findSageMakerInstanceType('ml.m5.xlarge')?.price?.usdPerHour },
  { platform: 'Google Cloud AI Platform (Vertex AI)', machine: 'n1-standard-8', article: 0.45, today: () => VERTEX_PREDICTION_PRICES['n1-standard-8']?.usdPerHour },
  { platform: 'Azure Machine Learning', machine: 'Standard_NC6', article: 0.5, today: () => undefined, replacedBy: 'gpu-t4' as const },
];

/** README: the article's price figures against today's. */
function articlePrices(): string {
  const rows = ARTICLE_PRICES.map((p) => {
    const replacement = 'replacedBy' in p && p.replacedBy ? AZURE_ML_INSTANCE_TYPES[p.replacedBy] : undefined;
    const today = replacement ? `retired; ${replacement.instanceType} ${hourly(replacement.price?.usdPerHour)}` : hourly(p.today());
    return `| ${p.platform} | ${p.machine} | $${p.article.toFixed(2)}/h | ${today} |`;
  });
  return ['| platform | machine | the article | today (recorded) |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** docs/gcp.md: each compute class on Cloud Run (the default serving), from the compute catalog. */
function gcpCloudRunTable(): string {
  const rows = listComputeClasses().map((c) => {
    const g = c.gcp;
    const gpu = g.gpu ? ` + ${g.gpu.count}x ${g.gpu.model.replace('NVIDIA ', '')}` : '';
    const id = c.id === 'cpu-xlarge' ? '`cpu-xlarge` (default)' : `\`${c.id}\``;
    return `| ${id} | ${c.aws.machineType} | ${g.cloudRun.cpu} vCPU / ${g.cloudRun.memory}${gpu} | ${g.equivalentVm ?? ''} | $${g.price.usdPerHour.toFixed(4)} | ${usd(g.price.usdPerHour * 730)} | ${g.note ?? ''} |`;
  });
  return ['| class | AWS | Cloud Run shape | nearest VM | $/instance-hour | $/month per always-on instance | note |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** docs/azure.md: each compute class on Container Apps (the default serving), classes with one profile on one row. */
function azureContainerAppsTable(): string {
  const groups = new Map<string, ReturnType<typeof listComputeClasses>[number][]>();
  for (const c of listComputeClasses()) {
    const a = c.azure;
    const key = [a.workloadProfileType, a.containerCpu, a.containerMemory, a.equivalentVm].join('|');
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const rows = [...groups.values()].map((classes) => {
    const a = classes[0].azure;
    const ids = classes.map((c) => (c.id === 'cpu-xlarge' ? '`cpu-xlarge` (default)' : `\`${c.id}\``)).join(', ');
    const kind = a.workloadProfileType.startsWith('Consumption') ? 'serverless' : 'dedicated';
    const gpu = a.gpu ? ` + ${a.gpu.model.replace('NVIDIA ', '')} ${a.gpu.memoryGiB} GB` : '';
    const notes = [...new Set(classes.map((c) => c.azure.note).filter((n): n is string => !!n))].join('; ');
    return `| ${ids} | \`${a.workloadProfileType}\` ${kind} | ${a.containerCpu} vCPU / ${a.containerMemory.replace('Gi', ' GiB')}${gpu} | ${a.equivalentVm ?? ''} | ${notes} |`;
  });
  return ['| compute class | Container Apps profile | container | equivalent VM | note |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** docs/azure.md: the Azure ML size of each compute class (serving: 'azure-ml'). */
function azureMlTable(): string {
  const rows = listComputeClasses().map((c) => {
    const ml = AZURE_ML_INSTANCE_TYPES[c.id];
    if (!ml) return `| \`${c.id}\` | none: refused (${AZURE_ML_REFUSALS[c.id] ?? 'no size'}) | | |`;
    const gpu = ml.gpu ? ` + ${ml.gpu.count} x ${ml.gpu.model} ${ml.gpu.memoryGiB} GiB` : '';
    return `| \`${c.id}\` | ${ml.instanceType} | ${ml.vcpu} vCPU / ${ml.memoryGiB} GiB${gpu} | ${hourly(ml.price?.usdPerHour)} (${ml.price?.asOf ?? 'not priced'}) |`;
  });
  return ['| compute class | Azure ML instance type | shape | East US price (read) |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** The default spec on each compute class, priced on one cloud's plane: what the instances make of the month. */
function classCosts(cloud: 'aws' | 'gcp' | 'azure', options: CostOptions = {}): string {
  const rows = listComputeClasses().map((c) => {
    try {
      const e = estimateMonthlyCost({ ...COST_TABLE_SPEC, compute: c.id }, cloud, options);
      const note = e.notPriced.length > 0 ? ` (not priced: ${e.notPriced.join(', ')})` : '';
      return `| \`${c.id}\` | ${e.machineType} | ${usd(e.minMonthlyUsd)} | ${usd(e.maxMonthlyUsd)}${note} |`;
    } catch (error) {
      return `| \`${c.id}\` | refused | | ${(error as Error).message.split(': got')[0].replace(/^\S+ /, '')} |`;
    }
  });
  return ['| compute class | serving | 1 instance / month | 4 instances / month |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** One synth-log line per cloud, as `npm run synth` prints them for the default spec. */
function costSummaries(): string {
  return ['```text', ...compareClouds(COST_TABLE_SPEC).map(formatCostSummary), '```'].join('\n');
}

/** README: the examples `npm run synth` synthesizes, from the registry it runs. */
function examplesList(): string {
  const { EXAMPLES } = require('../examples') as typeof import('../examples');
  return ['| example | kind | what it shows |', '| --- | --- | --- |',
    ...EXAMPLES.map((e) => `| ${e.name} | ${e.kind === 'cdk' ? 'CDK (AWS)' : 'CDKTF (Terraform)'} | ${e.summary} |`)].join('\n');
}

/** The peer dependency ranges, from package.json. */
function peerRanges(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> };
  const rows = Object.entries(pkg.peerDependencies).map(([name, range]) =>
    `| \`${name}\` | \`${range}\` | ${pkg.peerDependenciesMeta?.[name]?.optional ? 'optional' : 'required'} |`);
  return ['| peer | range | |', '| --- | --- | --- |', ...rows].join('\n');
}

export const GENERATED_SECTIONS: Readonly<Record<string, () => string>> = {
  'computePriceTable()': computePriceTable,
  'costAtDefaults()': costAtDefaults,
  'costSummaries()': costSummaries,
  'awsCostModes()': awsCostModes,
  "costBreakdown('aws')": () => costBreakdown('aws'),
  "costBreakdown('gcp')": () => costBreakdown('gcp'),
  "costBreakdown('azure')": () => costBreakdown('azure'),
  'sageMakerInstanceTable()': sageMakerInstanceTable,
  'gcpNetworkCostTable()': () => gcpNetworkCostTable(),
  'peerRanges()': peerRanges,
  'examplesList()': examplesList,
  'platformTable()': platformTable,
  'azureMlTable()': azureMlTable,
  'gcpCloudRunTable()': gcpCloudRunTable,
  'azureContainerAppsTable()': azureContainerAppsTable,
  "classCosts('azure')": () => classCosts('azure'),
  "classCosts('azure', { azureServing: 'azure-ml' })": () => classCosts('azure', { azureServing: 'azure-ml' }),
  "classCosts('gcp')": () => classCosts('gcp'),
  "classCosts('gcp', { gcpServing: 'vertex-ai' })": () => classCosts('gcp', { gcpServing: 'vertex-ai' }),
  "costBreakdown('azure', { azureServing: 'azure-ml' })": () => costBreakdown('azure', { azureServing: 'azure-ml' }),
  'articlePrices()': articlePrices,
};

const SECTION = /<!-- generated: (.+?) -->\n([\s\S]*?)<!-- end generated -->/g;

/** Each generated section of a Markdown text: its name, what it holds and what it should hold. */
export function generatedSections(markdown: string): { name: string; current: string; expected: string | undefined }[] {
  return [...markdown.matchAll(SECTION)].map((m) => ({ name: m[1], current: m[2].replace(/\n$/, ''), expected: GENERATED_SECTIONS[m[1]]?.() }));
}

/** The text with every generated section rewritten. */
export function regenerate(markdown: string): string {
  return markdown.replace(SECTION, (whole, name: string) => {
    const make = GENERATED_SECTIONS[name];
    return make ? `<!-- generated: ${name} -->\n${make()}\n<!-- end generated -->` : whole;
  });
}
