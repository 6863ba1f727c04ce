import { ResourceGroupBudget, ResourceGroupBudgetProps } from '../../lib/azure/resource-group-budget';
import { RG } from './private/fixtures';
import { only, synth } from './private/synth';

const ACTION_GROUP = `${RG.id}/providers/Microsoft.Insights/actionGroups/ag-fraud`;
const budgetOf = (over: Partial<ResourceGroupBudgetProps> = {}) =>
  only(synth((stack) => new ResourceGroupBudget(stack, 'Budget', { name: 'fraud', resourceGroup: RG, amount: 1500, actionGroupIds: [ACTION_GROUP], contactEmails: ['oncall@example.com'], ...over })),
    'azurerm_consumption_budget_resource_group');

describe('ResourceGroupBudget', () => {
  it('budgets the resource group monthly for the given amount', () => {
    expect(budgetOf()).toMatchObject({ name: 'budget-fraud', resource_group_id: RG.id, amount: 1500, time_grain: 'Monthly' });
  });

  it('notifies at 50, 90 and 100 percent of actual cost and 100 percent of forecast, at or above the threshold', () => {
    const notifications: { threshold: number; threshold_type: string; operator: string; enabled: boolean }[] = budgetOf().notification;
    expect(notifications.map((n) => [n.threshold, n.threshold_type])).toEqual([[50, 'Actual'], [90, 'Actual'], [100, 'Actual'], [100, 'Forecasted']]);
    for (const n of notifications) expect(n).toMatchObject({ operator: 'GreaterThanOrEqualTo', enabled: true });
  });

  it('sends every notification to the action group and the contact emails', () => {
    for (const n of budgetOf().notification) expect(n).toMatchObject({ contact_groups: [ACTION_GROUP], contact_emails: ['oncall@example.com'] });
  });

  it('starts in the month of the first apply and ignores later start-date drift', () => {
    const budget = budgetOf();
    expect(budget.time_period).toEqual({ start_date: '${formatdate("YYYY-MM-01\'T\'00:00:00\'Z\'", timestamp())}' });
    expect(budget.lifecycle).toEqual({ ignore_changes: ['time_period'] });
  });

  it('uses a given start date as is', () => {
    expect(budgetOf({ startDate: '2026-12-01T00:00:00Z' }).time_period).toEqual({ start_date: '2026-12-01T00:00:00Z' });
  });

  it('leaves out an empty receiver list', () => {
    const n = budgetOf({ contactEmails: [] }).notification[0];
    expect(n.contact_groups).toEqual([ACTION_GROUP]);
    expect(n.contact_emails).toBeUndefined();
  });

  it.each([
    ['a zero amount', { amount: 0 }, 'ResourceGroupBudget amount: got 0; expected'],
    ['no receiver', { actionGroupIds: [], contactEmails: [] }, 'ResourceGroupBudget actionGroupIds: got []; expected at least one action group or contact email'],
    ['a bad email', { contactEmails: ['nobody'] }, 'ResourceGroupBudget contactEmails[0]: got "nobody"; expected an email address'],
    ['a start date mid-month', { startDate: '2026-12-15T00:00:00Z' }, 'ResourceGroupBudget startDate: got "2026-12-15T00:00:00Z"; expected the first day of a month at midnight UTC'],
    ['a start date without time', { startDate: '2026-12-01' }, 'ResourceGroupBudget startDate: got "2026-12-01"; expected the first day of a month'],
    ['a start date before budgets existed', { startDate: '2017-05-01T00:00:00Z' }, 'ResourceGroupBudget startDate: got "2017-05-01T00:00:00Z"; expected the first day of a month at midnight UTC, June 2017 or later'],
  ])('rejects %s', (_what, over, message) => {
    expect(() => budgetOf(over)).toThrow(message);
  });
});
