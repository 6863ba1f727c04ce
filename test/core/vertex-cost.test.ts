import { estimateMonthlyCost, findComputeClass } from '../../lib/core';
import { VERTEX_PREDICTION_PRICES, vertexServingCostLines } from '../../lib/core/vertex-cost';
import { vertexMachineFor } from '../../lib/core/vertex-machines';

describe('Vertex AI serving cost', () => {
  it('lists node-hours and accelerator-hours as not priced while no price is recorded, never a guess', () => {
    expect(VERTEX_PREDICTION_PRICES).toEqual({});
    const lines = vertexServingCostLines(vertexMachineFor(findComputeClass('gpu-a10g-2xlarge')!), 1, 3, 730);
    expect(lines).toEqual([
      expect.objectContaining({ item: 'Vertex AI g2-standard-8 node-hours', minUsd: 0, maxUsd: 0, notPriced: true, basis: '1-3 replicas x 730 h x not priced' }),
      expect.objectContaining({ item: 'Vertex AI NVIDIA_L4 accelerator-hours', minUsd: 0, maxUsd: 0, notPriced: true }),
    ]);
    expect(lines[0].source).toBe('not priced: no recorded Vertex AI prediction price for g2-standard-8; read it at https://cloud.google.com/vertex-ai/pricing#prediction-prices');
  });

  it('prices a GCP stack served by Vertex AI on the Vertex machine instead of Cloud Run, at least one replica', () => {
    const spec = { name: 'chat', huggingFaceModelId: 'google/gemma-2-2b-it', compute: 'gpu-a10g' as const, scaling: { minInstances: 1, maxInstances: 2 } };
    const estimate = estimateMonthlyCost(spec, 'gcp', { gcpServing: 'vertex-ai', jobs: [], keyCount: 0 });
    expect(estimate.machineType).toBe('g2-standard-4 + NVIDIA_L4');
    expect(estimate.notPriced).toEqual(['g2-standard-4', 'NVIDIA_L4']);
    expect(estimate.lines.map((l) => l.item)).not.toContain('cloud-run-l4-4vcpu-16gib instances');
    expect(estimate.lines.find((l) => l.item === 'Vertex AI g2-standard-4 node-hours')!.basis).toBe('1-2 replicas x 730 h x not priced');
  });
});
