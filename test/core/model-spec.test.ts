import { ValidationError } from '../../lib/core/errors';
import { ModelSpec, validateModelSpec } from '../../lib/core/model-spec';

const base: ModelSpec = { name: 'churn-model', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/churn:1' };

function problemsOf(spec: ModelSpec): readonly string[] {
  try {
    validateModelSpec(spec);
  } catch (e) {
    if (e instanceof ValidationError) return e.problems;
    throw e;
  }
  return [];
}

describe('validateModelSpec', () => {
  it('fills in the documented defaults', () => {
    const resolved = validateModelSpec(base);
    expect(resolved.compute.id).toBe('cpu-xlarge');
    expect(resolved.compute.aws.machineType).toBe('ml.m5.xlarge');
    expect(resolved.scaling).toEqual({ minInstances: 1, maxInstances: 4, targetInvocationsPerInstancePerMinute: 100, concurrency: 8 });
    expect(resolved.monitoring).toMatchObject({ enabled: true, latencyP99Ms: 2000, errorRatePercent: 5, driftThreshold: 0.1, psiThreshold: 0.2, driftFeatures: [], alarmEmails: [] });
  });

  it('accepts a SageMaker instance type from the catalog as the compute class', () => {
    expect(validateModelSpec({ ...base, compute: 'ml.g5.xlarge' }).compute.id).toBe('gpu-a10g');
  });

  it('raises maxInstances to minInstances when only the minimum is given', () => {
    expect(validateModelSpec({ ...base, scaling: { minInstances: 6 } }).scaling.maxInstances).toBe(6);
  });

  it('rejects an unknown compute class, listing what is allowed', () => {
    expect(problemsOf({ ...base, compute: 'ml.x99.huge' })).toEqual([
      expect.stringMatching(/^ModelSpec spec.compute: got "ml.x99.huge"; expected a compute class \(cpu-xlarge, .*gpu-t4.*\)/),
    ]);
  });

  it('rejects the retired Standard_NC6 and names its replacement', () => {
    expect(problemsOf({ ...base, compute: 'Standard_NC6' })).toEqual([
      expect.stringMatching(/spec.compute: got "Standard_NC6"; expected a current size: Standard_NC6 is retired, use Standard_NC4as_T4_v3/),
    ]);
  });

  it('rejects bad names, images and min > max scaling, all in one error', () => {
    const problems = problemsOf({ ...base, name: 'Churn_Model', image: 'has space', scaling: { minInstances: 5, maxInstances: 2 } });
    expect(problems).toEqual([
      expect.stringContaining('ModelSpec spec.name: got "Churn_Model"; expected 2-32 lowercase letters'),
      expect.stringContaining('ModelSpec spec.image: got "has space"'),
      'ModelSpec spec.scaling.minInstances: got 5; expected at most scaling.maxInstances (2)',
    ]);
  });

  it('rejects monitoring thresholds out of range, duplicate features and bad emails', () => {
    const problems = problemsOf({
      ...base,
      monitoring: { driftThreshold: 1.5, errorRatePercent: 0, driftFeatures: ['age', 'age', 'bad feature'], alarmEmails: ['nope'] },
    });
    expect(problems).toEqual(expect.arrayContaining([
      'ModelSpec spec.monitoring.driftThreshold: got 1.5; expected a number from 0.001 to 1',
      'ModelSpec spec.monitoring.errorRatePercent: got 0; expected a number from 0.01 to 100',
      'ModelSpec spec.monitoring.driftFeatures: got "age"; expected each feature named once',
      expect.stringContaining('spec.monitoring.driftFeatures[2]: got "bad feature"'),
      'ModelSpec spec.monitoring.alarmEmails[0]: got "nope"; expected an email address',
    ]));
  });

  it('rejects non-integer instance counts and a zero budget', () => {
    expect(problemsOf({ ...base, scaling: { maxInstances: 2.5 }, monthlyBudgetUsd: 0 })).toEqual([
      'ModelSpec spec.scaling.maxInstances: got 2.5; expected an integer from 1 to 1000',
      'ModelSpec spec.monthlyBudgetUsd: got 0; expected a number from 1 to 10000000',
    ]);
  });
});
