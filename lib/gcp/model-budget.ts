// A monthly Cloud Billing budget on the stack's project: email alerts at 50%, 90% and 100% of actual spend and
// at 100% of forecast spend, sent to the same notification channels as the model's alert policies.
import { Construct } from 'constructs';
import { BillingBudget } from '@cdktf/provider-google/lib/billing-budget';
import { DataGoogleProject } from '@cdktf/provider-google/lib/data-google-project';
import { BUDGET_THRESHOLDS, isTokenString, ValidationErrors } from '../core';
import { checkProjectId } from './private/gcp-names';

/** Cloud Billing account ids look like `012345-6789AB-CDEF01`. */
export const BILLING_ACCOUNT_ID_PATTERN = /^[0-9A-Z]{6}-[0-9A-Z]{6}-[0-9A-Z]{6}$/;
export const BILLING_ACCOUNT_ID_EXPECTED = 'a Cloud Billing account id such as "012345-6789AB-CDEF01" (gcloud billing accounts list)';

/** When the budget notifies: shares of the amount (1 = 100%) and whether actual or forecast spend is compared. */
export const BUDGET_THRESHOLD_RULES: readonly { readonly thresholdPercent: number; readonly spendBasis: 'CURRENT_SPEND' | 'FORECASTED_SPEND' }[] =
  BUDGET_THRESHOLDS.map((t) => ({ thresholdPercent: t.percent / 100, spendBasis: t.basis === 'actual' ? 'CURRENT_SPEND' : 'FORECASTED_SPEND' }));

/** A budget notifies at most 5 Cloud Monitoring channels (billingbudgets API limit). */
export const MAX_BUDGET_CHANNELS = 5;

export interface ModelBudgetProps {
  /** The project whose spend is counted (all of it: every resource in the project, not only this model's). */
  readonly projectId: string;
  /**
   * The billing account paying for the project; budgets live on it. The deploying identity needs
   * `billing.budgets.create` there (Billing Account Administrator or Billing Account Costs Manager).
   */
  readonly billingAccountId: string;
  /**
   * Monthly amount in US dollars (calendar month). The billing account must bill in USD: the Budget API refuses
   * an amount in another currency than the account's.
   */
  readonly amountUsd: number;
  /** @default - `Monthly budget of <projectId>` */
  readonly displayName?: string;
  /**
   * Cloud Monitoring notification channels (`projects/<p>/notificationChannels/<n>`), at most 5.
   * Billing account administrators and users are notified as well.
   * @default - none: only billing account administrators and users get the emails
   */
  readonly notificationChannelIds?: readonly string[];
}

/** `google_billing_budget` for one project. */
export class ModelBudget extends Construct {
  readonly budget: BillingBudget;

  constructor(scope: Construct, id: string, props: ModelBudgetProps) {
    super(scope, id);
    const errors = new ValidationErrors('ModelBudget');
    checkProjectId(errors, 'projectId', props.projectId);
    errors.checkPattern('billingAccountId', props.billingAccountId, BILLING_ACCOUNT_ID_PATTERN, BILLING_ACCOUNT_ID_EXPECTED);
    errors.checkNumber('amountUsd', props.amountUsd, { min: 1, max: 10_000_000 });
    const channels = props.notificationChannelIds ?? [];
    errors.check(channels.length <= MAX_BUDGET_CHANNELS, 'notificationChannelIds', channels, `at most ${MAX_BUDGET_CHANNELS} channels (a budget notifies no more)`);
    const displayName = props.displayName ?? `Monthly budget of ${props.projectId}`;
    errors.check(isTokenString(displayName) || displayName.length <= 60, 'displayName', displayName, 'at most 60 characters');
    errors.throwIfAny();

    // The budget filter takes the project number (`projects/<id>` is accepted but read back as the number, which
    // Terraform would then show as a change on every plan).
    const project = new DataGoogleProject(this, 'Project', { projectId: props.projectId });
    const units = Math.floor(props.amountUsd);
    const nanos = Math.round((props.amountUsd - units) * 1e9);
    this.budget = new BillingBudget(this, 'Budget', {
      billingAccount: props.billingAccountId,
      displayName,
      budgetFilter: {
        projects: [`projects/${project.number}`],
        calendarPeriod: 'MONTH',
      },
      amount: { specifiedAmount: { currencyCode: 'USD', units: String(units), ...(nanos > 0 ? { nanos } : {}) } },
      thresholdRules: BUDGET_THRESHOLD_RULES.map((rule) => ({ ...rule })),
      allUpdatesRule: {
        monitoringNotificationChannels: channels.length > 0 ? [...channels] : undefined,
        // Billing admins keep getting the emails: a budget nobody at the billing account hears about is easy to miss.
        disableDefaultIamRecipients: false,
      },
    });
  }
}
