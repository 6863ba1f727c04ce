// What the Azure private-networking option (AzureModelStack `privateNetworking`) adds to the monthly bill: private
// endpoints (per hour and per GB processed), the private DNS zones they resolve through, and a Premium registry when
// the stack creates one (only Premium registries take a private endpoint). Dated list prices with their sources.
import type { CostLine } from './cost-line';
import type { UsagePrice } from './usage-prices';

/** When the prices below were read. */
export const AZURE_NETWORK_PRICES_AS_OF = '2026-12-04';

const PRIVATE_LINK_SOURCE = 'https://azure.microsoft.com/pricing/details/private-link/ (East US list price; the same rates in infracost\'s golden test internal/providers/terraform/azure/testdata/private_endpoint_test, read from the Azure Retail Prices API)';

/** Azure Private Link, private DNS and Container Registry list prices (USD, East US). */
export const AZURE_NETWORK_PRICES = {
  /** One private endpoint, per hour it exists. */
  privateEndpointHour: { usd: 0.01, unit: 'per private endpoint-hour', source: PRIVATE_LINK_SOURCE },
  /** Data through a private endpoint, per GB, charged in each direction (inbound and outbound; first 1 PB a month). */
  privateEndpointGb: { usd: 0.01, unit: 'per GB processed in each direction (first 1 PB)', source: PRIVATE_LINK_SOURCE },
  /** One private DNS zone per month (first 25 zones of a subscription). Queries ($0.40 per million) are left out. */
  privateDnsZoneMonth: { usd: 0.5, unit: 'per private DNS zone-month (first 25 zones)', source: 'https://azure.microsoft.com/pricing/details/dns/ (infracost golden test private_dns_zone_test: $0.50 a zone-month)' },
  /** Container Registry, per registry-day, by SKU. */
  registryDay: {
    Basic: { usd: 0.1667, unit: 'per Basic registry-day (10 GiB included)', source: 'https://azure.microsoft.com/pricing/details/container-registry/ ($5.00 a 30-day month, infracost golden test container_registry_test)' },
    Standard: { usd: 0.6667, unit: 'per Standard registry-day (100 GiB included)', source: 'https://azure.microsoft.com/pricing/details/container-registry/ ($20.00 a 30-day month)' },
    Premium: { usd: 1.6667, unit: 'per Premium registry-day (500 GiB included, private endpoints)', source: 'https://azure.microsoft.com/pricing/details/container-registry/ ($50.00 a 30-day month, infracost golden test container_registry_test)' },
  },
} as const satisfies Record<string, UsagePrice | Record<string, UsagePrice>>;

/** The private-networking resources of one stack, as AzureModelStack records them (`networkCost`). */
export interface AzureNetworkCostOptions {
  /** Private endpoints the stack creates. */
  readonly privateEndpoints: number;
  /** Private DNS zones the stack creates (none when you pass your own zones). */
  readonly privateDnsZones: number;
  /** The SKU the stack's registry would have without the private option, when the option makes it Premium. */
  readonly registryUpgradedFrom?: 'Basic' | 'Standard';
}

const cents = (n: number) => Math.round(n * 100) / 100;

/**
 * The extra monthly cost lines of the private-networking option: endpoint-hours, data processed through the
 * endpoints (`dataProcessedGb`, e.g. the month's captured requests and responses written to storage), DNS zones, and
 * the registry upgrade to Premium. Every line has the same min and max (nothing here scales with replicas).
 */
export function azurePrivateNetworkingCostLines(options: AzureNetworkCostOptions, dataProcessedGb: number, hoursPerMonth = 730): CostLine[] {
  const p = AZURE_NETWORK_PRICES;
  const lines: CostLine[] = [];
  const add = (item: string, usd: number, basis: string, source: string) => lines.push({ item, minUsd: cents(usd), maxUsd: cents(usd), basis, source });
  if (options.privateEndpoints > 0) {
    add('Private endpoints', options.privateEndpoints * hoursPerMonth * p.privateEndpointHour.usd,
      `${options.privateEndpoints} x ${hoursPerMonth} h x $${p.privateEndpointHour.usd}/h`, p.privateEndpointHour.source);
    add('Private endpoint data processed', dataProcessedGb * p.privateEndpointGb.usd,
      `${dataProcessedGb.toFixed(3)} GB x $${p.privateEndpointGb.usd}/GB`, p.privateEndpointGb.source);
  }
  if (options.privateDnsZones > 0) {
    add('Private DNS zones', options.privateDnsZones * p.privateDnsZoneMonth.usd,
      `${options.privateDnsZones} x $${p.privateDnsZoneMonth.usd}/zone-month`, p.privateDnsZoneMonth.source);
  }
  if (options.registryUpgradedFrom) {
    const days = hoursPerMonth / 24;
    const from = p.registryDay[options.registryUpgradedFrom];
    const extra = days * (p.registryDay.Premium.usd - from.usd);
    add(`Premium container registry instead of ${options.registryUpgradedFrom} (private endpoints need Premium)`, extra,
      `${days.toFixed(2)} days x ($${p.registryDay.Premium.usd} - $${from.usd})/day`, p.registryDay.Premium.source);
  }
  return lines;
}
