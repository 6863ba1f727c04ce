import { estimateMonthlyCost, findComputeClass } from '../../lib/core';
import { VERTEX_PREDICTION_PRICES, vertexServingCostLines } from '../../lib/core/vertex-cost';
import { vertexMachineFor } from '../../lib/core/vertex-machines';

describe('Vertex AI serving cost', () => {
  it('prices an accelerator-optimized machine once, its GPU included in the node price', () => {
    const lines = vertexServingCostLines(vertexMachineFor(findComputeClass('gpu-a10g-2xlarge')!), 1, 3, 730);
    expect(lines).toEqual([
      expect.objectContaining({ item: 'Vertex AI g2-standard-8 node-hours (1 x NVIDIA_L4 included)', minUsd: 715.4, maxUsd: 2146.2, basis: '1-3 replicas x 730 h x $0.98/h' }),
    ]);
    expect(lines[0].source).toContain('https://cloud.google.com/vertex-ai/pricing');
    expect(lines[0].source).toContain('as of 2026-06-15');
  });

  it('prices an N1 machine and its T4 separately', () => {
    const lines = vertexServingCostLines(vertexMachineFor(findComputeClass('gpu-t4')!), 1, 2, 730);
    expect(lines.map((l) => [l.item, l.minUsd, l.maxUsd])).toEqual([
      ['Vertex AI n1-standard-4 node-hours', 159.87, 319.74],
      ['Vertex AI NVIDIA_TESLA_T4 accelerator-hours', 293.46, 586.92],
    ]);
  });

  it('lists a machine without a recorded price as not priced, never a guess', () => {
    expect(VERTEX_PREDICTION_PRICES['a2-highgpu-1g']).toBeUndefined();
    const lines = vertexServingCostLines(vertexMachineFor(findComputeClass('gpu-l40s')!), 1, 1, 730);
    expect(lines).toEqual([expect.objectContaining({ item: 'Vertex AI a2-highgpu-1g node-hours (1 x NVIDIA_TESLA_A100 included)', minUsd: 0, maxUsd: 0, notPriced: true, basis: '1-1 replicas x 730 h x not priced' })]);
    expect(lines[0].source).toBe('not priced: no recorded Vertex AI prediction price for a2-highgpu-1g; read it at https://cloud.google.com/vertex-ai/pricing#prediction-prices');
  });

  it('prices a GCP stack served by Vertex AI on the Vertex machine instead of Cloud Run, at least one replica', () => {
    const spec = { name: 'chat', huggingFaceModelId: 'google/gemma-2-2b-it', compute: 'gpu-a10g' as const, scaling: { minInstances: 0, maxInstances: 2 } };
    const estimate = estimateMonthlyCost(spec, 'gcp', { gcpServing: 'vertex-ai', jobs: [], keyCount: 0 });
    expect(estimate.machineType).toBe('g2-standard-4 + NVIDIA_L4');
    expect(estimate.notPriced).toEqual([]);
    expect(estimate.lines.map((l) => l.item)).not.toContain('cloud-run-l4-4vcpu-16gib instances');
    expect(estimate.lines.find((l) => l.item.startsWith('Vertex AI g2-standard-4 node-hours'))!.basis).toBe('1-2 replicas x 730 h x $0.81/h');
  });
});
