// A stand-in endpoint for tests of constructs that only need the IInferenceEndpoint contract.
import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IInferenceEndpoint } from '../../../lib/aws/inference-endpoint';

export function fakeEndpoint(stack: Stack, name = 'churn-endpoint'): IInferenceEndpoint {
  const endpointArn = stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: name });
  return {
    endpointName: name,
    endpointArn,
    variantName: 'AllTraffic',
    grantInvoke: (grantee: iam.IGrantable) =>
      iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [endpointArn] }),
    metric: (metricName: string, props?: cloudwatch.MetricOptions) =>
      new cloudwatch.Metric({ namespace: 'AWS/SageMaker', metricName, dimensionsMap: { EndpointName: name, VariantName: 'AllTraffic' }, ...props }),
  };
}
