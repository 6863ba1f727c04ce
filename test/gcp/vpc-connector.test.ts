import { TerraformOutput } from 'cdktf';
import { VpcConnector } from '../../lib/gcp/vpc-connector';
import { PROJECT, REGION, resource, synth, testStack } from './private/tf-json';

describe('VpcConnector', () => {
  it('creates a connector in the given /28 subnet, checking Private Google Access on it at plan time', () => {
    const { stack } = testStack();
    const connector = new VpcConnector(stack, 'Vpc', { projectId: PROJECT, region: REGION, name: 'churn-vpc', subnetwork: 'projects/host-prj/regions/us-central1/subnetworks/connector-28' });
    new TerraformOutput(stack, 'connector_id', { value: connector.connectorId });
    const json = synth(stack);
    const created = resource(json, 'google_vpc_access_connector', 'Vpc/Connector');
    expect(created).toMatchObject({
      name: 'churn-vpc', region: REGION, project: PROJECT, machine_type: 'e2-micro', min_instances: 2, max_instances: 3,
      subnet: { name: 'connector-28', project_id: 'host-prj' },
      lifecycle: { precondition: [{ condition: expect.stringMatching(/^\$\{data\.google_compute_subnetwork\.Vpc_Subnetwork_[0-9A-F]{8}\.private_ip_google_access\}$/) }] },
    });
    expect(json.output!.connector_id.value).toBe(`\${google_vpc_access_connector.${created.logicalId}.id}`);
  });

  it('rejects sizes Serverless VPC Access does not allow', () => {
    const { stack } = testStack();
    expect(() => new VpcConnector(stack, 'Bad', { projectId: PROJECT, region: REGION, name: 'a-name-much-longer-than-25-chars', subnetwork: 'sub', minInstances: 1, maxInstances: 1 }))
      .toThrow(/VpcConnector name: got "a-name-much-longer-than-25-chars"[\s\S]*VpcConnector minInstances: got 1; expected an integer from 2 to 9[\s\S]*VpcConnector maxInstances: got 1; expected an integer from 3 to 10[\s\S]*VpcConnector maxInstances: got 1; expected more than minInstances \(1\)/);
  });
});
