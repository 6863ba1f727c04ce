import { ModelBudget } from '../../lib/gcp/model-budget';
import { PROJECT, resource, synth, testStack, TfJson } from './private/tf-json';

const CHANNELS = ['projects/example-project-id/notificationChannels/1', 'projects/example-project-id/notificationChannels/2'];

describe('ModelBudget', () => {
  let json: TfJson;
  beforeAll(() => {
    const { stack } = testStack();
    new ModelBudget(stack, 'Cost', { projectId: PROJECT, billingAccountId: '012345-6789AB-CDEF01', amountUsd: 1200.25, notificationChannelIds: CHANNELS });
    new ModelBudget(stack, 'Quiet', { projectId: PROJECT, billingAccountId: '012345-6789AB-CDEF01', amountUsd: 300, displayName: 'churn monthly budget' });
    json = synth(stack);
  });

  it('budgets the project, by number, per calendar month, in US dollars', () => {
    const project = Object.keys(json.data!.google_project).find((k) => k.startsWith('Cost_Project'));
    expect(resource(json, 'google_billing_budget', 'Cost/Budget')).toMatchObject({
      billing_account: '012345-6789AB-CDEF01',
      display_name: `Monthly budget of ${PROJECT}`,
      budget_filter: { projects: [`projects/\${data.google_project.${project}.number}`], calendar_period: 'MONTH' },
      amount: { specified_amount: { currency_code: 'USD', units: '1200', nanos: 250000000 } },
    });
    expect(json.data!.google_project[project!]).toMatchObject({ project_id: PROJECT });
    expect(resource(json, 'google_billing_budget', 'Quiet/Budget').amount).toEqual({ specified_amount: { currency_code: 'USD', units: '300' } });
  });

  it('alerts at 50%, 90% and 100% of actual spend and at 100% of forecast spend', () => {
    expect(resource(json, 'google_billing_budget', 'Cost/Budget').threshold_rules).toEqual([
      { threshold_percent: 0.5, spend_basis: 'CURRENT_SPEND' },
      { threshold_percent: 0.9, spend_basis: 'CURRENT_SPEND' },
      { threshold_percent: 1, spend_basis: 'CURRENT_SPEND' },
      { threshold_percent: 1, spend_basis: 'FORECASTED_SPEND' },
    ]);
  });

  it('notifies the given channels and keeps the billing account admins informed', () => {
    expect(resource(json, 'google_billing_budget', 'Cost/Budget').all_updates_rule).toEqual({ monitoring_notification_channels: CHANNELS, disable_default_iam_recipients: false });
    expect(resource(json, 'google_billing_budget', 'Quiet/Budget')).toMatchObject({ display_name: 'churn monthly budget', all_updates_rule: { disable_default_iam_recipients: false } });
    expect((resource(json, 'google_billing_budget', 'Quiet/Budget').all_updates_rule as Record<string, unknown>).monitoring_notification_channels).toBeUndefined();
  });

  it('rejects a malformed billing account, an amount out of range, more than 5 channels and a long name', () => {
    const { stack } = testStack();
    const six = Array.from({ length: 6 }, (_, i) => `projects/p/notificationChannels/${i}`);
    expect(() => new ModelBudget(stack, 'B', { projectId: PROJECT, billingAccountId: 'billingAccounts/012345-6789AB-CDEF01', amountUsd: 0.5, notificationChannelIds: six, displayName: 'x'.repeat(61) }))
      .toThrow(/4 invalid props:[\s\S]*ModelBudget billingAccountId: got "billingAccounts\/012345-6789AB-CDEF01"; expected a Cloud Billing account id such as "012345-6789AB-CDEF01" \(gcloud billing accounts list\)[\s\S]*ModelBudget amountUsd: got 0.5; expected a number from 1 to 10000000[\s\S]*ModelBudget notificationChannelIds: got \["projects\/p\/notificationChannels\/0"[\s\S]*?; expected at most 5 channels \(a budget notifies no more\)[\s\S]*ModelBudget displayName: got "x+"; expected at most 60 characters/);
  });
});
