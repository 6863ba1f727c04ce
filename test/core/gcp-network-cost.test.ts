import { CONNECTOR_INSTANCE_HOUR, GCP_NETWORK_PRICES, GCP_NETWORK_PRICES_AS_OF, gcpNetworkCostLines } from '../../lib/core/gcp-network-cost';

const traffic = { requestsPerMonth: 1_000_000, payloadKb: 10 };

describe('gcpNetworkCostLines', () => {
  it('adds nothing when the stack uses no network option', () => {
    expect(gcpNetworkCostLines({}, traffic)).toEqual([]);
  });

  it('prices the created connector from its minimum to its maximum instances, around the clock', () => {
    const [line] = gcpNetworkCostLines({ connector: { machineType: 'e2-micro', minInstances: 2, maxInstances: 3 } }, traffic);
    expect(line).toEqual({
      item: 'Serverless VPC Access connector (e2-micro)', minUsd: 12.26, maxUsd: 18.40, basis: '2-3 x 730 h x $0.0084/h',
      source: CONNECTOR_INSTANCE_HOUR['e2-micro'].source,
    });
  });

  it('lists Direct VPC egress at no charge of its own', () => {
    expect(gcpNetworkCostLines({ directVpcEgress: true }, traffic)).toEqual([expect.objectContaining({ item: 'Direct VPC egress', minUsd: 0, maxUsd: 0 })]);
  });

  it('prices the load balancer: forwarding rule hours, data processed and Cloud Armor at the traffic profile', () => {
    const lines = gcpNetworkCostLines({ loadBalancer: { armorRules: 2 } }, traffic);
    expect(lines.map((l) => [l.item, l.minUsd])).toEqual([
      ['HTTPS load balancer forwarding rule', 18.25],
      // 1 M requests x 10 KB = 9.537 GiB x $0.008
      ['Load balancer data processed', 0.08],
      // $5 policy + 2 rules x $1 + 1 M requests x $0.75
      ['Cloud Armor policy, rules and requests', 7.75],
    ]);
    expect(lines.every((l) => l.source.startsWith('https://cloud.google.com/'))).toBe(true);
  });

  it('dates its prices and cites a source for each', () => {
    expect(GCP_NETWORK_PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const price of [...Object.values(GCP_NETWORK_PRICES), ...Object.values(CONNECTOR_INSTANCE_HOUR)]) expect(price.source).toMatch(/^https:\/\/cloud\.google\.com\//);
  });
});
