// Model Monitor's constraint checks (constraint_violations.json names) for one window, with a noise gate: where a
// constraint is a rate the baseline estimated (completeness 0.97, a type share below 1), a window only violates it
// when the shortfall is significant for its size. Rates of 1 (every value present, typed, in the domain) are exact.
import { FeatureSettings } from './drift-settings';
import { binomialLowerTail } from './p-values';
import { InferredType } from './value-types';

/** Check names as Model Monitor writes them in constraint_violations.json. */
export type ViolationCheck =
  | 'baseline_drift_check'
  | 'completeness_check'
  | 'data_type_check'
  | 'categorical_values_check'
  | 'missing_column_check'
  | 'extra_column_check';

/** The constraint checks counted on the `constraint_violations` line (drift has its own metrics). */
export const CONSTRAINT_CHECKS = ['missing_column_check', 'extra_column_check', 'data_type_check', 'categorical_values_check', 'completeness_check'] as const;
export type ConstraintCheck = (typeof CONSTRAINT_CHECKS)[number];

export interface Violation {
  readonly feature: string;
  readonly check: ViolationCheck;
  readonly description: string;
}

/** What the window showed for one feature. */
export interface FeatureObservation {
  readonly feature: string;
  readonly type: InferredType;
  /** Rows in the window. */
  readonly rows: number;
  /** Rows where the feature had a value. */
  readonly present: number;
  /** Present values of the baseline's type. */
  readonly typeMatches: number;
  readonly baselineCompleteness: number;
  /** Present values inside the baseline domain, and how many were checked; undefined without a domain. */
  readonly domain?: { readonly inside: number; readonly checked: number; readonly newValues: readonly string[] };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The feature's failed constraint checks. `gateAlpha` is the significance a shortfall against an estimated rate
 * must reach (the job passes its alpha divided by the number of features).
 */
export function featureViolations(o: FeatureObservation, settings: FeatureSettings, gateAlpha: number): Violation[] {
  if (!settings.evaluateConstraints || o.rows === 0) return [];
  const out: Violation[] = [];
  const add = (check: ViolationCheck, description: string) => out.push({ feature: o.feature, check, description });
  const below = (successes: number, trials: number, rate: number) =>
    trials > 0 && successes / trials < rate - 1e-12 && binomialLowerTail(successes, trials, rate) < gateAlpha;

  const c = o.baselineCompleteness;
  if (o.present === 0 && c > 0) {
    if (c >= 1 || (1 - c) ** o.rows < gateAlpha) add('missing_column_check', `no value in ${o.rows} rows; the baseline had ${pct(c)} of rows with a value`);
  } else if (below(o.present, o.rows, c)) {
    add('completeness_check', `${pct(o.present / o.rows)} of ${o.rows} rows have a value; the baseline constraint is ${pct(c)}`);
  }
  if (o.type !== 'String' && o.type !== 'Unknown' && below(o.typeMatches, o.present, settings.datatypeCheckThreshold)) {
    add('data_type_check', `${pct(o.typeMatches / o.present)} of ${o.present} values are ${o.type}; expected at least ${pct(settings.datatypeCheckThreshold)}`);
  }
  const d = o.domain;
  if (d && below(d.inside, d.checked, settings.domainContentThreshold)) {
    const examples = d.newValues.length > 0 ? ` (new: ${d.newValues.slice(0, 5).map((v) => JSON.stringify(v)).join(', ')})` : '';
    add('categorical_values_check', `${pct(d.inside / d.checked)} of ${d.checked} values are in the baseline domain${examples}; expected at least ${pct(settings.domainContentThreshold)}`);
  }
  return out;
}

/** One `extra_column_check` per column the baseline does not know. */
export function extraColumnViolations(columns: readonly string[]): Violation[] {
  return columns.map((feature) => ({ feature, check: 'extra_column_check', description: `column ${JSON.stringify(feature)} is not in the baseline` }));
}

/** Count of each constraint check among `violations` (every check present, 0 when it did not fail). */
export function countByCheck(violations: readonly Violation[]): Record<ConstraintCheck, number> {
  const counts = Object.fromEntries(CONSTRAINT_CHECKS.map((c) => [c, 0])) as Record<ConstraintCheck, number>;
  for (const v of violations) if (v.check in counts) counts[v.check as ConstraintCheck] += 1;
  return counts;
}
