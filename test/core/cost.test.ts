import { compareClouds, computePriceTable, estimateMonthlyCost, formatCostSummary } from '../../lib/core/cost';
import { ValidationError } from '../../lib/core/errors';
import { ModelSpec } from '../../lib/core/model-spec';

const spec: ModelSpec = { name: 'churn-model', image: 'registry.example.com/churn:1' };
const line = (estimate: ReturnType<typeof estimateMonthlyCost>, item: RegExp) => estimate.lines.find((l) => item.test(l.item));

describe('estimateMonthlyCost', () => {
  it('prices the default AWS stack by hand: 1-4 x ml.m5.xlarge plus per-use parts at 1 M requests', () => {
    const aws = estimateMonthlyCost(spec, 'aws');
    expect(line(aws, /instances/)).toMatchObject({ minUsd: 167.9, maxUsd: 671.6, basis: '1-4 x 730 h x $0.23/h' }); // 730 x 0.23
    expect(line(aws, /API requests/)!.minUsd).toBe(3.5); // 1 M x $3.50
    expect(line(aws, /Lambda/)!.minUsd).toBe(1.2); // 1e6 x 0.5 GB x 0.12 s x 0.0000166667 + 1 M x 0.20
    expect(line(aws, /capture/)!.minUsd).toBe(0.22); // 1e6 x 10 KB = 9.537 GB x 0.023
    expect(line(aws, /Alarms/)!.minUsd).toBe(3.4); // 4 x 0.10 + 3 dashboard
    expect(line(aws, /drift/)!.minUsd).toBe(1.46); // Lambda: 730 runs x 60 s x 2 GB x $0.0000166667/GB-s
    expect(line(aws, /key/)!.minUsd).toBe(1);
    expect(aws.minMonthlyUsd).toBe(178.68);
    expect(aws.maxMonthlyUsd).toBe(682.38);
  });

  it('prices the default GCP stack: Cloud Run 4 vCPU / 16 GiB instance-hours, no per-request fee', () => {
    const gcp = estimateMonthlyCost(spec, 'gcp');
    expect(line(gcp, /instances/)).toMatchObject({ minUsd: 273.31, maxUsd: 1093.25 }); // 0.3744/h x 730 x 1..4
    expect(line(gcp, /API requests/)).toBeUndefined();
    expect(line(gcp, /drift/)!.minUsd).toBe(1.27); // Cloud Run function: 730 x 60 s x ($0.000024 x 1 vCPU + $0.0000025 x 2 GiB)
    expect(gcp.minMonthlyUsd).toBe(275.23);
  });

  it('costs nothing for instances when GCP and Azure scale to zero, but keeps the per-use parts', () => {
    const gcp = estimateMonthlyCost({ ...spec, scaling: { minInstances: 0 } }, 'gcp');
    expect(line(gcp, /instances/)!.minUsd).toBe(0);
    expect(gcp.minMonthlyUsd).toBeGreaterThan(0);
  });

  it('keeps at least one instance for a real-time SageMaker endpoint even when minInstances is 0', () => {
    expect(line(estimateMonthlyCost({ ...spec, scaling: { minInstances: 0 } }, 'aws'), /instances/)!.minUsd).toBe(167.9);
  });

  it('adds the dedicated plan fee on Azure CPU classes and the API Management free million', () => {
    const azure = estimateMonthlyCost(spec, 'azure', { traffic: { requestsPerMonth: 3_000_000 } });
    expect(line(azure, /dedicated plan fee/)!.minUsd).toBe(73); // 730 x 0.10
    expect(line(azure, /API requests/)!.minUsd).toBe(7); // (3 M - 1 M free) x 3.50
    expect(line(estimateMonthlyCost({ ...spec, compute: 'gpu-t4' }, 'azure'), /dedicated plan fee/)).toBeUndefined();
  });

  it('prices AWS serverless per use: requests x duration x memory', () => {
    const serverless = estimateMonthlyCost(spec, 'aws', { mode: 'serverless', serverlessMemoryMb: 2048, traffic: { requestsPerMonth: 1_000_000, modelLatencyMs: 100 } });
    expect(line(serverless, /serverless compute/)!.minUsd).toBe(4); // 1e6 x 0.1 s x 2 GB x 0.00002
    expect(line(serverless, /instances/)).toBeUndefined();
    expect(serverless.minMonthlyUsd).toBe(serverless.maxMonthlyUsd);
  });

  it('counts every customer-managed key the stack creates', () => {
    expect(line(estimateMonthlyCost(spec, 'aws', { keyCount: 2 }), /keys/)).toMatchObject({ minUsd: 2, basis: '2 x $1.00 per KMS key-month' });
  });

  it('leaves out monitoring when the spec turns it off', () => {
    const quiet = estimateMonthlyCost({ ...spec, monitoring: { enabled: false } }, 'aws');
    expect(line(quiet, /drift|Alarms/)).toBeUndefined();
  });

  it('rejects a negative traffic profile in the core error format', () => {
    expect(() => estimateMonthlyCost(spec, 'aws', { traffic: { requestsPerMonth: -5 } }))
      .toThrow(new ValidationError(['estimateMonthlyCost traffic.requestsPerMonth: got -5; expected a number from 0 to 1000000000000']));
  });

  it('compares the three clouds and summarizes each on one line', () => {
    const estimates = compareClouds(spec);
    expect(estimates.map((e) => e.cloud)).toEqual(['aws', 'gcp', 'azure']);
    expect(formatCostSummary(estimates[0])).toBe('churn-model on aws (ml.m5.xlarge, us-east-1): $178.68-$682.38/month at 1,000,000 requests, prices of 2026-11-24');
    expect(computePriceTable()).toContain('| gpu-a10g | ml.g5.xlarge $1.408 |');
  });
});

describe('estimateMonthlyCost on any SageMaker hosting type', () => {
  it('prices an instanceType from the catalog instead of the class machine', () => {
    const aws = estimateMonthlyCost(spec, 'aws', { instanceType: 'ml.p4d.24xlarge' });
    expect(line(aws, /instances/)).toMatchObject({ item: 'ml.p4d.24xlarge instances', basis: '1-4 x 730 h x $37.688/h' });
    expect(aws.machineType).toBe('ml.p4d.24xlarge');
    expect(aws.notPriced).toEqual([]);
  });

  it('says "not priced" for a type without a recorded price, counting it as $0 instead of refusing', () => {
    const aws = estimateMonthlyCost(spec, 'aws', { instanceType: 'ml.r7i.large' });
    expect(line(aws, /instances/)).toMatchObject({ minUsd: 0, maxUsd: 0, notPriced: true, source: expect.stringMatching(/^not priced/) });
    expect(aws.notPriced).toEqual(['ml.r7i.large']);
  });

  it('prices each variant on its own type and counts', () => {
    const aws = estimateMonthlyCost(spec, 'aws', {
      instanceType: 'ml.g5.xlarge',
      variants: [{ variantName: 'Current', minInstances: 1, maxInstances: 2 }, { variantName: 'Candidate', instanceType: 'ml.g6.xlarge', minInstances: 1, maxInstances: 1 }],
    });
    expect(line(aws, /Current/)).toMatchObject({ minUsd: 1027.84, maxUsd: 2055.68 }); // 730 x 1.408
    expect(line(aws, /Candidate/)).toMatchObject({ notPriced: true });
    expect(aws.machineType).toBe('ml.g5.xlarge + ml.g6.xlarge');
  });

  it('refuses a misspelt instance type', () => {
    expect(() => estimateMonthlyCost(spec, 'aws', { instanceType: 'ml.g5.xxlarge' })).toThrow(/instanceType: got "ml.g5.xxlarge".*did you mean/);
  });

  it('prices each scheduled job on its runner, and none when the stack has no job', () => {
    const modelMonitor = estimateMonthlyCost(spec, 'aws', { jobs: [{ item: 'Model Monitor drift job', runner: 'sagemaker-processing', minutesPerRun: 10 }] });
    expect(line(modelMonitor, /Model Monitor/)!.minUsd).toBe(27.98); // 730 x 10/60 h x $0.23/h
    const azure = estimateMonthlyCost(spec, 'azure', { jobs: [
      { item: 'Drift job', runner: 'azure-flex-function', minutesPerRun: 1, memoryGb: 2 },
      { item: 'Quality job', runner: 'azure-container-apps-job', runsPerMonth: 30, minutesPerRun: 5, vcpu: 0.5, memoryGb: 1 },
    ] });
    expect(line(azure, /Drift job/)!.minUsd).toBe(2.28); // 730 x 60 s x 2 GB x $0.000026/GB-s
    expect(line(azure, /Quality job/)!.minUsd).toBe(0.14); // 30 x 300 s x (0.5 x $0.000024 + 1 x $0.000003)
    expect(line(estimateMonthlyCost(spec, 'gcp', { driftJobMinutes: 0 }), /drift/)).toBeUndefined();
    expect(line(estimateMonthlyCost(spec, 'gcp', { jobs: [] }), /drift/)).toBeUndefined();
  });

  it('adds the network lines of the GCP and Azure private options', () => {
    const gcp = estimateMonthlyCost(spec, 'gcp', { gcpNetwork: { connector: { machineType: 'e2-micro', minInstances: 2, maxInstances: 3 } } });
    expect(gcp.lines.some((l) => /connector/i.test(l.item))).toBe(true);
    const azure = estimateMonthlyCost(spec, 'azure', { azureNetwork: { privateEndpoints: 8, privateDnsZones: 4 } });
    expect(azure.lines.some((l) => /private endpoint/i.test(l.item))).toBe(true);
  });
});
