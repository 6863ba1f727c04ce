// A stand-in endpoint for tests of constructs that only need the IInferenceEndpoint contract: an imported
// one (one per name and stack), as a user's existing endpoint would be.
import { Stack } from 'aws-cdk-lib';
import { IInferenceEndpoint } from '../../../lib/aws/inference-endpoint';
import { ModelEndpoint } from '../../../lib/aws/model-endpoint';

export function fakeEndpoint(stack: Stack, name = 'churn-endpoint'): IInferenceEndpoint {
  const id = `Endpoint-${name}`;
  return (stack.node.tryFindChild(id) as IInferenceEndpoint | undefined) ?? ModelEndpoint.fromEndpointName(stack, id, name);
}
