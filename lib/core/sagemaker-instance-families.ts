// The instance families SageMaker real-time hosting offers, as data: the sizes of each family and its shape.
// Names: the ProductionVariantInstanceType enum of botocore's SageMaker service model (botocore 1.43.11,
// botocore/data/sagemaker/2017-07-24/service-2.json), the list SageMaker validates CreateEndpointConfig against.
// Shapes: EC2's published sizes (memory per vCPU per family and vCPUs per size, as listed in the ROSA instance-type
// reference, openshift/openshift-docs modules/rosa-sdpolicy-am-aws-compute-types.adoc), accelerators and local
// storage from instances.vantage.sh data (tsaol/aws-gpu data/all_gpu_instances.js, 2026-01-21) and torchx's AWS
// named resources. Local NVMe follows the EC2 "d" suffix and instance-store data; SageMaker rejects KmsKeyId and
// VolumeSizeInGB on those types.

/** What kind of accelerator an instance carries. */
export type AcceleratorKind = 'gpu' | 'inferentia' | 'trainium' | 'gaudi';

/** The accelerators of one instance. */
export interface AcceleratorShape {
  readonly kind: AcceleratorKind;
  /** Accelerator model, e.g. `NVIDIA L4`, `AWS Inferentia2`. */
  readonly model: string;
  /** Accelerators (GPUs, Neuron devices, Gaudi cards) per instance. */
  readonly count: number;
  /** Memory per accelerator, in GiB. */
  readonly memoryGiB: number;
}

/** vCPUs, memory and accelerators of one size. */
export interface InstanceShape {
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly accelerator?: AcceleratorShape;
}

/** A family of SageMaker hosting instance types (`ml.<family>.<size>`). */
export interface SageMakerInstanceFamily {
  readonly family: string;
  readonly description: string;
  /** Sizes hosting offers, in botocore's order. */
  readonly sizes: readonly string[];
  /** Local NVMe instance storage (no `KmsKeyId`, no `VolumeSizeInGB`). */
  readonly localNvme: boolean;
  /** Burstable CPU credits (t2): Application Auto Scaling does not scale these. */
  readonly burstable: boolean;
  /** The shape of a size. */
  readonly shape: (size: string) => InstanceShape;
}

/** vCPUs of a regular EC2 size name: medium 1, large 2, xlarge 4, <n>xlarge 4n. */
export function vcpusOfSize(size: string): number {
  if (size === 'medium') return 1;
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  const match = /^(\d+)xlarge$/.exec(size);
  if (!match) throw new Error(`not a regular size: ${size}`);
  return 4 * Number(match[1]);
}

/** A family whose memory is a fixed number of GiB per vCPU (m: 4, c: 2, r: 8). */
function regular(family: string, description: string, gibPerVcpu: number, sizes: readonly string[], localNvme = false): SageMakerInstanceFamily {
  return {
    family,
    description,
    sizes,
    localNvme,
    burstable: false,
    shape: (size) => {
      const vcpu = vcpusOfSize(size);
      return { vcpu, memoryGiB: vcpu * gibPerVcpu };
    },
  };
}

type Row = readonly [size: string, vcpu: number, memoryGiB: number, accelerators?: number];

/** A family listed size by size; accelerated families give the accelerator count per size. */
function listed(
  family: string,
  description: string,
  rows: readonly Row[],
  opts: { localNvme?: boolean; burstable?: boolean; accelerator?: Omit<AcceleratorShape, 'count'> } = {},
): SageMakerInstanceFamily {
  const bySize = new Map(rows.map((r) => [r[0], r]));
  return {
    family,
    description,
    sizes: rows.map((r) => r[0]),
    localNvme: opts.localNvme ?? false,
    burstable: opts.burstable ?? false,
    shape: (size) => {
      const row = bySize.get(size);
      if (!row) throw new Error(`no size ${size} in ${family}`);
      const [, vcpu, memoryGiB, count] = row;
      return opts.accelerator && count ? { vcpu, memoryGiB, accelerator: { ...opts.accelerator, count } } : { vcpu, memoryGiB };
    },
  };
}

const INTEL_M = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const GEN5 = ['large', 'xlarge', '2xlarge', '4xlarge', '12xlarge', '24xlarge'];
const C5 = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '18xlarge'];
const GEN6 = [...INTEL_M, '32xlarge'];
const GEN7 = [...INTEL_M, '48xlarge'];
const GRAVITON2 = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'];
const GRAVITON4 = ['medium', ...INTEL_M, '48xlarge'];

const gpu = (model: string, memoryGiB: number) => ({ kind: 'gpu' as const, model, memoryGiB });

/** Every family of the ProductionVariantInstanceType enum. */
export const SAGEMAKER_INSTANCE_FAMILIES: readonly SageMakerInstanceFamily[] = [
  // General purpose (4 GiB per vCPU).
  regular('m5', 'General purpose, Intel Xeon (Skylake/Cascade Lake)', 4, GEN5),
  regular('m5d', 'General purpose with local NVMe', 4, GEN5, true),
  regular('m6i', 'General purpose, Intel Xeon (Ice Lake)', 4, GEN6),
  regular('m7i', 'General purpose, Intel Xeon (Sapphire Rapids)', 4, GEN7),
  regular('m4', 'General purpose, previous generation', 4, ['xlarge', '2xlarge', '4xlarge', '10xlarge', '16xlarge']),
  regular('m6g', 'General purpose, Graviton2 (Arm: needs an arm64 image)', 4, GRAVITON2),
  regular('m6gd', 'General purpose, Graviton2 with local NVMe (arm64 image)', 4, GRAVITON2, true),
  regular('m8g', 'General purpose, Graviton4 (arm64 image)', 4, GRAVITON4),
  // Compute optimized (2 GiB per vCPU).
  regular('c5', 'Compute optimized, Intel Xeon', 2, C5),
  regular('c5d', 'Compute optimized with local NVMe', 2, C5, true),
  regular('c6i', 'Compute optimized, Intel Xeon (Ice Lake)', 2, GEN6),
  regular('c6in', 'Compute optimized, Intel Xeon (Ice Lake), network optimized', 2, GEN6),
  regular('c7i', 'Compute optimized, Intel Xeon (Sapphire Rapids)', 2, GEN7),
  listed('c4', 'Compute optimized, previous generation', [['large', 2, 3.75], ['xlarge', 4, 7.5], ['2xlarge', 8, 15], ['4xlarge', 16, 30], ['8xlarge', 36, 60]]),
  regular('c6g', 'Compute optimized, Graviton2 (arm64 image)', 2, GRAVITON2),
  regular('c6gd', 'Compute optimized, Graviton2 with local NVMe (arm64 image)', 2, GRAVITON2, true),
  regular('c6gn', 'Compute optimized, Graviton2, network optimized (arm64 image)', 2, GRAVITON2),
  regular('c7g', 'Compute optimized, Graviton3 (arm64 image)', 2, GRAVITON2),
  regular('c8g', 'Compute optimized, Graviton4 (arm64 image)', 2, GRAVITON4),
  // Memory optimized (8 GiB per vCPU).
  regular('r5', 'Memory optimized, Intel Xeon', 8, GEN5),
  regular('r5d', 'Memory optimized with local NVMe', 8, GEN5, true),
  regular('r6i', 'Memory optimized, Intel Xeon (Ice Lake)', 8, GEN6),
  regular('r7i', 'Memory optimized, Intel Xeon (Sapphire Rapids)', 8, GEN7),
  regular('r6g', 'Memory optimized, Graviton2 (arm64 image)', 8, GRAVITON2),
  regular('r6gd', 'Memory optimized, Graviton2 with local NVMe (arm64 image)', 8, GRAVITON2, true),
  regular('r7gd', 'Memory optimized, Graviton3 with local NVMe (arm64 image)', 8, ['medium', ...GRAVITON2], true),
  regular('r8g', 'Memory optimized, Graviton4 (arm64 image)', 8, GRAVITON4),
  // Burstable: CPU credits, no auto scaling.
  listed('t2', 'Burstable (CPU credits); SageMaker auto scaling does not support it', [['medium', 2, 4], ['large', 2, 8], ['xlarge', 4, 16], ['2xlarge', 8, 32]], { burstable: true }),
  // NVIDIA GPUs.
  listed('g4dn', 'NVIDIA T4 16 GB, local NVMe', [['xlarge', 4, 16, 1], ['2xlarge', 8, 32, 1], ['4xlarge', 16, 64, 1], ['8xlarge', 32, 128, 1], ['12xlarge', 48, 192, 4], ['16xlarge', 64, 256, 1]],
    { localNvme: true, accelerator: gpu('NVIDIA T4', 16) }),
  listed('g5', 'NVIDIA A10G 24 GB, local NVMe', [['xlarge', 4, 16, 1], ['2xlarge', 8, 32, 1], ['4xlarge', 16, 64, 1], ['8xlarge', 32, 128, 1], ['12xlarge', 48, 192, 4], ['16xlarge', 64, 256, 1], ['24xlarge', 96, 384, 4], ['48xlarge', 192, 768, 8]],
    { localNvme: true, accelerator: gpu('NVIDIA A10G', 24) }),
  listed('g6', 'NVIDIA L4 24 GB, local NVMe', [['xlarge', 4, 16, 1], ['2xlarge', 8, 32, 1], ['4xlarge', 16, 64, 1], ['8xlarge', 32, 128, 1], ['12xlarge', 48, 192, 4], ['16xlarge', 64, 256, 1], ['24xlarge', 96, 384, 4], ['48xlarge', 192, 768, 8]],
    { localNvme: true, accelerator: gpu('NVIDIA L4', 24) }),
  listed('g6e', 'NVIDIA L40S 48 GB, local NVMe', [['xlarge', 4, 32, 1], ['2xlarge', 8, 64, 1], ['4xlarge', 16, 128, 1], ['8xlarge', 32, 256, 1], ['12xlarge', 48, 384, 4], ['16xlarge', 64, 512, 1], ['24xlarge', 96, 768, 4], ['48xlarge', 192, 1536, 8]],
    { localNvme: true, accelerator: gpu('NVIDIA L40S', 48) }),
  listed('g7e', 'NVIDIA RTX PRO 6000 Blackwell 96 GB, local NVMe', [['2xlarge', 8, 64, 1], ['4xlarge', 16, 128, 1], ['8xlarge', 32, 256, 1], ['12xlarge', 48, 512, 2], ['24xlarge', 96, 1024, 4], ['48xlarge', 192, 2048, 8]],
    { localNvme: true, accelerator: gpu('NVIDIA RTX PRO 6000 Blackwell', 96) }),
  listed('p2', 'NVIDIA K80 12 GB, previous generation', [['xlarge', 4, 61, 1], ['8xlarge', 32, 488, 8], ['16xlarge', 64, 732, 16]], { accelerator: gpu('NVIDIA K80', 12) }),
  listed('p3', 'NVIDIA V100 16 GB', [['2xlarge', 8, 61, 1], ['8xlarge', 32, 244, 4], ['16xlarge', 64, 488, 8]], { accelerator: gpu('NVIDIA V100', 16) }),
  listed('p4d', 'NVIDIA A100 40 GB x8, local NVMe', [['24xlarge', 96, 1152, 8]], { localNvme: true, accelerator: gpu('NVIDIA A100', 40) }),
  listed('p4de', 'NVIDIA A100 80 GB x8, local NVMe', [['24xlarge', 96, 1152, 8]], { localNvme: true, accelerator: gpu('NVIDIA A100', 80) }),
  listed('p5', 'NVIDIA H100 80 GB, local NVMe', [['48xlarge', 192, 2048, 8], ['4xlarge', 16, 256, 1]], { localNvme: true, accelerator: gpu('NVIDIA H100', 80) }),
  listed('p5e', 'NVIDIA H200 141 GB x8, local NVMe', [['48xlarge', 192, 2048, 8]], { localNvme: true, accelerator: gpu('NVIDIA H200', 141) }),
  listed('p5en', 'NVIDIA H200 141 GB x8, local NVMe', [['48xlarge', 192, 2048, 8]], { localNvme: true, accelerator: gpu('NVIDIA H200', 141) }),
  listed('p6-b200', 'NVIDIA B200 x8, local NVMe', [['48xlarge', 192, 2048, 8]], { localNvme: true, accelerator: gpu('NVIDIA B200', 179) }),
  listed('p6-b300', 'NVIDIA B300 x8, local NVMe', [['48xlarge', 192, 4096, 8]], { localNvme: true, accelerator: gpu('NVIDIA B300', 262) }),
  listed('p6e-gb200', 'NVIDIA GB200 x4, local NVMe', [['36xlarge', 144, 960, 4]], { localNvme: true, accelerator: gpu('NVIDIA GB200', 185) }),
  // AWS Neuron accelerators (need a Neuron image) and Intel Gaudi.
  listed('inf1', 'AWS Inferentia (Neuron image)', [['xlarge', 4, 8, 1], ['2xlarge', 8, 16, 1], ['6xlarge', 24, 48, 4], ['24xlarge', 96, 192, 16]],
    { accelerator: { kind: 'inferentia', model: 'AWS Inferentia', memoryGiB: 8 } }),
  listed('inf2', 'AWS Inferentia2 (Neuron image)', [['xlarge', 4, 16, 1], ['8xlarge', 32, 128, 1], ['24xlarge', 96, 384, 6], ['48xlarge', 192, 768, 12]],
    { accelerator: { kind: 'inferentia', model: 'AWS Inferentia2', memoryGiB: 32 } }),
  listed('trn1', 'AWS Trainium (Neuron image), local NVMe', [['2xlarge', 8, 32, 1], ['32xlarge', 128, 512, 16]],
    { localNvme: true, accelerator: { kind: 'trainium', model: 'AWS Trainium', memoryGiB: 32 } }),
  listed('trn1n', 'AWS Trainium (Neuron image), network optimized, local NVMe', [['32xlarge', 128, 512, 16]],
    { localNvme: true, accelerator: { kind: 'trainium', model: 'AWS Trainium', memoryGiB: 32 } }),
  listed('trn2', 'AWS Trainium2 (Neuron image), local NVMe', [['48xlarge', 192, 2048, 16]],
    { localNvme: true, accelerator: { kind: 'trainium', model: 'AWS Trainium2', memoryGiB: 96 } }),
  listed('dl1', 'Intel Gaudi (Habana image), local NVMe', [['24xlarge', 96, 768, 8]],
    { localNvme: true, accelerator: { kind: 'gaudi', model: 'Intel Gaudi', memoryGiB: 32 } }),
];
