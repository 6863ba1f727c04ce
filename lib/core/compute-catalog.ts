// The compute catalog: each compute class of a ModelSpec mapped to what serves it on AWS, GCP and Azure,
// with its shape and on-demand price. Data, not code: add a row to support a new class.
import { isTokenString, ValidationErrors } from './errors';
import type { HourlyPrice } from './hourly-price';
import { findSageMakerInstanceType, sageMakerInstanceTypeNames } from './sagemaker-instances';
import { didYouMean } from './suggest';

/** A cloud we deploy to. */
export type Cloud = 'aws' | 'gcp' | 'azure';

/** CPU-only or accelerated. */
export type ComputeKind = 'cpu' | 'gpu';

export type { HourlyPrice } from './hourly-price';

export interface GpuShape {
  /** Accelerator model, e.g. `NVIDIA T4`. */
  readonly model: string;
  readonly count: number;
  /** Memory per GPU in GiB. */
  readonly memoryGiB: number;
}

/** What serves a compute class on one cloud. */
export interface CloudMachine {
  /**
   * The machine that serves the model: an AWS SageMaker instance type, a Cloud Run shape on GCP,
   * an Azure Container Apps workload profile type.
   */
  readonly machineType: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly gpu?: GpuShape;
  readonly price: HourlyPrice;
  /** The nearest virtual machine size, for comparison with VM-based quotes. */
  readonly equivalentVm?: string;
  /** Anything a reviewer should know about this mapping (no exact equivalent, retired sizes...). */
  readonly note?: string;
}

/** A compute class and its machine on each cloud. */
export interface ComputeClass {
  readonly id: ComputeClassId;
  readonly kind: ComputeKind;
  readonly description: string;
  readonly aws: CloudMachine & {
    /** Instance has local NVMe storage: SageMaker rejects `KmsKeyId` on its endpoint config. */
    readonly localNvme: boolean;
  };
  readonly gcp: CloudMachine & {
    /** Cloud Run v2 resource limits (`cpu`, `memory`) and accelerator for `node_selector`. */
    readonly cloudRun: { readonly cpu: string; readonly memory: string; readonly accelerator?: string };
  };
  readonly azure: CloudMachine & {
    /** Container Apps workload profile type (`Consumption`, `D4`, `Consumption-GPU-NC8as-T4`...). */
    readonly workloadProfileType: string;
    /** Container resources on that profile. */
    readonly containerCpu: number;
    readonly containerMemory: string;
  };
}

export type ComputeClassId =
  | 'cpu-xlarge'
  | 'cpu-2xlarge'
  | 'cpu-compute-xlarge'
  | 'gpu-t4'
  | 'gpu-a10g'
  | 'gpu-a10g-2xlarge'
  | 'gpu-v100'
  | 'gpu-l40s';

// Prices are on-demand list prices read in November 2026 from copies of the official price feeds
// (Cloud Billing SKUs, Azure Retail Prices API; AWS's come from the SageMaker hosting catalog, sagemaker-instances.ts).
// Re-check them before relying on a number; `asOf` says when they were read.
const GCP_SOURCE = 'Cloud Run pricing, instance-based billing, Tier 1 (us-central1): $0.000018/vCPU-s, $0.000002/GiB-s, NVIDIA L4 $0.0001867/s without zonal redundancy; https://cloud.google.com/run/pricing';
const AZURE_DEDICATED_SOURCE = 'Azure Container Apps dedicated plan (East US): $0.0571/vCPU-h, $0.005/GiB-h per instance, plus $0.10/h per environment; https://azure.microsoft.com/pricing/details/container-apps/';
const AZURE_GPU_SOURCE = 'Azure Container Apps serverless GPU (East US, Retail Prices API): T4 $0.000073/s, A100 $0.000529/s, plus consumption $0.000024/vCPU-s and $0.000003/GiB-s; https://azure.microsoft.com/pricing/details/container-apps/';
const AS_OF = '2026-11-24';

const round4 = (n: number) => Math.round(n * 10000) / 10000;

/** A class's AWS column, read from the SageMaker hosting catalog (shape, local NVMe and price in one place). */
function aws(instanceType: string): ComputeClass['aws'] {
  const t = findSageMakerInstanceType(instanceType);
  if (!t?.price) throw new Error(`compute catalog: ${instanceType} is not a priced SageMaker hosting type`);
  const gpu = t.accelerator?.kind === 'gpu' ? { model: t.accelerator.model, count: t.accelerator.count, memoryGiB: t.accelerator.memoryGiB } : undefined;
  return { machineType: t.instanceType, vcpu: t.vcpu, memoryGiB: t.memoryGiB, localNvme: t.localNvme, price: t.price, ...(gpu ? { gpu } : {}) };
}
const gcp = (usdPerHour: number) => ({ usdPerHour, region: 'us-central1', source: GCP_SOURCE, asOf: AS_OF });

/** Cloud Run instance-based billing, per instance-hour. */
const cloudRunHourly = (vcpu: number, memoryGiB: number, l4Gpus = 0) =>
  round4((vcpu * 0.000018 + memoryGiB * 0.000002 + l4Gpus * 0.0001867) * 3600);

/** Container Apps dedicated profile, per instance-hour (the $0.10/h environment fee is counted once per stack by the cost model). */
const azureDedicated = (vcpu: number, memoryGiB: number) =>
  ({ usdPerHour: round4(vcpu * 0.0571 + memoryGiB * 0.005), region: 'eastus', source: AZURE_DEDICATED_SOURCE, asOf: AS_OF });

/** Container Apps serverless GPU, per replica-hour: GPU-seconds plus the consumption vCPU and memory meters. */
const azureGpu = (gpuPerSecond: number, vcpu: number, memoryGiB: number) =>
  ({ usdPerHour: round4((gpuPerSecond + vcpu * 0.000024 + memoryGiB * 0.000003) * 3600), region: 'eastus', source: AZURE_GPU_SOURCE, asOf: AS_OF });
const AZURE_T4 = () => azureGpu(0.000073, 8, 56);
const AZURE_A100 = () => azureGpu(0.000529, 24, 220);

const L4 = { model: 'NVIDIA L4', count: 1, memoryGiB: 24 };
const T4 = { model: 'NVIDIA T4', count: 1, memoryGiB: 16 };
const A100 = { model: 'NVIDIA A100', count: 1, memoryGiB: 80 };

const CLASSES: readonly ComputeClass[] = [
  {
    id: 'cpu-xlarge',
    kind: 'cpu',
    description: '4 vCPU, 16 GiB: the default for CPU models (tabular, small transformers)',
    aws: aws('ml.m5.xlarge'),
    gcp: { machineType: 'cloud-run-4vcpu-16gib', vcpu: 4, memoryGiB: 16, equivalentVm: 'n1-standard-4', cloudRun: { cpu: '4', memory: '16Gi' }, price: gcp(cloudRunHourly(4, 16)) },
    azure: { machineType: 'D4', vcpu: 4, memoryGiB: 16, equivalentVm: 'Standard_D4s_v3', workloadProfileType: 'D4', containerCpu: 3.5, containerMemory: '14Gi', price: azureDedicated(4, 16), note: 'Dedicated D4 profile; the container gets 3.5 vCPU / 14 GiB, the rest is reserved for the platform' },
  },
  {
    id: 'cpu-2xlarge',
    kind: 'cpu',
    description: '8 vCPU, 32 GiB: larger CPU models or higher throughput per instance',
    aws: aws('ml.m5.2xlarge'),
    gcp: { machineType: 'cloud-run-8vcpu-32gib', vcpu: 8, memoryGiB: 32, equivalentVm: 'n1-standard-8', cloudRun: { cpu: '8', memory: '32Gi' }, price: gcp(cloudRunHourly(8, 32)) },
    azure: { machineType: 'D8', vcpu: 8, memoryGiB: 32, equivalentVm: 'Standard_D8s_v3', workloadProfileType: 'D8', containerCpu: 7.5, containerMemory: '30Gi', price: azureDedicated(8, 32) },
  },
  {
    id: 'cpu-compute-xlarge',
    kind: 'cpu',
    description: '4 vCPU, 8 GiB compute-optimized: CPU-bound models with a small memory footprint',
    aws: aws('ml.c5.xlarge'),
    gcp: { machineType: 'cloud-run-4vcpu-8gib', vcpu: 4, memoryGiB: 8, equivalentVm: 'c2-standard-4', cloudRun: { cpu: '4', memory: '8Gi' }, price: gcp(cloudRunHourly(4, 8)) },
    azure: { machineType: 'D4', vcpu: 4, memoryGiB: 16, equivalentVm: 'Standard_F4s_v2', workloadProfileType: 'D4', containerCpu: 3.5, containerMemory: '14Gi', price: azureDedicated(4, 16), note: 'Container Apps has no compute-optimized workload profile (there is no F4): the general-purpose D4 (4 vCPU, 16 GiB) serves this class' },
  },
  {
    id: 'gpu-t4',
    kind: 'gpu',
    description: '1x NVIDIA T4 (16 GB): the cheapest GPU for inference',
    aws: aws('ml.g4dn.xlarge'),
    gcp: { machineType: 'cloud-run-l4-4vcpu-16gib', vcpu: 4, memoryGiB: 16, gpu: L4, equivalentVm: 'n1-standard-4 + NVIDIA_TESLA_T4', cloudRun: { cpu: '4', memory: '16Gi', accelerator: 'nvidia-l4' }, price: gcp(cloudRunHourly(4, 16, 1)), note: 'Cloud Run offers no T4: the L4 (24 GB) is the smallest GPU it serves' },
    azure: { machineType: 'Consumption-GPU-NC8as-T4', vcpu: 8, memoryGiB: 56, gpu: T4, equivalentVm: 'Standard_NC4as_T4_v3', workloadProfileType: 'Consumption-GPU-NC8as-T4', containerCpu: 8, containerMemory: '56Gi', price: AZURE_T4(), note: 'Serverless T4 GPU profile; billed per second while replicas run' },
  },
  {
    id: 'gpu-a10g',
    kind: 'gpu',
    description: '1x NVIDIA A10G (24 GB): mid-size GPU models (7B LLMs quantized, diffusion)',
    aws: aws('ml.g5.xlarge'),
    gcp: { machineType: 'cloud-run-l4-4vcpu-16gib', vcpu: 4, memoryGiB: 16, gpu: L4, equivalentVm: 'g2-standard-4', cloudRun: { cpu: '4', memory: '16Gi', accelerator: 'nvidia-l4' }, price: gcp(cloudRunHourly(4, 16, 1)) },
    azure: { machineType: 'Consumption-GPU-NC24-A100', vcpu: 24, memoryGiB: 220, gpu: A100, equivalentVm: 'Standard_NC24ads_A100_v4', workloadProfileType: 'Consumption-GPU-NC24-A100', containerCpu: 24, containerMemory: '220Gi', price: AZURE_A100(), note: 'Azure has no 24 GB single-GPU inference size: the next size up is the A100 80 GB' },
  },
  {
    id: 'gpu-a10g-2xlarge',
    kind: 'gpu',
    description: '1x NVIDIA A10G (24 GB) with 8 vCPU / 32 GiB for heavier pre-processing',
    aws: aws('ml.g5.2xlarge'),
    gcp: { machineType: 'cloud-run-l4-8vcpu-32gib', vcpu: 8, memoryGiB: 32, gpu: L4, equivalentVm: 'g2-standard-8', cloudRun: { cpu: '8', memory: '32Gi', accelerator: 'nvidia-l4' }, price: gcp(cloudRunHourly(8, 32, 1)) },
    azure: { machineType: 'Consumption-GPU-NC24-A100', vcpu: 24, memoryGiB: 220, gpu: A100, equivalentVm: 'Standard_NC24ads_A100_v4', workloadProfileType: 'Consumption-GPU-NC24-A100', containerCpu: 24, containerMemory: '220Gi', price: AZURE_A100(), note: 'Azure has no 24 GB single-GPU inference size: the next size up is the A100 80 GB' },
  },
  {
    id: 'gpu-v100',
    kind: 'gpu',
    description: '1x NVIDIA V100 (16 GB): older generation, kept for existing deployments',
    aws: aws('ml.p3.2xlarge'),
    gcp: { machineType: 'cloud-run-l4-8vcpu-32gib', vcpu: 8, memoryGiB: 32, gpu: L4, equivalentVm: 'n1-standard-8 + NVIDIA_TESLA_V100', cloudRun: { cpu: '8', memory: '32Gi', accelerator: 'nvidia-l4' }, price: gcp(cloudRunHourly(8, 32, 1)), note: 'Cloud Run serves L4 only; an L4 outperforms a V100 for inference' },
    azure: { machineType: 'Consumption-GPU-NC8as-T4', vcpu: 8, memoryGiB: 56, gpu: T4, equivalentVm: 'Standard_NC4as_T4_v3', workloadProfileType: 'Consumption-GPU-NC8as-T4', containerCpu: 8, containerMemory: '56Gi', price: AZURE_T4(), note: 'NCv3 (V100, Standard_NC6s_v3) was retired on 2025-09-30; the T4 profile replaces it' },
  },
  {
    id: 'gpu-l40s',
    kind: 'gpu',
    description: '1x large GPU (40-80 GB): large models',
    aws: aws('ml.g6e.xlarge'),
    gcp: { machineType: 'cloud-run-l4-8vcpu-32gib', vcpu: 8, memoryGiB: 32, gpu: L4, equivalentVm: 'a2-highgpu-1g', cloudRun: { cpu: '8', memory: '32Gi', accelerator: 'nvidia-l4' }, price: gcp(cloudRunHourly(8, 32, 1)), note: 'Cloud Run has no GPU above the L4 (24 GB); an open model over 24 GB serves on Vertex AI (GcpModelStack serving "vertex-ai", a2-highgpu-1g with an A100)' },
    azure: { machineType: 'Consumption-GPU-NC24-A100', vcpu: 24, memoryGiB: 220, gpu: A100, equivalentVm: 'Standard_NC24ads_A100_v4', workloadProfileType: 'Consumption-GPU-NC24-A100', containerCpu: 24, containerMemory: '220Gi', price: AZURE_A100() },
  },
];

const BY_ID = new Map(CLASSES.map((c) => [c.id, c]));

/** Retired Azure sizes older articles still quote, with what replaces them. */
export const RETIRED_AZURE_SIZES: Readonly<Record<string, string>> = {
  Standard_NC6: 'Standard_NC4as_T4_v3 (compute class "gpu-t4") or Standard_NC24ads_A100_v4 ("gpu-a10g")',
  Standard_NC6s_v3: 'Standard_NC4as_T4_v3 (compute class "gpu-t4") or Standard_NC24ads_A100_v4 ("gpu-a10g")',
  Standard_NC12: 'Standard_NC24ads_A100_v4 (compute class "gpu-a10g")',
  Standard_NC24: 'Standard_NC24ads_A100_v4 (compute class "gpu-a10g")',
};

/** Every compute class, in catalog order. */
export function listComputeClasses(): readonly ComputeClass[] {
  return CLASSES;
}

/** All compute class ids. */
export function computeClassIds(): readonly ComputeClassId[] {
  return CLASSES.map((c) => c.id);
}

/** The class with this id, or undefined. */
export function findComputeClass(id: string): ComputeClass | undefined {
  return BY_ID.get(id as ComputeClassId);
}

/** The class whose AWS machine is this SageMaker instance type, or undefined. */
export function findComputeClassByAwsInstanceType(instanceType: string): ComputeClass | undefined {
  return CLASSES.find((c) => c.aws.machineType === instanceType);
}

/** All SageMaker instance types in the catalog. */
export function awsInstanceTypes(): readonly string[] {
  return CLASSES.map((c) => c.aws.machineType);
}

/** The compute class of a spec that names none. */
export const DEFAULT_COMPUTE_CLASS: ComputeClassId = 'cpu-xlarge';

/**
 * Looks up a compute class by class id or by the SageMaker instance type of a class; records a problem when
 * unknown. Any other SageMaker hosting type is refused with the fix: the AWS `instanceType` prop takes it.
 */
export function resolveComputeClass(value: string | undefined, errors: ValidationErrors, prop = 'compute'): ComputeClass | undefined {
  const wanted: unknown = value ?? DEFAULT_COMPUTE_CLASS;
  const classes = `a compute class (${computeClassIds().join(', ')}) or one of their SageMaker instance types`;
  if (typeof wanted !== 'string') {
    errors.add(prop, wanted, classes);
    return undefined;
  }
  if (isTokenString(wanted)) {
    errors.add(prop, wanted, `${classes} as a literal: the class picks a machine on every cloud at synth time (for a deploy-time SageMaker type, set the AWS instanceType prop)`);
    return undefined;
  }
  const found = findComputeClass(wanted) ?? findComputeClassByAwsInstanceType(wanted);
  if (found) return found;
  const retired = RETIRED_AZURE_SIZES[wanted];
  if (retired) {
    errors.add(prop, wanted, `a current size: ${wanted} is retired, use ${retired}`);
  } else if (findSageMakerInstanceType(wanted)) {
    errors.add(prop, wanted, `${classes}: ${wanted} is a SageMaker hosting type but no class's machine, so keep ${prop} a class and set the AWS instanceType prop (ModelInferenceStack or ModelEndpoint), which accepts every SageMaker hosting type`);
  } else {
    errors.add(prop, wanted, `${classes}${didYouMean(wanted, [...new Set([...computeClassIds(), ...sageMakerInstanceTypeNames()])])}`);
  }
  return undefined;
}
