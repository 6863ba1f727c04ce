// How an incident of a GCP alert policy becomes a retraining event: one rule per log-based metric the drift and
// quality policies watch, written by the stack into the function's RETRAINING_RULES variable (JSON keyed by
// metric type), so the function never guesses what crossed from display names.
import type { RetrainingTrigger } from '../../core/retraining-event';

export interface RetrainingRule {
  readonly trigger: RetrainingTrigger;
  readonly kind: 'metric' | 'feature';
  /** The metric or feature name; or take it from this metric label of the incident (e.g. `feature`). */
  readonly name?: string;
  readonly nameLabel?: string;
  /** For a feature: what was judged (`verdict`: the drift job's gated test). */
  readonly statistic?: string;
  /** The metric label holding the crossing value (e.g. `value`); without it, the event's value is null. */
  readonly valueLabel?: string;
  readonly threshold: number;
  readonly comparison: 'below' | 'above';
}

/** `logging.googleapis.com/user/<metric>` to its rule. */
export type RetrainingRules = Readonly<Record<string, RetrainingRule>>;

/** The environment variable holding the rules as JSON. */
export const RETRAINING_RULES_ENV = 'RETRAINING_RULES';
