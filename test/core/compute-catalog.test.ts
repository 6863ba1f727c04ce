import { awsInstanceTypes, findComputeClass, findComputeClassByAwsInstanceType, listComputeClasses, resolveComputeClass } from '../../lib/core/compute-catalog';
import { ValidationErrors } from '../../lib/core/errors';
import { findSageMakerInstanceType } from '../../lib/core/sagemaker-instances';

describe('compute catalog', () => {
  it('covers the SageMaker instance types the issue names', () => {
    expect(awsInstanceTypes()).toEqual(expect.arrayContaining([
      'ml.m5.xlarge', 'ml.m5.2xlarge', 'ml.c5.xlarge', 'ml.g4dn.xlarge', 'ml.g5.xlarge', 'ml.g5.2xlarge', 'ml.p3.2xlarge',
    ]));
  });

  it('maps the default CPU class to ml.m5.xlarge, a 4 vCPU / 16 GiB Cloud Run shape and a D4 profile', () => {
    const cpu = findComputeClass('cpu-xlarge')!;
    expect(cpu.kind).toBe('cpu');
    expect(cpu.aws).toMatchObject({ machineType: 'ml.m5.xlarge', vcpu: 4, memoryGiB: 16, localNvme: false });
    expect(cpu.gcp.cloudRun).toEqual({ cpu: '4', memory: '16Gi' });
    expect(cpu.azure.workloadProfileType).toBe('D4');
  });

  it('marks GPU instances with local NVMe (SageMaker rejects KmsKeyId on them)', () => {
    expect(findComputeClassByAwsInstanceType('ml.g5.xlarge')!.aws.localNvme).toBe(true);
    expect(findComputeClassByAwsInstanceType('ml.g4dn.xlarge')!.aws.localNvme).toBe(true);
    expect(findComputeClassByAwsInstanceType('ml.m5.xlarge')!.aws.localNvme).toBe(false);
  });

  it('gives every class a GPU on every cloud exactly when it is a GPU class, and Cloud Run an L4 accelerator', () => {
    for (const c of listComputeClasses()) {
      for (const machine of [c.aws, c.gcp, c.azure]) expect(Boolean(machine.gpu)).toBe(c.kind === 'gpu');
      expect(c.gcp.cloudRun.accelerator).toBe(c.kind === 'gpu' ? 'nvidia-l4' : undefined);
    }
  });

  it('maps every class to a Container Apps workload profile type that exists (there is no F4)', () => {
    const existing = [
      'Consumption', 'Flexible', 'D4', 'D8', 'D16', 'D32', 'E4', 'E8', 'E16', 'E32',
      'NC24-A100', 'NC48-A100', 'NC96-A100', 'Consumption-GPU-NC8as-T4', 'Consumption-GPU-NC24-A100',
    ];
    for (const c of listComputeClasses()) expect(existing).toContain(c.azure.workloadProfileType);
    expect(findComputeClass('cpu-compute-xlarge')!.azure.workloadProfileType).toBe('D4');
  });

  it('prices every machine with a positive hourly price, its region, source and date', () => {
    for (const c of listComputeClasses()) {
      for (const machine of [c.aws, c.gcp, c.azure]) {
        expect(machine.price.usdPerHour).toBeGreaterThan(0);
        expect(machine.price.source).toMatch(/https:\/\//);
        expect(machine.price.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(machine.price.region).toBeTruthy();
      }
    }
  });

  it('derives Cloud Run prices from the per-second rates (4 vCPU, 16 GiB: 4*0.000018+16*0.000002 per second)', () => {
    expect(findComputeClass('cpu-xlarge')!.gcp.price.usdPerHour).toBeCloseTo((4 * 0.000018 + 16 * 0.000002) * 3600, 4);
    expect(findComputeClass('gpu-a10g')!.gcp.price.usdPerHour).toBeCloseTo((4 * 0.000018 + 16 * 0.000002 + 0.0001867) * 3600, 4);
  });

  it('never maps to a retired Azure size', () => {
    for (const c of listComputeClasses()) {
      expect(c.azure.equivalentVm).not.toMatch(/^Standard_NC6(s_v3)?$/);
    }
  });
});

describe('resolveComputeClass', () => {
  const resolve = (value: unknown) => {
    const errors = new ValidationErrors('ModelSpec');
    const found = resolveComputeClass(value as string, errors, 'spec.compute');
    return { found, problems: errors.list() };
  };

  it('takes a class id, a class machine, or nothing (the default class)', () => {
    expect(resolve('gpu-t4').found!.id).toBe('gpu-t4');
    expect(resolve('ml.g5.xlarge').found!.id).toBe('gpu-a10g');
    expect(resolve(undefined).found!.id).toBe('cpu-xlarge');
  });

  it('reads the AWS column from the SageMaker catalog', () => {
    expect(findComputeClass('gpu-a10g')!.aws).toEqual({
      machineType: 'ml.g5.xlarge', vcpu: 4, memoryGiB: 16, localNvme: true,
      gpu: { model: 'NVIDIA A10G', count: 1, memoryGiB: 24 }, price: findSageMakerInstanceType('ml.g5.xlarge')!.price,
    });
  });

  it('refuses a hosting type that is no class machine, telling the user to set the instanceType prop', () => {
    expect(resolve('ml.g6.xlarge').problems[0]).toMatch(/spec.compute: got "ml.g6.xlarge"; .*set the AWS instanceType prop \(ModelInferenceStack or ModelEndpoint\)/);
  });

  it('suggests class ids and instance types for a misspelling', () => {
    expect(resolve('gpu-t5').problems[0]).toMatch(/did you mean "gpu-t4"/);
    expect(resolve('ml.m5.xxlarge').problems[0]).toMatch(/did you mean .*"ml\.m5\.xlarge"/);
  });

  it('refuses a token and a value that is no string', () => {
    expect(resolve('${Token[TOKEN.1]}').problems[0]).toMatch(/as a literal/);
    expect(resolve(4).problems[0]).toMatch(/spec.compute: got 4; expected a compute class/);
  });
});
