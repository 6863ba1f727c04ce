// What a Vertex AI endpoint costs: each replica bills its machine's node-hours plus its accelerators' hours, around the
// clock (Vertex AI online prediction does not scale to zero). Prices are data: a part without a recorded price is
// "not priced" (counted $0 and listed), never guessed.
import type { CostLine } from './cost-line';
import type { HourlyPrice } from './hourly-price';
import type { VertexMachine } from './vertex-machines';

/** Where Vertex AI publishes its prediction prices (per node-hour by machine type, per hour by accelerator). */
export const VERTEX_PRICING_URL = 'https://cloud.google.com/vertex-ai/pricing#prediction-prices';

/**
 * Where the recorded prices come from. Google's prediction price table could not be read from this workplace; these
 * are its us-central1 rates as quoted by two independent public cost tools (one states "verified 2026-06-15" against
 * the pricing page), which agree with each other and with Vertex AI's documented rule that prediction nodes cost the
 * Compute Engine rate plus about 15%. Re-check them on the pricing page before relying on a number.
 */
export const VERTEX_PREDICTION_PRICES_SOURCE = `${VERTEX_PRICING_URL} (us-central1 prediction rates as quoted by public cost tools, verified there 2026-06-15)`;
const quoted = (usdPerHour: number): HourlyPrice => ({ usdPerHour, region: 'us-central1', source: VERTEX_PREDICTION_PRICES_SOURCE, asOf: '2026-06-15' });

/**
 * Recorded us-central1 prediction prices by machine type and accelerator type. A machine or accelerator without a row
 * is "not priced" (counted $0 and listed), never guessed: c2-standard-4 and a2-highgpu-1g have none yet.
 */
export const VERTEX_PREDICTION_PRICES: Readonly<Record<string, HourlyPrice>> = {
  'n1-standard-4': quoted(0.219),
  'n1-standard-8': quoted(0.438),
  // Accelerator-optimized machines: the price includes their GPUs (g2: NVIDIA L4).
  'g2-standard-4': quoted(0.81),
  'g2-standard-8': quoted(0.98),
  NVIDIA_TESLA_T4: quoted(0.402),
};

/** Machine families whose node price includes their GPUs (accelerator-optimized: G2 with L4, A2 with A100, A3 with H100). */
export const VERTEX_GPU_INCLUSIVE_FAMILIES: readonly string[] = ['g2', 'a2', 'a3'];

/** The monthly lines of `machine` at `minReplicas`-`maxReplicas` replicas around the clock. */
export function vertexServingCostLines(machine: VertexMachine, minReplicas: number, maxReplicas: number, hoursPerMonth: number): CostLine[] {
  const gpuIncluded = VERTEX_GPU_INCLUSIVE_FAMILIES.includes(machine.machineType.split('-')[0]);
  const parts: { readonly item: string; readonly key: string; readonly count: number }[] = [
    { item: `Vertex AI ${machine.machineType} node-hours${gpuIncluded && machine.accelerator ? ` (${machine.accelerator.count} x ${machine.accelerator.type} included)` : ''}`, key: machine.machineType, count: 1 },
    ...(machine.accelerator && !gpuIncluded ? [{ item: `Vertex AI ${machine.accelerator.type} accelerator-hours`, key: machine.accelerator.type, count: machine.accelerator.count }] : []),
  ];
  return parts.map(({ item, key, count }) => {
    const price = VERTEX_PREDICTION_PRICES[key];
    const units = count === 1 ? '' : ` x ${count}`;
    if (!price) {
      return {
        item, minUsd: 0, maxUsd: 0, notPriced: true,
        basis: `${minReplicas}-${maxReplicas} replicas${units} x ${hoursPerMonth} h x not priced`,
        source: `not priced: no recorded Vertex AI prediction price for ${key}; read it at ${VERTEX_PRICING_URL}`,
      };
    }
    const hourly = price.usdPerHour * count;
    const cents = (n: number) => Math.round(n * 100) / 100;
    return {
      item, minUsd: cents(minReplicas * hoursPerMonth * hourly), maxUsd: cents(maxReplicas * hoursPerMonth * hourly),
      basis: `${minReplicas}-${maxReplicas} replicas${units} x ${hoursPerMonth} h x $${price.usdPerHour}/h`, source: `${price.source} (${price.region}, as of ${price.asOf})`,
    };
  });
}
