// The contract between a SageMaker endpoint and what fronts or watches it (API, alarms, monitors, dashboard),
// so each can be built and tested alone and an imported endpoint works like one we created: nothing duck-types.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import type { InstanceShape } from '../core/sagemaker-instance-families';

/** How the endpoint serves requests. */
export type InferenceMode = 'realtime' | 'serverless' | 'async';

/** One production or shadow variant of an endpoint, as alarms and dashboards need it. */
export interface EndpointVariant {
  /** `VariantName` metric dimension. */
  readonly variantName: string;
  /** A shadow variant gets a copy of the traffic; its answers are not returned to callers. */
  readonly shadow: boolean;
  /**
   * SageMaker instance type.
   * @default - unknown (serverless, an imported endpoint, or a token)
   */
  readonly instanceType?: string;
  /**
   * vCPUs, memory and accelerators of one instance, from the SageMaker hosting catalog.
   * @default - unknown: no CPU or GPU utilization alarms are scaled for it
   */
  readonly instanceShape?: InstanceShape;
}

/** Alarm thresholds and recipients the endpoint was built with (from its ModelSpec's monitoring block). */
export interface EndpointMonitoringSettings {
  /** Model latency p99 above which the latency alarm fires, in milliseconds. */
  readonly latencyP99Ms: number;
  /** Share of 5xx answers above which the error alarms fire, in percent. */
  readonly errorRatePercent: number;
  /** Addresses subscribed to the alarm topic. */
  readonly alarmEmails: readonly string[];
}

/** Options of the endpoint metric helpers: CloudWatch options plus the variant to measure. */
export interface EndpointMetricOptions extends cloudwatch.MetricOptions {
  /**
   * Production or shadow variant whose metric this is.
   * @default - the endpoint's main variant (`variantName`)
   */
  readonly variantName?: string;
}

/**
 * A SageMaker real-time, serverless or async endpoint that can be invoked and watched: aws-cdk-lib's
 * `sagemaker.IEndpoint` plus what alarms and dashboards need (mode, variants and their instance shapes, metrics).
 */
export interface IInferenceEndpoint extends sagemaker.IEndpoint {
  /** Endpoint name (`EndpointName` metric dimension). */
  readonly endpointName: string;
  /** Endpoint ARN (SageMaker writes the name part in lower case). */
  readonly endpointArn: string;
  /** The main production variant (`VariantName` metric dimension of the `metric*` helpers by default). */
  readonly variantName: string;
  /** How the endpoint serves; async endpoints publish other metrics, serverless ones no instance metrics. */
  readonly mode: InferenceMode;
  /** Every production variant, then the shadow variant if any. The first is `variantName`. */
  readonly variants: readonly EndpointVariant[];
  /**
   * Thresholds and recipients from the endpoint's ModelSpec, which InferenceAlarms uses unless told otherwise.
   * @default - none: InferenceAlarms uses its own defaults
   */
  readonly monitoring?: EndpointMonitoringSettings;
  /** Lets `grantee` call `sagemaker:InvokeEndpoint` (and `InvokeEndpointAsync`) on this endpoint only. */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;
  /** A metric in `AWS/SageMaker` for this endpoint and a variant (Sum over 5 minutes unless told otherwise). */
  metric(metricName: string, props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Requests sent to a variant. */
  metricInvocations(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Time the model container took, in MICROSECONDS (p99 by default). */
  metricModelLatency(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Time SageMaker added on top of the model, in microseconds (p99 by default). */
  metricOverheadLatency(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Requests the model answered with a 4xx. */
  metricInvocation4XXErrors(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Requests the model answered with a 5xx. */
  metricInvocation5XXErrors(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Instance CPU use, summed over the vCPUs (`/aws/sagemaker/Endpoints`, Average). */
  metricCpuUtilization(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Instance memory use, percent. */
  metricMemoryUtilization(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Instance disk use, percent. */
  metricDiskUtilization(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Instance GPU use, summed over the GPUs (GPU instances only). */
  metricGpuUtilization(props?: EndpointMetricOptions): cloudwatch.Metric;
  /** Instance GPU memory use, summed over the GPUs (GPU instances only). */
  metricGpuMemoryUtilization(props?: EndpointMetricOptions): cloudwatch.Metric;
}
