// What created and imported SageMaker endpoints share: the invoke grant and the metric helpers.
// Not exported from the package; ModelEndpoint and its imports extend it.
import { Duration, Resource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IInferenceEndpoint } from '../inference-endpoint';

export abstract class EndpointBase extends Resource implements IInferenceEndpoint {
  abstract readonly endpointName: string;
  abstract readonly endpointArn: string;
  abstract readonly variantName: string;

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
   * @default - statistic Sum over 5 minutes, unless `props` says otherwise
   */
  metric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/SageMaker',
      metricName,
      dimensionsMap: { EndpointName: this.metricEndpointName, VariantName: this.variantName },
      statistic: 'Sum',
      period: Duration.minutes(5),
      ...props,
    });
  }

  /** Requests sent to the variant. @default Sum over 5 minutes */
  metricInvocations(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocations', props);
  }

  /**
   * Time the model container took to answer, in MICROSECONDS (divide by 1000 for milliseconds in alarms).
   * @default p99 over 5 minutes
   */
  metricModelLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ModelLatency', { statistic: 'p99', ...props });
  }

  /** Time SageMaker added on top of the model, in microseconds. @default p99 over 5 minutes */
  metricOverheadLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('OverheadLatency', { statistic: 'p99', ...props });
  }

  /** Requests the model answered with a 4xx. @default Sum over 5 minutes */
  metricInvocation4XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation4XXErrors', props);
  }

  /** Requests the model answered with a 5xx. @default Sum over 5 minutes */
  metricInvocation5XXErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('Invocation5XXErrors', props);
  }

  /** Instance CPU use, percent of one core times cores (up to 100 x vCPU). @default Average over 5 minutes */
  metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.instanceMetric('CPUUtilization', props);
  }

  /** Instance GPU use, percent times GPUs (GPU instances only). @default Average over 5 minutes */
  metricGpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.instanceMetric('GPUUtilization', props);
  }

  /** Instance GPU memory use, percent (GPU instances only). @default Average over 5 minutes */
  metricGpuMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.instanceMetric('GPUMemoryUtilization', props);
  }

  /** Instance memory use, percent. @default Average over 5 minutes */
  metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.instanceMetric('MemoryUtilization', props);
  }

  /** Instance disk use, percent. @default Average over 5 minutes */
  metricDiskUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.instanceMetric('DiskUtilization', props);
  }

  /** Instance metrics live in `/aws/sagemaker/Endpoints`, not `AWS/SageMaker`. */
  private instanceMetric(metricName: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: '/aws/sagemaker/Endpoints',
      metricName,
      dimensionsMap: { EndpointName: this.metricEndpointName, VariantName: this.variantName },
      statistic: 'Average',
      period: Duration.minutes(5),
      ...props,
    });
  }
}
