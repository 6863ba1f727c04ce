// The SageMaker real-time hosting catalog: every instance type hosting accepts, with its shape and, where a
// published source gives one, its us-east-1 on-demand price. A type without a recorded price is still valid:
// it synthesizes, and the cost estimate says "not priced" for it.
import type { HourlyPrice } from './hourly-price';
import { isTokenString, ValidationErrors } from './errors';
import { AcceleratorShape, InstanceShape, SAGEMAKER_INSTANCE_FAMILIES } from './sagemaker-instance-families';
import { didYouMean } from './suggest';

export type { AcceleratorKind, AcceleratorShape, InstanceShape, SageMakerInstanceFamily } from './sagemaker-instance-families';
export { SAGEMAKER_INSTANCE_FAMILIES } from './sagemaker-instance-families';

/** One SageMaker hosting instance type and what the stacks need to know about it. */
export interface SageMakerInstanceType extends InstanceShape {
  /** `ml.<family>.<size>`, e.g. `ml.g6.xlarge`. */
  readonly instanceType: string;
  readonly family: string;
  readonly size: string;
  readonly description: string;
  /** Local NVMe instance storage: SageMaker rejects `KmsKeyId` and `VolumeSizeInGB` for it (hardware-encrypted). */
  readonly localNvme: boolean;
  /** Burstable (t2): Application Auto Scaling cannot scale it. */
  readonly burstable: boolean;
  /** us-east-1 on-demand hosting price, when a published source gives one. */
  readonly price?: HourlyPrice;
}

// Prices are read, never typed from memory. Two sources:
const PRICE_LIST = { source: 'AWS Price List API, AmazonSageMaker us-east-1, Hosting (real-time inference) usage type; https://aws.amazon.com/sagemaker/pricing/', asOf: '2026-11-24' };
const FMBENCH = {
  source: 'aws-samples/foundation-model-benchmarking-tool fmbench/configs/pricing.yml at f92381dbf02f058227c87625a0bb7042530a1294 '
    + '(SageMaker on-demand hosting $/h; no region stated there, its ml.m5.xlarge, ml.c5.xlarge, ml.g5.2xlarge and ml.p3.2xlarge rates equal the us-east-1 Price List rates)',
  asOf: '2026-12-04',
};
const PRICES: Readonly<Record<string, { readonly usd: number; readonly from: { readonly source: string; readonly asOf: string } }>> = {
  'ml.m5.xlarge': { usd: 0.23, from: PRICE_LIST },
  'ml.m5.2xlarge': { usd: 0.461, from: PRICE_LIST },
  'ml.c5.xlarge': { usd: 0.204, from: PRICE_LIST },
  'ml.g4dn.xlarge': { usd: 0.736, from: PRICE_LIST },
  'ml.g5.xlarge': { usd: 1.408, from: PRICE_LIST },
  'ml.g5.2xlarge': { usd: 1.515, from: PRICE_LIST },
  'ml.p3.2xlarge': { usd: 3.825, from: PRICE_LIST },
  'ml.g6e.xlarge': { usd: 2.61, from: PRICE_LIST },
  'ml.c5.2xlarge': { usd: 0.408, from: FMBENCH },
  'ml.c5.4xlarge': { usd: 0.816, from: FMBENCH },
  'ml.c7i.xlarge': { usd: 0.214, from: FMBENCH },
  'ml.g4dn.2xlarge': { usd: 0.94, from: FMBENCH },
  'ml.g4dn.4xlarge': { usd: 1.505, from: FMBENCH },
  'ml.g4dn.8xlarge': { usd: 2.72, from: FMBENCH },
  'ml.g4dn.12xlarge': { usd: 4.89, from: FMBENCH },
  'ml.g4dn.16xlarge': { usd: 5.44, from: FMBENCH },
  'ml.g5.4xlarge': { usd: 2.03, from: FMBENCH },
  'ml.g5.8xlarge': { usd: 3.06, from: FMBENCH },
  'ml.g5.12xlarge': { usd: 7.09, from: FMBENCH },
  'ml.g5.24xlarge': { usd: 10.18, from: FMBENCH },
  'ml.g5.48xlarge': { usd: 20.36, from: FMBENCH },
  'ml.g6.2xlarge': { usd: 1.222, from: FMBENCH },
  'ml.g6.12xlarge': { usd: 5.752, from: FMBENCH },
  'ml.g6.16xlarge': { usd: 4.246, from: FMBENCH },
  'ml.g6.24xlarge': { usd: 8.344, from: FMBENCH },
  'ml.g6.48xlarge': { usd: 16.688, from: FMBENCH },
  'ml.inf2.xlarge': { usd: 0.99, from: FMBENCH },
  'ml.inf2.8xlarge': { usd: 2.36, from: FMBENCH },
  'ml.inf2.24xlarge': { usd: 7.79, from: FMBENCH },
  'ml.inf2.48xlarge': { usd: 15.58, from: FMBENCH },
  'ml.trn1.32xlarge': { usd: 28.497, from: FMBENCH },
  'ml.p4d.24xlarge': { usd: 37.688, from: FMBENCH },
  'ml.p5.48xlarge': { usd: 113.068, from: FMBENCH },
};

const TYPES: readonly SageMakerInstanceType[] = SAGEMAKER_INSTANCE_FAMILIES.flatMap((f) => f.sizes.map((size) => {
  const instanceType = `ml.${f.family}.${size}`;
  const priced = PRICES[instanceType];
  return {
    instanceType,
    family: f.family,
    size,
    description: f.description,
    localNvme: f.localNvme,
    burstable: f.burstable,
    ...f.shape(size),
    ...(priced ? { price: { usdPerHour: priced.usd, region: 'us-east-1', source: priced.from.source, asOf: priced.from.asOf } } : {}),
  };
}));
const BY_NAME = new Map(TYPES.map((t) => [t.instanceType, t]));
const NAMES = TYPES.map((t) => t.instanceType);

/** Every SageMaker hosting instance type, family by family. */
export function listSageMakerInstanceTypes(): readonly SageMakerInstanceType[] {
  return TYPES;
}

/** Every SageMaker hosting instance type name. */
export function sageMakerInstanceTypeNames(): readonly string[] {
  return NAMES;
}

/** The hosting type of this name, or undefined. */
export function findSageMakerInstanceType(instanceType: string): SageMakerInstanceType | undefined {
  return BY_NAME.get(instanceType);
}

/** Accelerators that need an AWS Neuron image (Inferentia, Trainium). */
export function needsNeuronImage(accelerator: AcceleratorShape | undefined): boolean {
  return accelerator?.kind === 'inferentia' || accelerator?.kind === 'trainium';
}

/**
 * Looks up a hosting instance type for a prop, recording a problem (with the nearest real types) when it is
 * not one. A token passes without a problem and without an entry: it is checked at deploy time.
 */
export function checkSageMakerInstanceType(errors: ValidationErrors, prop: string, value: unknown): SageMakerInstanceType | undefined {
  if (typeof value === 'string' && isTokenString(value)) return undefined;
  if (typeof value !== 'string') {
    errors.add(prop, value, 'a SageMaker hosting instance type such as "ml.m5.xlarge"');
    return undefined;
  }
  const found = BY_NAME.get(value);
  if (!found) {
    errors.add(prop, value, `a SageMaker real-time hosting instance type (ml.<family>.<size>, e.g. "ml.m5.xlarge")${didYouMean(value, NAMES)}`);
  }
  return found;
}

const usd = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;

/** Markdown table of every hosting instance type: shape, local NVMe, burstable, us-east-1 price or "not priced". */
export function sageMakerInstanceTable(): string {
  const rows = TYPES.map((t) => {
    const acc = t.accelerator ? `${t.accelerator.count}x ${t.accelerator.model} ${t.accelerator.memoryGiB} GiB` : '-';
    const flags = [t.localNvme ? 'local NVMe' : '', t.burstable ? 'burstable' : ''].filter(Boolean).join(', ') || '-';
    return `| ${t.instanceType} | ${t.vcpu} | ${t.memoryGiB} | ${acc} | ${flags} | ${t.price ? usd(t.price.usdPerHour) : 'not priced'} |`;
  });
  return ['| instance type | vCPU | memory GiB | accelerators | storage, CPU | us-east-1 $/h |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}
