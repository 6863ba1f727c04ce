// The monthly cost model: instance-hours from the compute catalog at min and max scale, plus the
// per-use parts (API requests, glue functions, capture storage, monitoring) at a given traffic profile.
import { Cloud, listComputeClasses } from './compute-catalog';
import { ValidationErrors } from './errors';
import { ModelSpec, ResolvedModelSpec, resolveModelSpec } from './model-spec';
import { azureMlServingCost } from './azure-ml-cost';
import { AzureNetworkCostOptions, azurePrivateNetworkingCostLines } from './azure-network-cost';
import { CostLine } from './cost-line';
import { LambdaModelCostOptions, lambdaModelCostLines } from './lambda-model-cost';
import { GcpNetworkCostOptions, gcpNetworkCostLines } from './gcp-network-cost';
import { checkSageMakerInstanceType, findSageMakerInstanceType } from './sagemaker-instances';
import { VERTEX_PREDICTION_PRICES, vertexServingCostLines } from './vertex-cost';
import { vertexMachineFor } from './vertex-machines';
import { AZURE_DEDICATED_PLAN_FEE, JOB_RUNNER_PRICES, JobRunner, SAGEMAKER_SERVERLESS, USAGE_PRICES, USAGE_PRICES_AS_OF } from './usage-prices';

export type { CostLine } from './cost-line';

/**
 * Minutes one hourly run of the portable drift job is billed for on a function runner (AWS Lambda, a Cloud Run function,
 * Azure Flex Consumption): the job profiles a day of capture (1M rows) in about 7 s on one vCPU (`npm run bench`,
 * BENCHMARKS.md), so an hour of capture plus the function's start fits in one minute.
 */
export const PORTABLE_DRIFT_JOB_MINUTES = 1;

/** Hours in an average month (24 x 365 / 12). */
export const HOURS_PER_MONTH = 730;

/** The traffic a cost estimate assumes. */
export interface TrafficProfile {
  /** @default 1_000_000 */
  readonly requestsPerMonth?: number;
  /** Average request plus response payload, in KB. @default 10 */
  readonly payloadKb?: number;
  /** Average time the model takes per request, in ms (drives serverless and function duration). @default 100 */
  readonly modelLatencyMs?: number;
  /** Share of requests written by data capture, in percent. @default 100 */
  readonly captureSamplingPercent?: number;
}

/** Cloud-specific choices that change the bill. */
export interface CostOptions {
  readonly traffic?: TrafficProfile;
  /** AWS endpoint mode ('lambda': a Lambda-hosted model, priced by lambda-model-cost.ts). @default 'realtime' */
  readonly mode?: 'realtime' | 'serverless' | 'async' | 'lambda';
  /** AWS mode 'lambda': the model function's memory, /tmp and provisioned concurrency. @default - 2048 MB, 512 MB, none */
  readonly lambdaModel?: LambdaModelCostOptions;
  /** AWS serverless memory in MB. @default 2048 */
  readonly serverlessMemoryMb?: number;
  /** Memory of the API's glue function (AWS Lambda proxy) in MB. @default 512 */
  readonly functionMemoryMb?: number;
  /**
   * Minutes one run of the default hourly drift job takes (0: the stack has no drift job). Ignored when `jobs` is given.
   * @default PORTABLE_DRIFT_JOB_MINUTES (1)
   */
  readonly driftJobMinutes?: number;
  /**
   * The scheduled monitoring jobs the stack runs (drift, quality, explainability), each priced on its runner.
   * @default - one hourly drift job of `driftJobMinutes` minutes on the cloud's default runner (AWS Lambda, a Cloud Run
   * function, an Azure Flex Consumption function), 1 vCPU and 2 GB
   */
  readonly jobs?: readonly ScheduledJobCost[];
  /** GCP: the network options of the stack (VPC connector, load balancer). @default - none */
  readonly gcpNetwork?: GcpNetworkCostOptions;
  /** GCP: what serves the model, Cloud Run (the catalog's shape) or a Vertex AI endpoint. @default 'cloud-run' */
  readonly gcpServing?: 'cloud-run' | 'vertex-ai';
  /** Azure: what serves the model (AzureModelStack `serving`). @default 'container-apps' */
  readonly azureServing?: 'container-apps' | 'azure-ml';
  /** Azure: the private endpoints and DNS zones of the stack. @default - none */
  readonly azureNetwork?: AzureNetworkCostOptions;
  /** Count of alarms / alert conditions the stack creates. @default 4 plus one per drift feature */
  readonly alarmCount?: number;
  /** Count of customer-managed keys the stack creates. @default 1 */
  readonly keyCount?: number;
  /**
   * AWS: the SageMaker hosting instance type the endpoint runs on, when it is not the spec's compute class machine.
   * A type the catalog has no price for is listed as "not priced" (counted as $0), never refused.
   * @default - the compute class's instance type
   */
  readonly instanceType?: string;
  /**
   * AWS: the endpoint's production and shadow variants, each priced on its own instance type and counts.
   * @default - one variant on `instanceType` with the spec's scaling bounds
   */
  readonly variants?: readonly CostVariant[];
}

/** A scheduled job the stack runs, for the cost estimate. */
export interface ScheduledJobCost {
  /** Line item, e.g. `Hourly drift job`. */
  readonly item: string;
  readonly runner: JobRunner;
  /** @default 730 (hourly) */
  readonly runsPerMonth?: number;
  readonly minutesPerRun: number;
  /** Memory of one run in GB (functions bill on it). @default 2 */
  readonly memoryGb?: number;
  /** vCPUs of one run (Cloud Run and Container Apps bill on them). @default 1 */
  readonly vcpu?: number;
}

/** The runner each cloud's default drift job runs on. */
export const DEFAULT_JOB_RUNNER: Readonly<Record<Cloud, JobRunner>> = { aws: 'aws-lambda', gcp: 'gcp-cloud-run-function', azure: 'azure-flex-function' };

/** One production (or shadow) variant of an AWS endpoint, for the cost estimate. */
export interface CostVariant {
  readonly variantName: string;
  /** @default - the estimate's instance type */
  readonly instanceType?: string;
  readonly minInstances: number;
  readonly maxInstances: number;
}


export interface CostEstimate {
  readonly cloud: Cloud;
  readonly model: string;
  readonly machineType: string;
  readonly region: string;
  /** Monthly total with the minimum instances running. */
  readonly minMonthlyUsd: number;
  /** Monthly total with the maximum instances running all month. */
  readonly maxMonthlyUsd: number;
  readonly lines: readonly CostLine[];
  readonly traffic: Required<TrafficProfile>;
  readonly pricesAsOf: string;
  /** Machines the catalog has no price for (their lines count $0): the totals are lower bounds then. */
  readonly notPriced: readonly string[];
}

const TRAFFIC_DEFAULTS: Required<TrafficProfile> = { requestsPerMonth: 1_000_000, payloadKb: 10, modelLatencyMs: 100, captureSamplingPercent: 100 };

const cents = (n: number) => Math.round(n * 100) / 100;
// Sub-cent unit prices (per GB-second, per request) keep three significant digits instead of showing as $0.00.
const usd = (n: number) => (n !== 0 && Math.abs(n) < 0.01
  ? `$${Number(n.toPrecision(3))}`
  : `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`);

function isResolved(spec: ModelSpec | ResolvedModelSpec): spec is ResolvedModelSpec {
  return typeof (spec as ResolvedModelSpec).compute === 'object';
}

/** Estimates what one model stack costs per month on `cloud`. Throws a ValidationError on bad input. */
export function estimateMonthlyCost(spec: ModelSpec | ResolvedModelSpec, cloud: Cloud, options: CostOptions = {}): CostEstimate {
  const errors = new ValidationErrors('estimateMonthlyCost');
  const resolved = isResolved(spec) ? spec : resolveModelSpec(spec, errors);
  const traffic = { ...TRAFFIC_DEFAULTS, ...options.traffic };
  errors.checkNumber('traffic.requestsPerMonth', traffic.requestsPerMonth, { min: 0, max: 1e12 });
  errors.checkNumber('traffic.payloadKb', traffic.payloadKb, { min: 0, max: 1_048_576 });
  errors.checkNumber('traffic.modelLatencyMs', traffic.modelLatencyMs, { min: 0, max: 3_600_000 });
  errors.checkNumber('traffic.captureSamplingPercent', traffic.captureSamplingPercent, { min: 0, max: 100 });
  errors.checkNumber('serverlessMemoryMb', options.serverlessMemoryMb, { min: 1024, max: 6144 });
  errors.checkNumber('keyCount', options.keyCount, { min: 0, max: 100, integer: true });
  const awsTypes = cloud === 'aws' ? awsServingTypes(options, errors) : undefined;
  errors.throwIfAny();

  const prices = USAGE_PRICES[cloud];
  const machine = resolved.compute[cloud];
  const lines: CostLine[] = [];
  const add = (item: string, minUsd: number, maxUsd: number, basis: string, source: string) =>
    lines.push({ item, minUsd: cents(minUsd), maxUsd: cents(maxUsd), basis, source });
  const notPriced = new Set<string>();
  const priceDates: string[] = [];
  const servingTypes = new Set<string>();

  const { minInstances, maxInstances } = resolved.scaling;
  const mode = cloud === 'aws' ? options.mode ?? 'realtime' : 'realtime';
  const requestsM = traffic.requestsPerMonth / 1_000_000;
  const payloadGb = (traffic.requestsPerMonth * traffic.payloadKb) / 1_048_576;

  // Serving.
  if (mode === 'lambda') {
    lines.push(...lambdaModelCostLines(options.lambdaModel ?? {}, traffic));
  } else if (mode === 'serverless') {
    const memoryGb = (options.serverlessMemoryMb ?? 2048) / 1024;
    const compute = traffic.requestsPerMonth * (traffic.modelLatencyMs / 1000) * memoryGb * SAGEMAKER_SERVERLESS.perGbSecond.usd;
    add('SageMaker serverless compute', compute, compute, `${traffic.requestsPerMonth} req x ${traffic.modelLatencyMs} ms x ${memoryGb} GB x ${usd(SAGEMAKER_SERVERLESS.perGbSecond.usd)}/GB-s`, SAGEMAKER_SERVERLESS.perGbSecond.source);
    const data = payloadGb * SAGEMAKER_SERVERLESS.perGbProcessed.usd;
    add('SageMaker serverless data processed', data, data, `${payloadGb.toFixed(3)} GB x ${usd(SAGEMAKER_SERVERLESS.perGbProcessed.usd)}/GB`, SAGEMAKER_SERVERLESS.perGbProcessed.source);
  } else if (awsTypes) {
    // A real-time SageMaker endpoint keeps at least one instance per variant; async may scale to zero.
    const variants = options.variants ?? [{ variantName: '', instanceType: options.instanceType, minInstances, maxInstances }];
    for (const v of variants) {
      const name = v.instanceType ?? options.instanceType ?? machine.machineType;
      const type = awsTypes.get(name) ?? findSageMakerInstanceType(name);
      servingTypes.add(name);
      const min = mode === 'realtime' ? Math.max(1, v.minInstances) : v.minInstances;
      const item = `${name} instances${v.variantName ? ` (variant ${v.variantName})` : ''}`;
      if (!type?.price) {
        lines.push({ item, minUsd: 0, maxUsd: 0, basis: `${min}-${v.maxInstances} x ${HOURS_PER_MONTH} h x not priced`, source: `not priced: the catalog records no us-east-1 hosting price for ${name}`, notPriced: true });
        notPriced.add(name);
        continue;
      }
      priceDates.push(type.price.asOf);
      add(item, min * HOURS_PER_MONTH * type.price.usdPerHour, v.maxInstances * HOURS_PER_MONTH * type.price.usdPerHour,
        `${min}-${v.maxInstances} x ${HOURS_PER_MONTH} h x ${usd(type.price.usdPerHour)}/h`, type.price.source);
    }
  } else if (cloud === 'gcp' && options.gcpServing === 'vertex-ai') {
    // Vertex AI keeps at least one replica deployed; each bills its node-hours and its accelerators' hours.
    const vertex = vertexMachineFor(resolved.compute);
    for (const line of vertexServingCostLines(vertex, Math.max(1, minInstances), maxInstances, HOURS_PER_MONTH)) {
      lines.push(line);
      if (line.notPriced) notPriced.add(line.item.replace(/^Vertex AI | (node|accelerator)-hours$/g, ''));
    }
    servingTypes.add(vertex.accelerator ? `${vertex.machineType} + ${vertex.accelerator.type}` : vertex.machineType);
    for (const part of [vertex.machineType, vertex.accelerator?.type]) {
      const price = part === undefined ? undefined : VERTEX_PREDICTION_PRICES[part];
      if (price) priceDates.push(price.asOf);
    }
  } else if (cloud === 'azure' && options.azureServing === 'azure-ml') {
    // An Azure ML managed online endpoint: the class's Azure ML instance type, at least one instance.
    const ml = azureMlServingCost(resolved.compute.id, minInstances, maxInstances, HOURS_PER_MONTH);
    lines.push(...ml.lines);
    ml.notPriced.forEach((n) => notPriced.add(n));
    servingTypes.add(ml.machineType);
    if (ml.asOf) priceDates.push(ml.asOf);
  } else {
    // A real-time SageMaker endpoint keeps at least one instance; async may scale to zero.
    const min = cloud === 'aws' && mode === 'realtime' ? Math.max(1, minInstances) : minInstances;
    const hourly = machine.price.usdPerHour;
    add(`${machine.machineType} instances`, min * HOURS_PER_MONTH * hourly, maxInstances * HOURS_PER_MONTH * hourly,
      `${min}-${maxInstances} x ${HOURS_PER_MONTH} h x ${usd(hourly)}/h`, machine.price.source);
    if (cloud === 'azure' && !machine.gpu) {
      const fee = HOURS_PER_MONTH * AZURE_DEDICATED_PLAN_FEE.usd;
      add('Container Apps dedicated plan fee', fee, fee, `${HOURS_PER_MONTH} h x ${usd(AZURE_DEDICATED_PLAN_FEE.usd)}/h`, AZURE_DEDICATED_PLAN_FEE.source);
    }
  }

  // API front and its glue function.
  const billableApiM = Math.max(0, traffic.requestsPerMonth - prices.apiFreeRequestsPerMonth) / 1_000_000;
  // An Azure ML endpoint is its own authenticated API: no API Management in front.
  if (prices.apiPerMillion.usd > 0 && !(cloud === 'azure' && options.azureServing === 'azure-ml')) {
    const api = billableApiM * prices.apiPerMillion.usd;
    add('API requests', api, api, `${billableApiM.toFixed(3)} M x ${usd(prices.apiPerMillion.usd)} ${prices.apiPerMillion.unit}`, prices.apiPerMillion.source);
  }
  if (cloud === 'aws' && mode !== 'lambda') {
    const gbSeconds = traffic.requestsPerMonth * ((options.functionMemoryMb ?? 512) / 1024) * ((traffic.modelLatencyMs + 20) / 1000);
    const fn = gbSeconds * prices.functionGbSecond.usd + requestsM * prices.functionPerMillion.usd;
    add('Lambda proxy', fn, fn, `${gbSeconds.toFixed(0)} GB-s x ${usd(prices.functionGbSecond.usd)} + ${requestsM.toFixed(3)} M x ${usd(prices.functionPerMillion.usd)}`, prices.functionGbSecond.source);
  }

  // Data capture: one month of captured requests and responses in object storage.
  // Lambda mode captures nothing (no SageMaker data capture).
  const captureGb = mode === 'lambda' ? 0 : payloadGb * (traffic.captureSamplingPercent / 100);
  const storage = captureGb * prices.storageGbMonth.usd;
  add('Data capture storage (one month of traffic)', storage, storage, `${captureGb.toFixed(3)} GB x ${usd(prices.storageGbMonth.usd)}/GB-month`, prices.storageGbMonth.source);

  // Monitoring: alarms, dashboard, keys and the hourly drift job.
  if (resolved.monitoring.enabled) {
    const alarmCount = options.alarmCount ?? 4 + resolved.monitoring.driftFeatures.length;
    const alarms = alarmCount * prices.alarmMonth.usd + prices.dashboardMonth.usd;
    add('Alarms and dashboard', alarms, alarms, `${alarmCount} x ${usd(prices.alarmMonth.usd)} + ${usd(prices.dashboardMonth.usd)} dashboard`, prices.alarmMonth.source);
  }
  const jobs = options.jobs ?? (resolved.monitoring.enabled && options.driftJobMinutes !== 0
    ? [{ item: 'Hourly drift monitoring job', runner: DEFAULT_JOB_RUNNER[cloud], minutesPerRun: options.driftJobMinutes ?? PORTABLE_DRIFT_JOB_MINUTES }]
    : []);
  for (const job of jobs) {
    const runner = JOB_RUNNER_PRICES[job.runner];
    const runs = job.runsPerMonth ?? HOURS_PER_MONTH;
    const seconds = runs * job.minutesPerRun * 60;
    const memoryGb = job.memoryGb ?? 2;
    const vcpu = job.vcpu ?? 1;
    const hourly = runner.perHour + 3600 * (runner.perGbSecond * memoryGb + runner.perVcpuSecond * vcpu);
    const monthly = (seconds / 3600) * hourly;
    add(job.item, monthly, monthly, `${runs} runs x ${job.minutesPerRun} min on ${runner.label} (${memoryGb} GB${runner.perVcpuSecond > 0 ? `, ${vcpu} vCPU` : ''}) x ${usd(hourly)}/h`, runner.source);
  }
  if (cloud === 'gcp' && options.gcpNetwork) lines.push(...gcpNetworkCostLines(options.gcpNetwork, traffic, HOURS_PER_MONTH));
  if (cloud === 'azure' && options.azureNetwork) lines.push(...azurePrivateNetworkingCostLines(options.azureNetwork, captureGb, HOURS_PER_MONTH));
  const keyCount = options.keyCount ?? 1;
  const keys = keyCount * prices.keyMonth.usd;
  if (keys > 0) add('Customer-managed keys', keys, keys, `${keyCount} x ${usd(prices.keyMonth.usd)} ${prices.keyMonth.unit}`, prices.keyMonth.source);

  const total = (pick: (l: CostLine) => number) => cents(lines.reduce((sum, l) => sum + pick(l), 0));
  if (servingTypes.size === 0) {
    servingTypes.add(machine.machineType);
    priceDates.push(machine.price.asOf);
  }
  return {
    cloud,
    model: resolved.name,
    machineType: mode === 'lambda' ? `Lambda ${options.lambdaModel?.memorySizeMb ?? 2048} MB` : mode === 'serverless' ? `serverless ${options.serverlessMemoryMb ?? 2048} MB` : [...servingTypes].join(' + '),
    region: machine.price.region,
    minMonthlyUsd: total((l) => l.minUsd),
    maxMonthlyUsd: total((l) => l.maxUsd),
    lines,
    traffic,
    pricesAsOf: [USAGE_PRICES_AS_OF, ...priceDates].sort()[0],
    notPriced: [...notPriced],
  };
}

/** The SageMaker types an AWS estimate serves on (instanceType, variants, else the class machine), checked. */
function awsServingTypes(options: CostOptions, errors: ValidationErrors) {
  if (options.instanceType === undefined && options.variants === undefined) return undefined;
  const types = new Map<string, ReturnType<typeof checkSageMakerInstanceType>>();
  const note = (prop: string, value: string | undefined) => {
    if (value !== undefined && !types.has(value)) types.set(value, checkSageMakerInstanceType(errors, prop, value));
  };
  note('instanceType', options.instanceType);
  (options.variants ?? []).forEach((v, i) => {
    note(`variants[${i}].instanceType`, v.instanceType);
    errors.checkNumber(`variants[${i}].minInstances`, v.minInstances, { min: 0, max: 1000, integer: true });
    errors.checkNumber(`variants[${i}].maxInstances`, v.maxInstances, { min: 0, max: 1000, integer: true });
  });
  return types;
}

/** The same spec priced on every cloud, for a side-by-side table. */
export function compareClouds(spec: ModelSpec | ResolvedModelSpec, options: CostOptions = {}): readonly CostEstimate[] {
  return (['aws', 'gcp', 'azure'] as const).map((cloud) => estimateMonthlyCost(spec, cloud, cloud === 'aws' ? options : { ...options, mode: undefined }));
}

/** One line for a synth log: `example-model on aws (ml.m5.xlarge): $187.43-$702.53/month`. */
export function formatCostSummary(estimate: CostEstimate): string {
  const range = estimate.minMonthlyUsd === estimate.maxMonthlyUsd ? usd(estimate.minMonthlyUsd) : `${usd(estimate.minMonthlyUsd)}-${usd(estimate.maxMonthlyUsd)}`;
  return `${estimate.model} on ${estimate.cloud} (${estimate.machineType}, ${estimate.region}): ${range}/month at ${estimate.traffic.requestsPerMonth.toLocaleString('en-US')} requests, prices of ${estimate.pricesAsOf}`;
}

/** Markdown table of the compute catalog's hourly prices on each cloud. */
export function computePriceTable(): string {
  const rows = listComputeClasses().map((c) =>
    `| ${c.id} | ${c.aws.machineType} ${usd(c.aws.price.usdPerHour)} | ${c.gcp.machineType} ${usd(c.gcp.price.usdPerHour)} | ${c.azure.machineType} ${usd(c.azure.price.usdPerHour)} |`);
  return ['| class | AWS $/h | GCP $/h | Azure $/h |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
