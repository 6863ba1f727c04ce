import { AZURE_ML_INSTANCE_TYPES, azureMlInstanceType } from '../../lib/core/azure-ml-instances';
import { computeClassIds } from '../../lib/core/compute-catalog';
import { ValidationError, ValidationErrors } from '../../lib/core/errors';

/** The problems recorded by `run`, as `throwIfAny` reports them. */
function problemsOf(run: (errors: ValidationErrors) => unknown): readonly string[] {
  const errors = new ValidationErrors('T');
  run(errors);
  try {
    errors.throwIfAny();
    return [];
  } catch (error) {
    return (error as ValidationError).problems;
  }
}

describe('azureMlInstanceType', () => {
  it.each([
    ['cpu-xlarge', 'Standard_DS3_v2'], ['cpu-2xlarge', 'Standard_DS4_v2'], ['cpu-compute-xlarge', 'Standard_F4s_v2'],
    ['gpu-t4', 'Standard_NC4as_T4_v3'], ['gpu-a10g', 'Standard_NC24ads_A100_v4'], ['gpu-a10g-2xlarge', 'Standard_NC24ads_A100_v4'], ['gpu-l40s', 'Standard_NC24ads_A100_v4'],
  ] as const)('maps %s to %s', (classId, instanceType) => {
    let found: string | undefined;
    expect(problemsOf((errors) => { found = azureMlInstanceType(classId, errors)?.instanceType; })).toEqual([]);
    expect(found).toBe(instanceType);
  });

  it('refuses gpu-v100, naming the sizes that replace the retired NCv3', () => {
    expect(problemsOf((errors) => azureMlInstanceType('gpu-v100', errors))).toEqual([expect.stringMatching(/^T spec\.compute: got "gpu-v100"; expected a compute class with an Azure ML managed online endpoint size \(.*\): .*retired on 2025-09-30: use compute "gpu-t4" \(Standard_NC4as_T4_v3\) or "gpu-a10g"/)]);
  });

  it('has a GPU size for every GPU class it maps and a dated, cited price for every size', () => {
    for (const id of computeClassIds()) {
      const type = AZURE_ML_INSTANCE_TYPES[id];
      if (!type) continue;
      expect(type.gpu !== undefined).toBe(id.startsWith('gpu-'));
      expect(type.price).toMatchObject({ region: 'eastus', asOf: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), source: expect.stringContaining('https://') });
    }
  });
});
