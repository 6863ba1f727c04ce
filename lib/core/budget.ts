// When every cloud's budget notifies: shares of the monthly amount, against actual or forecast spend.
// One list, so AWS Budgets, Cloud Billing budgets and Azure Cost Management budgets alert alike.

export interface BudgetThreshold {
  /** Percent of the monthly amount. */
  readonly percent: number;
  /** Compare with the month's actual spend so far, or with the forecast for the whole month. */
  readonly basis: 'actual' | 'forecast';
}

export const BUDGET_THRESHOLDS: readonly BudgetThreshold[] = [
  { percent: 50, basis: 'actual' },
  { percent: 90, basis: 'actual' },
  { percent: 100, basis: 'actual' },
  { percent: 100, basis: 'forecast' },
];
