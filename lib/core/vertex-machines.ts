// The Vertex AI online-prediction machine for each compute class (machine type and accelerator), and where Vertex AI
// offers that accelerator. Data, not code: a class maps to one row; a region list is what we could confirm.
import type { ComputeClass, ComputeClassId } from './compute-catalog';
import { isTokenString, ValidationErrors } from './errors';

/** Accelerators a Vertex AI deployment names in `machine_spec.accelerator_type` (the ones our classes use). */
export type VertexAcceleratorType = 'NVIDIA_TESLA_T4' | 'NVIDIA_L4' | 'NVIDIA_TESLA_A100';

/** What serves a compute class on a Vertex AI endpoint: one replica of this machine. */
export interface VertexMachine {
  /** Compute Engine machine type Vertex AI runs the replica on, e.g. `g2-standard-8`. */
  readonly machineType: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly accelerator?: { readonly type: VertexAcceleratorType; readonly count: number; readonly memoryGiB: number };
  /** What a reviewer should know about the mapping. */
  readonly note?: string;
}

/**
 * Sources: machine types for prediction, https://cloud.google.com/vertex-ai/docs/predictions/configure-compute ;
 * accelerators by region, https://cloud.google.com/vertex-ai/docs/general/locations#accelerators (compiled
 * 2026-12-05; a conservative subset: Google adds regions, which `additionalRegions` accepts without a release).
 */
export const VERTEX_MACHINES_SOURCE = 'https://cloud.google.com/vertex-ai/docs/predictions/configure-compute; https://cloud.google.com/vertex-ai/docs/general/locations#accelerators';

const T4 = (count = 1) => ({ type: 'NVIDIA_TESLA_T4' as const, count, memoryGiB: 16 });
const L4 = (count = 1) => ({ type: 'NVIDIA_L4' as const, count, memoryGiB: 24 });
const A100 = (count = 1) => ({ type: 'NVIDIA_TESLA_A100' as const, count, memoryGiB: 40 });

const MACHINES: Readonly<Record<ComputeClassId, VertexMachine>> = {
  'cpu-xlarge': { machineType: 'n1-standard-4', vcpu: 4, memoryGiB: 15 },
  'cpu-2xlarge': { machineType: 'n1-standard-8', vcpu: 8, memoryGiB: 30 },
  'cpu-compute-xlarge': { machineType: 'c2-standard-4', vcpu: 4, memoryGiB: 16 },
  'gpu-t4': { machineType: 'n1-standard-4', vcpu: 4, memoryGiB: 15, accelerator: T4() },
  'gpu-a10g': { machineType: 'g2-standard-4', vcpu: 4, memoryGiB: 16, accelerator: L4(), note: 'Vertex AI has no A10G: the L4 (24 GB) is its 24 GB inference GPU' },
  'gpu-a10g-2xlarge': { machineType: 'g2-standard-8', vcpu: 8, memoryGiB: 32, accelerator: L4() },
  'gpu-v100': { machineType: 'n1-standard-8', vcpu: 8, memoryGiB: 30, accelerator: T4(), note: 'V100s are old and scarce on Vertex AI: a T4 on n1-standard-8 serves the class (an L4 class, gpu-a10g-2xlarge, is faster)' },
  'gpu-l40s': { machineType: 'a2-highgpu-1g', vcpu: 12, memoryGiB: 85, accelerator: A100(), note: 'Vertex AI has no L40S: the A100 40 GB serves the class' },
};

/** Regions with Vertex AI online prediction (locations page, "Vertex AI regions"). */
export const VERTEX_PREDICTION_REGIONS: readonly string[] = [
  'us-central1', 'us-east1', 'us-east4', 'us-east5', 'us-south1', 'us-west1', 'us-west2', 'us-west3', 'us-west4',
  'northamerica-northeast1', 'northamerica-northeast2', 'southamerica-east1', 'southamerica-west1',
  'europe-west1', 'europe-west2', 'europe-west3', 'europe-west4', 'europe-west6', 'europe-west8', 'europe-west9',
  'europe-north1', 'europe-central2', 'europe-southwest1',
  'asia-east1', 'asia-east2', 'asia-northeast1', 'asia-northeast2', 'asia-northeast3', 'asia-south1', 'asia-southeast1', 'asia-southeast2',
  'australia-southeast1', 'australia-southeast2', 'me-west1', 'me-central1', 'me-central2', 'africa-south1',
];

/** Regions where Vertex AI serves each accelerator for online prediction (a conservative subset; see the source). */
export const VERTEX_ACCELERATOR_REGIONS: Readonly<Record<VertexAcceleratorType, readonly string[]>> = {
  NVIDIA_TESLA_T4: [
    'us-central1', 'us-east1', 'us-east4', 'us-west1', 'us-west2', 'us-west4', 'northamerica-northeast1', 'southamerica-east1',
    'europe-west1', 'europe-west2', 'europe-west3', 'europe-west4', 'asia-east1', 'asia-northeast1', 'asia-northeast3', 'asia-south1', 'asia-southeast1', 'australia-southeast1',
  ],
  NVIDIA_L4: [
    'us-central1', 'us-east1', 'us-east4', 'us-west1', 'us-west4', 'europe-west1', 'europe-west2', 'europe-west3', 'europe-west4',
    'asia-east1', 'asia-northeast1', 'asia-northeast3', 'asia-south1', 'asia-southeast1',
  ],
  NVIDIA_TESLA_A100: ['us-central1', 'europe-west4', 'asia-northeast1', 'asia-northeast3', 'asia-southeast1'],
};

/** The Vertex AI machine that serves a compute class. */
export function vertexMachineFor(compute: Pick<ComputeClass, 'id'>): VertexMachine {
  return MACHINES[compute.id];
}

/**
 * Records a problem unless Vertex AI serves `machine` in `region`: a region without Vertex AI prediction, or one where
 * Vertex AI does not offer the machine's accelerator, is refused with the regions that do. A token region is skipped;
 * `additionalRegions` are accepted as offering everything (for regions Google adds).
 */
export function checkVertexPlacement(errors: ValidationErrors, prop: string, region: string, machine: VertexMachine, computeId: string,
  additionalRegions: readonly string[] = []): boolean {
  if (isTokenString(region) || additionalRegions.includes(region)) return true;
  if (!errors.check(VERTEX_PREDICTION_REGIONS.includes(region), prop, region,
    `a region with Vertex AI online prediction (${VERTEX_PREDICTION_REGIONS.join(', ')}; see ${VERTEX_MACHINES_SOURCE.split('; ')[1]})`)) return false;
  const accelerator = machine.accelerator?.type;
  if (accelerator === undefined) return true;
  const offered = VERTEX_ACCELERATOR_REGIONS[accelerator];
  return errors.check(offered.includes(region), prop, region,
    `a region where Vertex AI offers ${accelerator} for compute class "${computeId}" (${machine.machineType}): ${offered.join(', ')}; `
    + `see ${VERTEX_MACHINES_SOURCE.split('; ')[1]} (a region Google added since: vertex.additionalRegions)`);
}
