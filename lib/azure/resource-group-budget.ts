// A monthly Cost Management budget on a resource group: notifications at 50%, 90% and 100% of actual cost and
// at 100% of forecast cost, sent to the model's action group (the one its alerts use) and to email addresses.
import { ConsumptionBudgetResourceGroup } from '@cdktf/provider-azurerm/lib/consumption-budget-resource-group';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { BUDGET_THRESHOLDS, isTokenString, ValidationErrors } from '../core';
import { IResourceGroupRef } from './references';

/** When the budget notifies: percent of the amount, compared with actual or forecast cost of the month. */
export const RESOURCE_GROUP_BUDGET_NOTIFICATIONS: readonly { readonly thresholdPercent: number; readonly thresholdType: 'Actual' | 'Forecasted' }[] =
  BUDGET_THRESHOLDS.map((t) => ({ thresholdPercent: t.percent, thresholdType: t.basis === 'actual' ? 'Actual' : 'Forecasted' }));

/** `YYYY-MM-01T00:00:00Z`: Cost Management budgets start on the first day of a month (UTC). */
export const BUDGET_START_DATE_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])-01T00:00:00Z$/;

export interface ResourceGroupBudgetProps {
  /** Model name: the budget is called `budget-<name>`. */
  readonly name: string;
  /**
   * The resource group whose cost is counted: all of it, including resources outside this stack when the group
   * is shared.
   */
  readonly resourceGroup: IResourceGroupRef;
  /**
   * Monthly amount, in the billing currency of the subscription (USD for USD-billed subscriptions: Cost Management
   * does not convert).
   */
  readonly amount: number;
  /**
   * Action group ids (`azurerm_monitor_action_group`) notified at every threshold.
   * @default - none (then `contactEmails` must name at least one address)
   */
  readonly actionGroupIds?: readonly string[];
  /**
   * Email addresses notified at every threshold, besides the action groups.
   * @default - none
   */
  readonly contactEmails?: readonly string[];
  /**
   * First month the budget counts, as `YYYY-MM-01T00:00:00Z`. Azure accepts the current month up to twelve months
   * ahead when the budget is created, and never changes it afterwards: this stack ignores later edits to it.
   * @default - the first day of the month in which `terraform apply` creates the budget (Terraform `timestamp()`)
   */
  readonly startDate?: string;
}

/** `azurerm_consumption_budget_resource_group` with the standard notification thresholds. */
export class ResourceGroupBudget extends Construct {
  readonly budget: ConsumptionBudgetResourceGroup;

  constructor(scope: Construct, id: string, props: ResourceGroupBudgetProps) {
    super(scope, id);
    const errors = new ValidationErrors('ResourceGroupBudget');
    errors.checkNumber('amount', props.amount, { min: 1, max: 10_000_000 });
    const groups = props.actionGroupIds ?? [];
    const emails = props.contactEmails ?? [];
    errors.check(groups.length + emails.length > 0, 'actionGroupIds', groups, 'at least one action group or contact email (a budget must notify someone)');
    // Cost Management caps each notification at 50 email addresses.
    errors.check(emails.length <= 50, 'contactEmails', `${emails.length} addresses`, 'at most 50 addresses');
    errors.checkEmails('contactEmails', emails);
    if (props.startDate !== undefined && !isTokenString(props.startDate)) {
      const match = BUDGET_START_DATE_PATTERN.exec(props.startDate);
      errors.check(match !== null && `${match[1]}-${match[2]}` >= '2017-06', 'startDate', props.startDate,
        'the first day of a month at midnight UTC, June 2017 or later, such as "2026-12-01T00:00:00Z"');
    }
    errors.throwIfAny();

    this.budget = new ConsumptionBudgetResourceGroup(this, 'Budget', {
      name: `budget-${props.name}`,
      resourceGroupId: props.resourceGroup.id,
      amount: props.amount,
      timeGrain: 'Monthly',
      // No end date: Azure then keeps the budget for ten years from its start.
      // Default: Terraform's timestamp() at apply time as the first day of that month. Azure refuses a monthly budget
      // starting before the current month or over a year ahead, so no date fixed at synth time stays valid.
      timePeriod: { startDate: props.startDate ?? Fn.formatdate("YYYY-MM-01'T'00:00:00'Z'", Fn.timestamp()) },
      notification: RESOURCE_GROUP_BUDGET_NOTIFICATIONS.map((n) => ({
        enabled: true,
        threshold: n.thresholdPercent,
        thresholdType: n.thresholdType,
        operator: 'GreaterThanOrEqualTo',
        contactGroups: groups.length > 0 ? [...groups] : undefined,
        contactEmails: emails.length > 0 ? [...emails] : undefined,
      })),
      // The start date cannot change in place (Azure: "Start date of budgets cannot be updated"); the default is
      // re-evaluated on every plan, so without this every plan would replace the budget.
      lifecycle: { ignoreChanges: ['time_period'] },
    });
  }
}
