// The Azure ML managed online endpoint instance type of each compute class (serving: 'azure-ml'), with its shape and
// hourly price. Data, not code: a class without a row has no Azure ML SKU and is refused with the reason.
import type { ComputeClassId, GpuShape } from './compute-catalog';
import type { HourlyPrice } from './hourly-price';
import { ValidationErrors } from './errors';

/** A VM size a managed online deployment runs on (`properties.instanceType`). */
export interface AzureMlInstanceType {
  readonly instanceType: string;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly gpu?: GpuShape;
  /** Price of one instance-hour; undefined when no price is recorded ("not priced"). */
  readonly price?: HourlyPrice;
  /** Anything a reviewer should know about this mapping. */
  readonly note?: string;
}

// Azure ML managed online endpoints bill the VM's Linux compute meter per instance-hour, with no Azure ML surcharge
// (https://azure.microsoft.com/pricing/details/machine-learning/). The numbers are the East US pay-as-you-go prices of
// SkyPilot's Azure ML VM catalog (github.com/skypilot-org/skypilot-catalog, catalogs/v5/azure/az_ml_vms.csv, commit
// a7fff1712e3b45ac6f26289f2515503b8b30f76a, column Price, region eastus), which its generator reads from the Azure
// Retail Prices API (https://prices.azure.com/api/retail/prices); read here on 2026-12-05. Re-check before quoting.
const SOURCE = 'Azure Retail Prices (Linux pay-as-you-go, East US) via github.com/skypilot-org/skypilot-catalog catalogs/v5/azure/az_ml_vms.csv@a7fff17; Azure ML bills the VM meter: https://azure.microsoft.com/pricing/details/machine-learning/';
const AS_OF = '2026-12-05';
const price = (usdPerHour: number): HourlyPrice => ({ usdPerHour, region: 'eastus', source: SOURCE, asOf: AS_OF });

const T4: GpuShape = { model: 'NVIDIA T4', count: 1, memoryGiB: 16 };
const A100: GpuShape = { model: 'NVIDIA A100', count: 1, memoryGiB: 80 };
const NC24ADS_A100 = (note?: string): AzureMlInstanceType => ({ instanceType: 'Standard_NC24ads_A100_v4', vcpu: 24, memoryGiB: 220, gpu: A100, price: price(3.673), ...(note ? { note } : {}) });
const NO_24GB = 'Azure ML offers no 24 GB single-GPU size for managed online endpoints: the next size up is the A100 80 GB';

/**
 * Each compute class's Azure ML instance type. Sizes from the managed online endpoints SKU list
 * (https://learn.microsoft.com/azure/machine-learning/reference-managed-online-endpoints-vm-sku-list).
 */
export const AZURE_ML_INSTANCE_TYPES: Readonly<Partial<Record<ComputeClassId, AzureMlInstanceType>>> = {
  'cpu-xlarge': { instanceType: 'Standard_DS3_v2', vcpu: 4, memoryGiB: 14, price: price(0.293) },
  'cpu-2xlarge': { instanceType: 'Standard_DS4_v2', vcpu: 8, memoryGiB: 28, price: price(0.585) },
  'cpu-compute-xlarge': { instanceType: 'Standard_F4s_v2', vcpu: 4, memoryGiB: 8, price: price(0.169) },
  'gpu-t4': { instanceType: 'Standard_NC4as_T4_v3', vcpu: 4, memoryGiB: 28, gpu: T4, price: price(0.526) },
  'gpu-a10g': NC24ADS_A100(NO_24GB),
  'gpu-a10g-2xlarge': NC24ADS_A100(NO_24GB),
  'gpu-l40s': NC24ADS_A100(),
};

/** Why a class has no Azure ML instance type. */
export const AZURE_ML_REFUSALS: Readonly<Partial<Record<ComputeClassId, string>>> = {
  'gpu-v100': 'Azure ML managed online endpoints have no V100 size since NCv3 (Standard_NC6s_v3) was retired on 2025-09-30: use compute "gpu-t4" (Standard_NC4as_T4_v3) or "gpu-a10g" (Standard_NC24ads_A100_v4)',
};

/** The Azure ML instance type of a compute class; records why there is none. */
export function azureMlInstanceType(classId: ComputeClassId, errors: ValidationErrors, prop = 'spec.compute'): AzureMlInstanceType | undefined {
  const found = AZURE_ML_INSTANCE_TYPES[classId];
  if (found) return found;
  const served = Object.keys(AZURE_ML_INSTANCE_TYPES).join(', ');
  errors.add(prop, classId, `a compute class with an Azure ML managed online endpoint size (${served})${AZURE_ML_REFUSALS[classId] ? `: ${AZURE_ML_REFUSALS[classId]}` : ''}`);
  return undefined;
}
