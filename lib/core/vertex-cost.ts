// What a Vertex AI endpoint costs: each replica bills its machine's node-hours plus its accelerators' hours, around the
// clock (Vertex AI online prediction does not scale to zero). Prices are data: a part without a recorded price is
// "not priced" (counted $0 and listed), never guessed.
import type { CostLine } from './cost-line';
import type { HourlyPrice } from './hourly-price';
import type { VertexMachine } from './vertex-machines';

/** Where Vertex AI publishes its prediction prices (per node-hour by machine type, per hour by accelerator). */
export const VERTEX_PRICING_URL = 'https://cloud.google.com/vertex-ai/pricing#prediction-prices';

/**
 * Recorded us-central1 prediction prices by machine type and accelerator type. Empty on purpose (2026-12-05): the
 * prediction table of the pricing page could not be read from this workplace, and Vertex prediction prices differ from
 * Compute Engine's and from Vertex training's, so neither may stand in. Add a row as
 * `{ usdPerHour, region: 'us-central1', source: VERTEX_PRICING_URL, asOf: '<date read>' }` once read.
 */
export const VERTEX_PREDICTION_PRICES: Readonly<Record<string, HourlyPrice>> = {};

/** The monthly lines of `machine` at `minReplicas`-`maxReplicas` replicas around the clock. */
export function vertexServingCostLines(machine: VertexMachine, minReplicas: number, maxReplicas: number, hoursPerMonth: number): CostLine[] {
  const parts: { readonly item: string; readonly key: string; readonly count: number }[] = [
    { item: `Vertex AI ${machine.machineType} node-hours`, key: machine.machineType, count: 1 },
    ...(machine.accelerator ? [{ item: `Vertex AI ${machine.accelerator.type} accelerator-hours`, key: machine.accelerator.type, count: machine.accelerator.count }] : []),
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
      basis: `${minReplicas}-${maxReplicas} replicas${units} x ${hoursPerMonth} h x $${price.usdPerHour}/h`, source: `${price.source} (${price.region}, ${price.asOf})`,
    };
  });
}
