// The one-prop private switch of GcpModelStack (`network`), through the stack that applies it.
import { Testing } from 'cdktf';
import { GcpModelStack, GcpModelStackProps } from '../../lib/gcp/gcp-model-stack';
import { address, resource, resourcesOf, synth, TfJson } from './private/tf-json';

const base: GcpModelStackProps = {
  projectId: 'example-project-id',
  region: 'us-central1',
  spec: { name: 'churn', image: 'us-central1-docker.pkg.dev/p/models/churn:1', monitoring: { alarmEmails: ['oncall@example.com'] } },
};

describe('GcpModelStack network', () => {
  let json: TfJson;
  let stack: GcpModelStack;
  beforeAll(() => {
    stack = new GcpModelStack(Testing.app(), 'private', {
      ...base, network: { subnetwork: 'ml-serving', network: 'prod-vpc', networkTags: ['ml'], newConnector: { subnetwork: 'ml-connector-28' } },
    });
    json = synth(stack);
  });

  it('puts the service behind internal ingress with Direct VPC egress of private ranges into the subnet', () => {
    const service = resource(json, 'google_cloud_run_v2_service', 'Serving/Service');
    expect(service.ingress).toBe('INGRESS_TRAFFIC_INTERNAL_ONLY');
    expect(service.template).toMatchObject({ vpc_access: { egress: 'PRIVATE_RANGES_ONLY', network_interfaces: [{ network: 'prod-vpc', subnetwork: 'ml-serving', tags: ['ml'] }] } });
  });

  it('creates one connector both functions send all their egress through, so batch still reaches the internal service', () => {
    const connector = resource(json, 'google_vpc_access_connector', 'VpcConnector');
    expect(connector).toMatchObject({ name: 'churn-vpc', subnet: { name: 'ml-connector-28' }, machine_type: 'e2-micro', min_instances: 2, max_instances: 3 });
    const id = `\${${address(json, 'google_vpc_access_connector', 'VpcConnector')}.id}`;
    for (const fn of ['Batch/Function', 'Drift/Function']) {
      expect(resource(json, 'google_cloudfunctions2_function', fn).service_config).toMatchObject({ vpc_connector: id, vpc_connector_egress_settings: 'ALL_TRAFFIC' });
    }
  });

  it('enables Compute Engine and Serverless VPC Access, before the connector is created', () => {
    const services = Object.values(resourcesOf(json, 'google_project_service')).map((s) => s.service);
    expect(services).toEqual(expect.arrayContaining(['compute.googleapis.com', 'vpcaccess.googleapis.com']));
    expect(resource(json, 'google_vpc_access_connector', 'VpcConnector').depends_on).toEqual(expect.arrayContaining([
      expect.stringMatching(/^google_project_service\.Apis_vpcaccess_[0-9A-F]{8}$/),
    ]));
  });

  it('says what the network costs: the connector it created and Direct VPC egress', () => {
    expect(stack.networkCost).toEqual({ directVpcEgress: true, connector: { machineType: 'e2-micro', minInstances: 2, maxInstances: 3 }, loadBalancer: undefined });
  });

  it('uses an existing connector, and puts the load balancer in front when publicApi is also set', () => {
    const connector = 'projects/example-project-id/locations/us-central1/connectors/shared-vpc';
    const behind = new GcpModelStack(Testing.app(), 'private-lb', { ...base, publicApi: { domains: ['api.example.com'] }, network: { subnetwork: 'ml-serving', connector } });
    const lbJson = synth(behind);
    expect(resource(lbJson, 'google_cloud_run_v2_service', 'Serving/Service').ingress).toBe('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
    expect(resource(lbJson, 'google_cloudfunctions2_function', 'Batch/Function').service_config).toMatchObject({ vpc_connector: connector });
    expect(resourcesOf(lbJson, 'google_vpc_access_connector')).toEqual({});
    expect(behind.networkCost).toEqual({ directVpcEgress: true, connector: undefined, loadBalancer: { armorRules: 2 } });
  });

  it('refuses a network without a connector while batch inference is on, and two connectors', () => {
    expect(() => new GcpModelStack(Testing.app(), 'no-connector', { ...base, network: { subnetwork: 'ml-serving' } }))
      .toThrow('GcpModelStack network.connector: got undefined; expected a connector id, or network.newConnector: { subnetwork: "<a /28 subnet>" } (batch inference reaches the internal service only through the VPC; or batch: false)');
    expect(() => new GcpModelStack(Testing.app(), 'no-batch', { ...base, batch: false, driftJob: { captureUri: 'gs://c/churn/' }, network: { subnetwork: 'ml-serving' } })).not.toThrow();
    expect(() => new GcpModelStack(Testing.app(), 'two', {
      ...base, batch: { vpcConnector: 'projects/p/locations/us-central1/connectors/other' },
      network: { subnetwork: 'ml serving', connector: 'projects/p/locations/us-central1/connectors/c', newConnector: { subnetwork: 's' } },
    })).toThrow(/GcpModelStack network.subnetwork: got "ml serving"[\s\S]*GcpModelStack network.newConnector: got .*; expected nothing when network.connector is given[\s\S]*GcpModelStack batch.vpcConnector: got .*; expected nothing with network/);
  });
});
