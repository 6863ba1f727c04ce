// An on-demand list price and where it came from: shared by the compute catalog and the SageMaker hosting catalog.

/** An on-demand list price and where it came from. */
export interface HourlyPrice {
  /** US dollars per hour of one instance (or of the serving shape at 100% allocation). */
  readonly usdPerHour: number;
  /** Region the price was read for. */
  readonly region: string;
  /** Where the price was read. */
  readonly source: string;
  /** When the price was read (ISO date). */
  readonly asOf: string;
}
