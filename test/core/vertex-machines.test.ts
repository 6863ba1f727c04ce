import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { findComputeClass, listComputeClasses, ValidationErrors } from '../../lib/core';
import { checkVertexPlacement, VERTEX_ACCELERATOR_REGIONS, VERTEX_PREDICTION_REGIONS, vertexMachineFor } from '../../lib/core/vertex-machines';

const machine = (id: string) => vertexMachineFor(findComputeClass(id)!);

describe('vertexMachineFor', () => {
  it('maps every compute class to a Vertex AI machine, GPU classes with one accelerator', () => {
    for (const compute of listComputeClasses()) {
      const m = vertexMachineFor(compute);
      expect(m.machineType).toMatch(/^[a-z0-9]+-[a-z]+-\d+g?$/);
      expect(m.accelerator === undefined).toBe(compute.kind === 'cpu');
      if (m.accelerator) expect(m.accelerator.count).toBe(1);
    }
  });

  it.each([
    ['cpu-xlarge', 'n1-standard-4', undefined],
    ['cpu-2xlarge', 'n1-standard-8', undefined],
    ['cpu-compute-xlarge', 'c2-standard-4', undefined],
    ['gpu-t4', 'n1-standard-4', 'NVIDIA_TESLA_T4'],
    ['gpu-a10g', 'g2-standard-4', 'NVIDIA_L4'],
    ['gpu-a10g-2xlarge', 'g2-standard-8', 'NVIDIA_L4'],
    ['gpu-v100', 'n1-standard-8', 'NVIDIA_TESLA_T4'],
    ['gpu-l40s', 'a2-highgpu-1g', 'NVIDIA_TESLA_A100'],
  ])('serves %s on %s with %s', (id, machineType, accelerator) => {
    expect(machine(id).machineType).toBe(machineType);
    expect(machine(id).accelerator?.type).toBe(accelerator);
  });
});

describe('checkVertexPlacement', () => {
  const check = (region: string, id: string, extra?: string[]) => {
    const errors = new ValidationErrors('VertexEndpoint');
    const ok = checkVertexPlacement(errors, 'region', region, machine(id), id, extra);
    return { ok, problems: errors.list() };
  };

  it('accepts a region that offers the class\'s accelerator, and any prediction region for CPU classes', () => {
    expect(check('us-central1', 'gpu-l40s')).toEqual({ ok: true, problems: [] });
    expect(check('europe-west4', 'gpu-a10g')).toEqual({ ok: true, problems: [] });
    expect(check('me-central2', 'cpu-xlarge')).toEqual({ ok: true, problems: [] });
  });

  it('refuses an accelerator the region does not offer, listing the regions that do', () => {
    const { ok, problems } = check('europe-west1', 'gpu-l40s');
    expect(ok).toBe(false);
    expect(problems[0]).toBe(`VertexEndpoint region: got "europe-west1"; expected a region where Vertex AI offers NVIDIA_TESLA_A100 for compute class "gpu-l40s" (a2-highgpu-1g): ${VERTEX_ACCELERATOR_REGIONS.NVIDIA_TESLA_A100.join(', ')}; see https://cloud.google.com/vertex-ai/docs/general/locations#accelerators (a region Google added since: vertex.additionalRegions)`);
  });

  it('refuses a region without Vertex AI prediction', () => {
    const { problems } = check('us-east7', 'cpu-xlarge');
    expect(problems[0]).toMatch(/^VertexEndpoint region: got "us-east7"; expected a region with Vertex AI online prediction \(us-central1, /);
  });

  it('accepts additional regions and tokens', () => {
    expect(check('europe-west1', 'gpu-l40s', ['europe-west1']).ok).toBe(true);
    const stack = new TerraformStack(Testing.app(), 't');
    expect(check(new TerraformVariable(stack, 'region', { type: 'string' }).stringValue, 'gpu-l40s').ok).toBe(true);
  });

  it('lists only prediction regions for each accelerator', () => {
    for (const regions of Object.values(VERTEX_ACCELERATOR_REGIONS)) {
      for (const region of regions) expect(VERTEX_PREDICTION_REGIONS).toContain(region);
    }
  });
});
