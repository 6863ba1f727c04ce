import { azureMlServingCost } from '../../lib/core/azure-ml-cost';
import { estimateMonthlyCost } from '../../lib/core/cost';

const line = (estimate: ReturnType<typeof estimateMonthlyCost>, item: RegExp) => estimate.lines.find((l) => item.test(l.item));

describe('azureMlServingCost', () => {
  it('keeps at least one instance (managed deployments do not scale to zero)', () => {
    expect(azureMlServingCost('cpu-xlarge', 0, 0, 730).lines[0]).toMatchObject({ minUsd: 213.89, maxUsd: 213.89, basis: '1-1 x 730 h x $0.293/h' });
  });
});

describe('estimateMonthlyCost with azureServing "azure-ml"', () => {
  it('prices the class\'s Azure ML instance type, with no plan fee and no API Management line', () => {
    const estimate = estimateMonthlyCost({ name: 'fraud', image: 'x', compute: 'gpu-t4', scaling: { minInstances: 0, maxInstances: 3 } }, 'azure', { azureServing: 'azure-ml' });
    expect(line(estimate, /^Azure ML Standard_NC4as_T4_v3 instances$/)).toMatchObject({ minUsd: 383.98, maxUsd: 1151.94, basis: '1-3 x 730 h x $0.526/h' });
    expect(line(estimate, /plan fee|API requests/)).toBeUndefined();
    expect(estimate.machineType).toBe('Standard_NC4as_T4_v3');
    // The oldest date among the prices used: the usage prices (2026-11-24) before the Azure ML sizes (2026-12-05).
    expect(estimate.pricesAsOf).toBe('2026-11-24');
  });

  it('lists a class with no Azure ML size as not priced instead of refusing', () => {
    const estimate = estimateMonthlyCost({ name: 'fraud', image: 'x', compute: 'gpu-v100' }, 'azure', { azureServing: 'azure-ml' });
    expect(line(estimate, /^Azure ML gpu-v100 instances$/)).toMatchObject({ minUsd: 0, notPriced: true, source: expect.stringMatching(/^not priced: Azure ML managed online endpoints have no V100 size/) });
    expect(estimate.notPriced).toEqual(['gpu-v100']);
  });

  it('leaves the Container Apps estimate as it was by default', () => {
    const estimate = estimateMonthlyCost({ name: 'fraud', image: 'x' }, 'azure');
    expect(line(estimate, /plan fee/)).toBeDefined();
    expect(line(estimate, /^Azure ML/)).toBeUndefined();
  });
});
