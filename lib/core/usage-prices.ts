// Per-use list prices (requests, storage, monitoring) the cost model adds to instance-hours.
// Read in November 2026 from copies of the official price feeds; see each `source`.
import { Cloud } from './compute-catalog';

export interface UsagePrice {
  readonly usd: number;
  /** What one `usd` buys, e.g. `per million requests`. */
  readonly unit: string;
  readonly source: string;
}

export const USAGE_PRICES_AS_OF = '2026-11-24';

export interface CloudUsagePrices {
  /** API front, per million requests (after any free tier noted in the unit). */
  readonly apiPerMillion: UsagePrice;
  /** Requests free each month at the API front before apiPerMillion applies. */
  readonly apiFreeRequestsPerMonth: number;
  /** Glue function (Lambda / Cloud Functions / Azure Functions) per GB-second. */
  readonly functionGbSecond: UsagePrice;
  readonly functionPerMillion: UsagePrice;
  /** Object storage, per GB-month. */
  readonly storageGbMonth: UsagePrice;
  /** One alarm / alert condition, per month. */
  readonly alarmMonth: UsagePrice;
  /** One dashboard, per month. */
  readonly dashboardMonth: UsagePrice;
  /** One customer-managed key, per month. */
  readonly keyMonth: UsagePrice;
  /** Log ingestion per GB (0 where the stack's volume stays in the free tier). */
  readonly logsGb: UsagePrice;
}

export const USAGE_PRICES: Readonly<Record<Cloud, CloudUsagePrices>> = {
  aws: {
    apiPerMillion: { usd: 3.5, unit: 'per million REST API requests (first 333 M)', source: 'https://aws.amazon.com/api-gateway/pricing/' },
    apiFreeRequestsPerMonth: 0,
    functionGbSecond: { usd: 0.0000166667, unit: 'per GB-second (x86; Arm is cheaper)', source: 'https://aws.amazon.com/lambda/pricing/' },
    functionPerMillion: { usd: 0.2, unit: 'per million invocations', source: 'https://aws.amazon.com/lambda/pricing/' },
    storageGbMonth: { usd: 0.023, unit: 'per GB-month, S3 Standard', source: 'https://aws.amazon.com/s3/pricing/' },
    alarmMonth: { usd: 0.1, unit: 'per standard-resolution alarm-month', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
    dashboardMonth: { usd: 3, unit: 'per dashboard-month (first 3 free)', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
    keyMonth: { usd: 1, unit: 'per KMS key-month', source: 'https://aws.amazon.com/kms/pricing/' },
    logsGb: { usd: 0.5, unit: 'per GB ingested to CloudWatch Logs', source: 'https://aws.amazon.com/cloudwatch/pricing/' },
  },
  gcp: {
    apiPerMillion: { usd: 0, unit: 'Cloud Run instance-based billing has no per-request fee', source: 'https://cloud.google.com/run/pricing' },
    apiFreeRequestsPerMonth: 0,
    functionGbSecond: { usd: 0.0000025, unit: 'per GiB-second (Cloud Run functions, request-based)', source: 'https://cloud.google.com/run/pricing' },
    functionPerMillion: { usd: 0.4, unit: 'per million invocations', source: 'https://cloud.google.com/run/pricing' },
    storageGbMonth: { usd: 0.02, unit: 'per GB-month, Standard, us-central1', source: 'https://cloud.google.com/storage/pricing' },
    alarmMonth: { usd: 0.1, unit: 'per alert condition-month', source: 'https://cloud.google.com/stackdriver/pricing' },
    dashboardMonth: { usd: 0, unit: 'dashboards are free', source: 'https://cloud.google.com/stackdriver/pricing' },
    keyMonth: { usd: 0.06, unit: 'per active key version-month', source: 'https://cloud.google.com/kms/pricing' },
    logsGb: { usd: 0.5, unit: 'per GiB ingested beyond 50 GiB free', source: 'https://cloud.google.com/stackdriver/pricing' },
  },
  azure: {
    apiPerMillion: { usd: 3.5, unit: 'per million calls, API Management Consumption', source: 'https://azure.microsoft.com/pricing/details/api-management/' },
    apiFreeRequestsPerMonth: 1_000_000,
    functionGbSecond: { usd: 0.000016, unit: 'per GB-second, Functions Consumption', source: 'https://azure.microsoft.com/pricing/details/functions/' },
    functionPerMillion: { usd: 0.2, unit: 'per million executions', source: 'https://azure.microsoft.com/pricing/details/functions/' },
    storageGbMonth: { usd: 0.0184, unit: 'per GB-month, Blob Hot LRS, East US', source: 'https://azure.microsoft.com/pricing/details/storage/blobs/' },
    alarmMonth: { usd: 0.1, unit: 'per metric alert rule time series-month', source: 'https://azure.microsoft.com/pricing/details/monitor/' },
    dashboardMonth: { usd: 0, unit: 'Azure dashboards are free', source: 'https://azure.microsoft.com/pricing/details/monitor/' },
    keyMonth: { usd: 0, unit: 'Key Vault Standard keys bill per operation (negligible here)', source: 'https://azure.microsoft.com/pricing/details/key-vault/' },
    logsGb: { usd: 2.3, unit: 'per GB ingested to Log Analytics (first 5 GB free)', source: 'https://azure.microsoft.com/pricing/details/monitor/' },
  },
};

/** SageMaker serverless inference: per second of compute per GB of memory, and per GB processed. */
export const SAGEMAKER_SERVERLESS = {
  perGbSecond: { usd: 0.00002, unit: 'per second per GB of configured memory', source: 'https://aws.amazon.com/sagemaker/pricing/' },
  perGbProcessed: { usd: 0.016, unit: 'per GB of data in and out', source: 'https://aws.amazon.com/sagemaker/pricing/' },
} as const;

/** SageMaker Model Monitor runs processing jobs on ml.m5.xlarge, billed per second. */
export const MODEL_MONITOR_PROCESSING = { usd: 0.23, unit: 'per ml.m5.xlarge processing hour', source: 'https://aws.amazon.com/sagemaker/pricing/' } as const;

/** Azure Container Apps dedicated plan management fee per environment-hour. */
export const AZURE_DEDICATED_PLAN_FEE = { usd: 0.1, unit: 'per environment-hour with a dedicated workload profile', source: 'https://azure.microsoft.com/pricing/details/container-apps/' } as const;

/** Where a scheduled monitoring job (drift, quality, explainability) runs; each bills differently. */
export type JobRunner =
  | 'sagemaker-processing'
  | 'aws-lambda'
  | 'gcp-cloud-run-function'
  | 'gcp-cloud-run-job'
  | 'azure-flex-function'
  | 'azure-container-apps-job';

/** What one running hour of a job costs: a flat rate, plus per GB-second of memory and per vCPU-second. */
export interface JobRunnerPrice {
  readonly label: string;
  readonly perHour: number;
  readonly perGbSecond: number;
  readonly perVcpuSecond: number;
  readonly source: string;
}

/**
 * Job runner list prices (us-east-1 / us-central1 / East US), before free grants, read 2026-11-24 to 2026-12-04.
 * AWS Lambda is priced at the x86 rate (our functions run on Arm, which is cheaper): an upper bound.
 */
export const JOB_RUNNER_PRICES: Readonly<Record<JobRunner, JobRunnerPrice>> = {
  'sagemaker-processing': { label: 'SageMaker Model Monitor (ml.m5.xlarge processing)', perHour: MODEL_MONITOR_PROCESSING.usd, perGbSecond: 0, perVcpuSecond: 0, source: MODEL_MONITOR_PROCESSING.source },
  'aws-lambda': { label: 'AWS Lambda', perHour: 0, perGbSecond: USAGE_PRICES.aws.functionGbSecond.usd, perVcpuSecond: 0, source: USAGE_PRICES.aws.functionGbSecond.source },
  'gcp-cloud-run-function': { label: 'Cloud Run function (request-based billing)', perHour: 0, perGbSecond: 0.0000025, perVcpuSecond: 0.000024, source: 'Cloud Run request-based billing, Tier 1: $0.000024/vCPU-s, $0.0000025/GiB-s; https://cloud.google.com/run/pricing' },
  'gcp-cloud-run-job': { label: 'Cloud Run job (instance-based billing)', perHour: 0, perGbSecond: 0.000002, perVcpuSecond: 0.000018, source: 'Cloud Run instance-based billing, Tier 1: $0.000018/vCPU-s, $0.000002/GiB-s; https://cloud.google.com/run/pricing' },
  'azure-flex-function': { label: 'Azure Functions Flex Consumption (on demand)', perHour: 0, perGbSecond: 0.000026, perVcpuSecond: 0, source: 'Azure Functions Flex Consumption on-demand execution time $0.000026/GB-s; https://azure.microsoft.com/pricing/details/functions/' },
  'azure-container-apps-job': { label: 'Container Apps job (consumption)', perHour: 0, perGbSecond: 0.000003, perVcpuSecond: 0.000024, source: 'Azure Container Apps consumption: $0.000024/vCPU-s, $0.000003/GiB-s; https://azure.microsoft.com/pricing/details/container-apps/' },
};
