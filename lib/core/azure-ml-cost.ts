// What serving on an Azure ML managed online endpoint costs per month: instance-hours of the class's Azure ML
// instance type at the min and max instance counts (no environment fee, no per-request meter).
import type { ComputeClassId } from './compute-catalog';
import type { CostLine } from './cost-line';
import { AZURE_ML_INSTANCE_TYPES, AZURE_ML_REFUSALS } from './azure-ml-instances';

export interface AzureMlServingCost {
  readonly lines: readonly CostLine[];
  /** The instance type priced (or the class id when it has none). */
  readonly machineType: string;
  /** When the price was read; undefined when not priced. */
  readonly asOf?: string;
  /** Instance types without a recorded price (their line counts $0). */
  readonly notPriced: readonly string[];
}

/**
 * The serving lines of an Azure ML endpoint: `minInstances`-`maxInstances` instances all month. A managed online
 * deployment keeps at least one instance (it cannot scale to zero), so the minimum is at least 1.
 */
export function azureMlServingCost(classId: ComputeClassId, minInstances: number, maxInstances: number, hoursPerMonth: number): AzureMlServingCost {
  const type = AZURE_ML_INSTANCE_TYPES[classId];
  const min = Math.max(1, minInstances);
  const max = Math.max(min, maxInstances);
  if (!type?.price) {
    const name = type?.instanceType ?? classId;
    const why = type ? `the catalog records no price for ${name}` : AZURE_ML_REFUSALS[classId] ?? `compute class ${classId} has no Azure ML instance type`;
    return {
      lines: [{ item: `Azure ML ${name} instances`, minUsd: 0, maxUsd: 0, basis: `${min}-${max} x ${hoursPerMonth} h x not priced`, source: `not priced: ${why}`, notPriced: true }],
      machineType: name,
      notPriced: [name],
    };
  }
  const hourly = type.price.usdPerHour;
  const cents = (n: number) => Math.round(n * 100) / 100;
  return {
    lines: [{
      item: `Azure ML ${type.instanceType} instances`,
      minUsd: cents(min * hoursPerMonth * hourly),
      maxUsd: cents(max * hoursPerMonth * hourly),
      basis: `${min}-${max} x ${hoursPerMonth} h x $${hourly}/h`,
      source: type.price.source,
    }],
    machineType: type.instanceType,
    asOf: type.price.asOf,
    notPriced: [],
  };
}
