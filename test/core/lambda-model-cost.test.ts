import { estimateMonthlyCost } from '../../lib/core/cost';
import { LAMBDA_PRICES, lambdaModelCostLines } from '../../lib/core/lambda-model-cost';

const spec = { name: 'churn', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1' };

describe('lambdaModelCostLines', () => {
  it('prices requests and GB-seconds by hand: 1 M requests x 100 ms x 2 GB', () => {
    const lines = lambdaModelCostLines({}, { requestsPerMonth: 1_000_000, modelLatencyMs: 100 });
    const byItem = Object.fromEntries(lines.map((l) => [l.item, l]));
    // 0.2 per million requests.
    expect(byItem['Lambda model requests'].minUsd).toBe(0.2);
    // 1e6 x 0.1 s x 2 GB = 200,000 GB-s x $0.0000166667 = $3.33.
    expect(byItem['Lambda model duration'].minUsd).toBe(3.33);
    expect(byItem['Lambda model duration'].basis).toContain('1,000,000 requests/month x 100 ms (assumed)');
    expect(lines.every((l) => l.source.includes('https://aws.amazon.com/lambda/pricing/'))).toBe(true);
    expect(lines.map((l) => l.item)).toEqual(['Lambda model requests', 'Lambda model duration']);
  });

  it('adds extra /tmp and provisioned concurrency, and bills warm invocations at the provisioned duration rate', () => {
    const lines = lambdaModelCostLines({ memorySizeMb: 1024, ephemeralStorageMb: 1536, provisionedConcurrency: 1 }, { requestsPerMonth: 1_000_000, modelLatencyMs: 100 });
    const byItem = Object.fromEntries(lines.map((l) => [l.item, l]));
    // 1 instance x 1 GB x 2,628,000 s x $0.0000041667 = $10.95.
    expect(byItem['Lambda model provisioned concurrency'].minUsd).toBe(10.95);
    // 100,000 s fit in one warm instance's month: 100,000 GB-s x $0.0000097222 = $0.97.
    expect(byItem['Lambda model duration'].minUsd).toBe(0.97);
    // 1 GB beyond 512 MB x 100,000 s x $0.0000000309 = $0.0031 -> $0.00.
    expect(byItem['Lambda model ephemeral storage'].minUsd).toBe(0);
  });

  it('refuses sizes Lambda does not offer', () => {
    expect(() => lambdaModelCostLines({ memorySizeMb: 64 }, { requestsPerMonth: 1, modelLatencyMs: 1 })).toThrow(/lambdaModel\.memorySizeMb: got 64/);
    expect(() => lambdaModelCostLines({ ephemeralStorageMb: 100 }, { requestsPerMonth: 1, modelLatencyMs: 1 })).toThrow(/lambdaModel\.ephemeralStorageMb: got 100/);
  });

  it('records its date', () => {
    expect(LAMBDA_PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('estimateMonthlyCost in mode lambda', () => {
  it('has the Lambda model lines instead of instances, no proxy and no capture, and names the function size', () => {
    const estimate = estimateMonthlyCost(spec, 'aws', { mode: 'lambda', lambdaModel: { memorySizeMb: 3008 }, jobs: [] });
    const items = estimate.lines.map((l) => l.item);
    expect(items).toEqual(expect.arrayContaining(['Lambda model requests', 'Lambda model duration', 'API requests']));
    expect(items.some((i) => /instances|Lambda proxy/.test(i))).toBe(false);
    expect(estimate.lines.find((l) => l.item.startsWith('Data capture'))?.minUsd).toBe(0);
    expect(estimate.machineType).toBe('Lambda 3008 MB');
    // 1e6 x 0.1 s x 2.9375 GB x $0.0000166667 = $4.90, plus $0.20 requests and $3.50 API.
    expect(estimate.lines.find((l) => l.item === 'Lambda model duration')?.minUsd).toBe(4.9);
  });
});
