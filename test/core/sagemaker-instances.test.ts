import * as fs from 'node:fs';
import * as path from 'node:path';
import { ValidationErrors } from '../../lib/core/errors';
import {
  checkSageMakerInstanceType, findSageMakerInstanceType, listSageMakerInstanceTypes, needsNeuronImage, sageMakerInstanceTable,
  sageMakerInstanceTypeNames,
} from '../../lib/core/sagemaker-instances';
import { vcpusOfSize } from '../../lib/core/sagemaker-instance-families';

describe('SageMaker hosting catalog', () => {
  it('holds the 271 names of botocore 1.43.11 ProductionVariantInstanceType, each once', () => {
    const names = sageMakerInstanceTypeNames();
    expect(names).toHaveLength(271);
    expect(new Set(names).size).toBe(271);
    for (const n of names) expect(n).toMatch(/^ml\.[a-z0-9-]+\.(medium|large|\d*xlarge)$/);
  });

  it('covers every family the issue names, and knows there is no ml.t3 hosting type', () => {
    const families = new Set(listSageMakerInstanceTypes().map((t) => t.family));
    for (const f of ['m5', 'm5d', 'm6i', 'm7i', 'c5', 'c6i', 'c7i', 'r5', 'r6i', 'r7i', 't2', 'g4dn', 'g5', 'g6', 'g6e', 'p3', 'p4d', 'p5', 'inf1', 'inf2', 'trn1']) {
      expect(families).toContain(f);
    }
    expect(findSageMakerInstanceType('ml.t3.medium')).toBeUndefined();
  });

  it('gives each type its shape: vCPU, memory, accelerators', () => {
    expect(findSageMakerInstanceType('ml.m6i.large')).toMatchObject({ vcpu: 2, memoryGiB: 8, localNvme: false, burstable: false });
    expect(findSageMakerInstanceType('ml.c5.9xlarge')).toMatchObject({ vcpu: 36, memoryGiB: 72 });
    expect(findSageMakerInstanceType('ml.r7i.48xlarge')).toMatchObject({ vcpu: 192, memoryGiB: 1536 });
    expect(findSageMakerInstanceType('ml.g5.12xlarge')!.accelerator).toEqual({ kind: 'gpu', model: 'NVIDIA A10G', count: 4, memoryGiB: 24 });
    expect(findSageMakerInstanceType('ml.p4d.24xlarge')).toMatchObject({ vcpu: 96, memoryGiB: 1152, accelerator: { count: 8, memoryGiB: 40 } });
    expect(findSageMakerInstanceType('ml.inf2.xlarge')!.accelerator).toMatchObject({ kind: 'inferentia', count: 1 });
    expect(findSageMakerInstanceType('ml.trn1.32xlarge')!.accelerator).toMatchObject({ kind: 'trainium', count: 16 });
    expect(findSageMakerInstanceType('ml.m5.xlarge')!.accelerator).toBeUndefined();
    expect(() => vcpusOfSize('metal')).toThrow(/regular size/);
  });

  it('marks local NVMe types (no KmsKeyId, no volume size) and burstable ones', () => {
    for (const t of ['ml.m5d.large', 'ml.c5d.xlarge', 'ml.g4dn.xlarge', 'ml.g5.xlarge', 'ml.g6.xlarge', 'ml.g6e.xlarge', 'ml.p4d.24xlarge', 'ml.p5.48xlarge', 'ml.trn1.2xlarge']) {
      expect(findSageMakerInstanceType(t)!.localNvme).toBe(true);
    }
    for (const t of ['ml.m5.xlarge', 'ml.c7i.xlarge', 'ml.r5.large', 'ml.p3.2xlarge', 'ml.inf2.xlarge', 'ml.t2.medium']) {
      expect(findSageMakerInstanceType(t)!.localNvme).toBe(false);
    }
    expect(listSageMakerInstanceTypes().filter((t) => t.burstable).map((t) => t.family)).toEqual(['t2', 't2', 't2', 't2']);
  });

  it('prices only what a source gives, each price with region, source and date', () => {
    const priced = listSageMakerInstanceTypes().filter((t) => t.price);
    expect(priced.length).toBeGreaterThan(20);
    for (const t of priced) {
      expect(t.price).toMatchObject({ region: 'us-east-1', usdPerHour: expect.any(Number) });
      expect(t.price!.source).toMatch(/Price List|fmbench/);
      expect(t.price!.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(findSageMakerInstanceType('ml.m5.xlarge')!.price!.usdPerHour).toBe(0.23);
    expect(findSageMakerInstanceType('ml.g6.xlarge')!.price).toBeUndefined();
  });

  it('says which accelerators need a Neuron image', () => {
    expect(needsNeuronImage(findSageMakerInstanceType('ml.inf2.xlarge')!.accelerator)).toBe(true);
    expect(needsNeuronImage(findSageMakerInstanceType('ml.trn1.2xlarge')!.accelerator)).toBe(true);
    expect(needsNeuronImage(findSageMakerInstanceType('ml.g5.xlarge')!.accelerator)).toBe(false);
    expect(needsNeuronImage(undefined)).toBe(false);
  });
});

describe('checkSageMakerInstanceType', () => {
  it('refuses a misspelt type naming the nearest real types', () => {
    const errors = new ValidationErrors('X');
    expect(checkSageMakerInstanceType(errors, 'instanceType', 'ml.m5.xxlarge')).toBeUndefined();
    expect(errors.list()[0]).toMatch(/X instanceType: got "ml.m5.xxlarge"; expected a SageMaker real-time hosting instance type .*did you mean .*"ml\.m5\.xlarge"/);
  });

  it('refuses a value that is no string, and lets a token through unchecked', () => {
    const errors = new ValidationErrors('X');
    checkSageMakerInstanceType(errors, 'instanceType', 5);
    expect(errors.list()).toEqual(['X instanceType: got 5; expected a SageMaker hosting instance type such as "ml.m5.xlarge"']);
    const tokens = new ValidationErrors('X');
    expect(checkSageMakerInstanceType(tokens, 'instanceType', '${Token[TOKEN.12]}')).toBeUndefined();
    expect(tokens.hasProblems).toBe(false);
  });
});

describe('the instance table in docs/aws.md', () => {
  it('is the generated table, so no number in the guide is typed', () => {
    const guide = fs.readFileSync(path.join(__dirname, '../../docs/aws.md'), 'utf8');
    expect(guide).toContain(sageMakerInstanceTable());
  });
});
