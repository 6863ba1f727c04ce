// The contract between a SageMaker endpoint and what fronts or watches it (API, alarms, monitors),
// so each can be built and tested alone and an imported endpoint works like one we created.
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';

/** A SageMaker real-time (or serverless/async) endpoint that can be invoked and watched. */
export interface IInferenceEndpoint {
  /** Endpoint name (`EndpointName` metric dimension). */
  readonly endpointName: string;
  /** Endpoint ARN. */
  readonly endpointArn: string;
  /** Production variant name (`VariantName` metric dimension). */
  readonly variantName: string;
  /** Lets `grantee` call `sagemaker:InvokeEndpoint` (and `InvokeEndpointAsync`) on this endpoint only. */
  grantInvoke(grantee: iam.IGrantable): iam.Grant;
  /** A metric in `AWS/SageMaker` for this endpoint and variant. */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}
