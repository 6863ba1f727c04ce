import { AZURE_NETWORK_PRICES, AZURE_NETWORK_PRICES_AS_OF, azurePrivateNetworkingCostLines } from '../../lib/core/azure-network-cost';

describe('azurePrivateNetworkingCostLines', () => {
  it('prices endpoint-hours, data processed and DNS zones at the dated list prices', () => {
    const lines = azurePrivateNetworkingCostLines({ privateEndpoints: 8, privateDnsZones: 5 }, 100);
    expect(lines).toEqual([
      { item: 'Private endpoints', minUsd: 58.4, maxUsd: 58.4, basis: '8 x 730 h x $0.01/h', source: AZURE_NETWORK_PRICES.privateEndpointHour.source },
      { item: 'Private endpoint data processed', minUsd: 1, maxUsd: 1, basis: '100.000 GB x $0.01/GB', source: AZURE_NETWORK_PRICES.privateEndpointGb.source },
      { item: 'Private DNS zones', minUsd: 2.5, maxUsd: 2.5, basis: '5 x $0.5/zone-month', source: AZURE_NETWORK_PRICES.privateDnsZoneMonth.source },
    ]);
    expect(AZURE_NETWORK_PRICES_AS_OF).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('adds the Premium registry upgrade when the private option makes the stack\'s registry Premium', () => {
    const [line] = azurePrivateNetworkingCostLines({ privateEndpoints: 0, privateDnsZones: 0, registryUpgradedFrom: 'Standard' }, 0);
    // 730/24 days x ($1.6667 - $0.6667) a day.
    expect(line).toMatchObject({ item: 'Premium container registry instead of Standard (private endpoints need Premium)', minUsd: 30.42, maxUsd: 30.42 });
  });

  it('adds nothing when the stack creates nothing private', () => {
    expect(azurePrivateNetworkingCostLines({ privateEndpoints: 0, privateDnsZones: 0 }, 50)).toEqual([]);
  });

  it('cites a source for every price', () => {
    const prices = [AZURE_NETWORK_PRICES.privateEndpointHour, AZURE_NETWORK_PRICES.privateEndpointGb, AZURE_NETWORK_PRICES.privateDnsZoneMonth, ...Object.values(AZURE_NETWORK_PRICES.registryDay)];
    for (const p of prices) expect(p.source).toMatch(/^https:\/\/azure\.microsoft\.com\/pricing\/details\//);
  });
});
