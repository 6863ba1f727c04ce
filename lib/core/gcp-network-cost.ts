// What the GCP stack's network options add to the monthly bill: the Serverless VPC Access connector it creates, Direct
// VPC egress (no charge of its own), and the external HTTPS load balancer with Cloud Armor of `publicApi`. List prices,
// us-central1, dated; estimateMonthlyCost adds these lines for GCP.
import type { CostLine } from './cost-line';
import type { UsagePrice } from './usage-prices';

/** When the prices below were read. */
export const GCP_NETWORK_PRICES_AS_OF = '2026-12-04';

const VPC_PRICING = 'https://cloud.google.com/vpc/pricing#serverless-vpc-pricing';
const VM_PRICING = 'https://cloud.google.com/compute/vm-instance-pricing';
const LB_PRICING = 'https://cloud.google.com/load-balancing/pricing';
const ARMOR_PRICING = 'https://cloud.google.com/armor/pricing';

/**
 * A connector runs as Compute Engine VMs of its machine type, billed per instance-hour at the VM rate (VPC pricing,
 * "Serverless VPC Access"); e2 rates: $0.021811 per vCPU-hour and $0.002923 per GiB-hour, e2-micro billed as 0.25 vCPU.
 */
export const CONNECTOR_INSTANCE_HOUR: Readonly<Record<'e2-micro' | 'f1-micro' | 'e2-standard-4', UsagePrice>> = {
  'e2-micro': { usd: 0.0084, unit: 'per e2-micro connector instance-hour (0.25 vCPU, 1 GiB)', source: `${VPC_PRICING}, ${VM_PRICING}` },
  'f1-micro': { usd: 0.0076, unit: 'per f1-micro connector instance-hour', source: `${VPC_PRICING}, ${VM_PRICING}` },
  'e2-standard-4': { usd: 0.134, unit: 'per e2-standard-4 connector instance-hour (4 vCPU, 16 GiB)', source: `${VPC_PRICING}, ${VM_PRICING}` },
};

export const GCP_NETWORK_PRICES = {
  /** Direct VPC egress itself is free; traffic into the VPC bills like VM network traffic. */
  directVpcEgress: { usd: 0, unit: 'no charge for Direct VPC egress itself (traffic bills as VM network egress)', source: 'https://cloud.google.com/run/pricing' },
  forwardingRuleHour: { usd: 0.025, unit: 'per forwarding rule-hour (first 5 global rules)', source: LB_PRICING },
  dataProcessedGb: { usd: 0.008, unit: 'per GiB processed by the load balancer, inbound and outbound', source: LB_PRICING },
  armorPolicyMonth: { usd: 5, unit: 'per Cloud Armor Standard policy-month', source: ARMOR_PRICING },
  armorRuleMonth: { usd: 1, unit: 'per Cloud Armor Standard rule-month', source: ARMOR_PRICING },
  armorPerMillionRequests: { usd: 0.75, unit: 'per million requests evaluated by Cloud Armor Standard', source: ARMOR_PRICING },
} as const satisfies Record<string, UsagePrice>;

/** The network choices of one GCP stack that change the bill (GcpModelStack records them as `gcpNetwork`). */
export interface GcpNetworkCostOptions {
  /** A connector the stack creates (an existing one is billed to whoever created it). @default - none */
  readonly connector?: {
    readonly machineType: keyof typeof CONNECTOR_INSTANCE_HOUR;
    readonly minInstances: number;
    readonly maxInstances: number;
  };
  /** Direct VPC egress on the serving service. @default false */
  readonly directVpcEgress?: boolean;
  /** The global external HTTPS load balancer (`publicApi`): one forwarding rule, one Cloud Armor policy. @default - none */
  readonly loadBalancer?: {
    /** Rules in the Cloud Armor policy (the stack creates 2: the rate limit and the default). */
    readonly armorRules: number;
  };
}

/** The traffic the load-balancer lines are priced at (the estimate's traffic profile). */
export interface GcpNetworkTraffic {
  readonly requestsPerMonth: number;
  /** Average request plus response payload, in KB. */
  readonly payloadKb: number;
}

const cents = (n: number) => Math.round(n * 100) / 100;
const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;

/**
 * The monthly cost lines of the network options: min with the connector's minimum instances, max with its maximum, for
 * `hoursPerMonth` hours. Nothing is returned for options that are off.
 */
export function gcpNetworkCostLines(options: GcpNetworkCostOptions, traffic: GcpNetworkTraffic, hoursPerMonth = 730): CostLine[] {
  const lines: CostLine[] = [];
  const add = (item: string, minUsd: number, maxUsd: number, basis: string, source: string) => lines.push({ item, minUsd: cents(minUsd), maxUsd: cents(maxUsd), basis, source });
  const p = GCP_NETWORK_PRICES;
  if (options.connector) {
    const { machineType, minInstances, maxInstances } = options.connector;
    const hourly = CONNECTOR_INSTANCE_HOUR[machineType];
    add(`Serverless VPC Access connector (${machineType})`, minInstances * hoursPerMonth * hourly.usd, maxInstances * hoursPerMonth * hourly.usd,
      `${minInstances}-${maxInstances} x ${hoursPerMonth} h x ${usd(hourly.usd)}/h`, hourly.source);
  }
  if (options.directVpcEgress) add('Direct VPC egress', 0, 0, p.directVpcEgress.unit, p.directVpcEgress.source);
  if (options.loadBalancer) {
    const rule = hoursPerMonth * p.forwardingRuleHour.usd;
    add('HTTPS load balancer forwarding rule', rule, rule, `1 x ${hoursPerMonth} h x ${usd(p.forwardingRuleHour.usd)}/h`, p.forwardingRuleHour.source);
    const gib = (traffic.requestsPerMonth * traffic.payloadKb) / 1_048_576;
    const data = gib * p.dataProcessedGb.usd;
    add('Load balancer data processed', data, data, `${gib.toFixed(3)} GiB x ${usd(p.dataProcessedGb.usd)}/GiB`, p.dataProcessedGb.source);
    const rules = options.loadBalancer.armorRules;
    const requestsM = traffic.requestsPerMonth / 1_000_000;
    const armor = p.armorPolicyMonth.usd + rules * p.armorRuleMonth.usd + requestsM * p.armorPerMillionRequests.usd;
    add('Cloud Armor policy, rules and requests', armor, armor,
      `${usd(p.armorPolicyMonth.usd)} + ${rules} x ${usd(p.armorRuleMonth.usd)} + ${requestsM.toFixed(3)} M x ${usd(p.armorPerMillionRequests.usd)}`, p.armorPolicyMonth.source);
  }
  return lines;
}

/** The GCP guide's table of what the network options cost (docs/gcp.md shows it; a test keeps the two equal). */
export function gcpNetworkCostTable(traffic: GcpNetworkTraffic = { requestsPerMonth: 1_000_000, payloadKb: 10 }): string {
  const scenarios: [string, GcpNetworkCostOptions][] = [
    ['`network` with `newConnector` (defaults: e2-micro, 2-3 instances)', { directVpcEgress: true, connector: { machineType: 'e2-micro', minInstances: 2, maxInstances: 3 } }],
    ['`network` with your `connector`', { directVpcEgress: true }],
    ['`publicApi` (load balancer, Cloud Armor)', { loadBalancer: { armorRules: 2 } }],
  ];
  const rows = scenarios.flatMap(([option, options]) => gcpNetworkCostLines(options, traffic).map((line) =>
    `| ${option} | ${line.item} | ${line.minUsd === line.maxUsd ? usd(line.minUsd) : `${usd(line.minUsd)}-${usd(line.maxUsd)}`} | ${line.basis} |`));
  return [
    `Prices of ${GCP_NETWORK_PRICES_AS_OF} (us-central1 list prices), at ${traffic.requestsPerMonth.toLocaleString('en-US')} requests a month of ${traffic.payloadKb} KB:`,
    '',
    '| option | line | $/month | basis |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
