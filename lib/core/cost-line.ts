// One line of a monthly cost estimate: shared by the cost model and the per-cloud network cost files.

/** One priced item of a monthly estimate. */
export interface CostLine {
  readonly item: string;
  readonly minUsd: number;
  readonly maxUsd: number;
  /** How the number was computed, e.g. `1 x 730 h x $0.23/h`. */
  readonly basis: string;
  readonly source: string;
  /** True when the item has no recorded price: its amounts are 0 and it is listed in `notPriced`. */
  readonly notPriced?: boolean;
}
