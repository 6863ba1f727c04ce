// What created and imported SageMaker endpoints share: the invoke grant, the endpoint reference and the metric
// helpers per variant. Not exported from the package; ModelEndpoint and its imports extend it.
import { Duration, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { EndpointMetricOptions, EndpointMonitoringSettings, EndpointVariant, IInferenceEndpoint, InferenceMode } from '../inference-endpoint';

/** Namespace of the per-instance utilization metrics SageMaker publishes for endpoints. */
const INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';

export abstract class EndpointBase extends Resource implements IInferenceEndpoint {
  abstract readonly endpointName: string;
  abstract readonly endpointArn: string;
  abstract readonly variantName: string;
  abstract readonly mode: InferenceMode;
  abstract readonly variants: readonly EndpointVariant[];
  abstract readonly monitoring?: EndpointMonitoringSettings;

  /** aws-cdk-lib's reference to this endpoint (`sagemaker.IEndpointRef`). */
  get endpointRef(): sagemaker.EndpointReference {
    return { endpointArn: this.endpointArn };
  }

  /**
   * The `EndpointName` metric dimension. ModelEndpoint uses its fixed physical name, so alarms on its metrics
   * do not depend on the endpoint resource and can roll back the endpoint's own deployments (no cycle).
   */
  protected get metricEndpointName(): string {
    return this.endpointName;
  }

  /** `sagemaker:InvokeEndpoint` and `InvokeEndpointAsync` on this endpoint's ARN only. */
  grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:InvokeEndpoint', 'sagemaker:InvokeEndpointAsync'],
      resourceArns: [this.endpointArn],
    });
  }

  /**
   * A metric in `AWS/SageMaker` with the `EndpointName` and `VariantName` dimensions.
   * @default - statistic Sum over 5 minutes of the main variant, unless `props` says otherwise
   */
  metric(metricName: string, props: EndpointMetricOptions = {}): cloudwatch.Metric {
    return this.variantMetric('AWS/SageMaker', metricName, 'Sum', props);
  }

  /** Requests sent to the variant. @default Sum over 5 minutes */
  metricInvocations(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', props);
  }

  /** Time the model container took to answer, in MICROSECONDS (divide by 1000 for milliseconds). @default p99 over 5 minutes */
  metricModelLatency(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('ModelLatency', { statistic: 'p99', ...props });
  }

  /** Time SageMaker added on top of the model, in microseconds. @default p99 over 5 minutes */
  metricOverheadLatency(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('OverheadLatency', { statistic: 'p99', ...props });
  }

  /** Requests the model answered with a 4xx. @default Sum over 5 minutes */
  metricInvocation4XXErrors(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('Invocation4XXErrors', props);
  }

  /** Requests the model answered with a 5xx. @default Sum over 5 minutes */
  metricInvocation5XXErrors(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', props);
  }

  /** Instance CPU use, percent of one core times cores (up to 100 x vCPU). @default Average over 5 minutes */
  metricCpuUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(INSTANCE_NAMESPACE, 'CPUUtilization', 'Average', props);
  }

  /** Instance GPU use, percent times GPUs (GPU instances only). @default Average over 5 minutes */
  metricGpuUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(INSTANCE_NAMESPACE, 'GPUUtilization', 'Average', props);
  }

  /** Instance GPU memory use, percent times GPUs (GPU instances only). @default Average over 5 minutes */
  metricGpuMemoryUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(INSTANCE_NAMESPACE, 'GPUMemoryUtilization', 'Average', props);
  }

  /** Instance memory use, percent. @default Average over 5 minutes */
  metricMemoryUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(INSTANCE_NAMESPACE, 'MemoryUtilization', 'Average', props);
  }

  /** Instance disk use, percent. @default Average over 5 minutes */
  metricDiskUtilization(props?: EndpointMetricOptions): cloudwatch.Metric {
    return this.variantMetric(INSTANCE_NAMESPACE, 'DiskUtilization', 'Average', props);
  }

  private variantMetric(namespace: string, metricName: string, statistic: string, props: EndpointMetricOptions = {}): cloudwatch.Metric {
    const { variantName, ...options } = props;
    return new cloudwatch.Metric({
      namespace,
      metricName,
      dimensionsMap: { EndpointName: this.metricEndpointName, VariantName: variantName ?? this.variantName },
      statistic,
      period: Duration.minutes(5),
      ...options,
    });
  }
}
