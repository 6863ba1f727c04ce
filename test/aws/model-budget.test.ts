import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ModelBudget, ModelBudgetProps } from '../../lib/aws/model-budget';
import { BUDGET_THRESHOLDS } from '../../lib/core/budget';

function synth(props: Partial<ModelBudgetProps> = {}, withTopic = true) {
  const stack = new Stack(new App(), 'Stack');
  const topic = withTopic ? new sns.Topic(stack, 'Topic') : undefined;
  const budget = new ModelBudget(stack, 'Budget', { limitUsd: 300, namePrefix: 'churn', scope: { type: 'account' }, topic, ...props });
  return { stack, budget, template: Template.fromStack(stack) };
}

describe('ModelBudget', () => {
  it('alerts the topic and the emails at the shared thresholds, and lets only this budget of this account publish (policy created first)', () => {
    const { template, budget, stack } = synth({ emails: ['a@example.com'] });
    const b = Object.values(template.findResources('AWS::Budgets::Budget'))[0];
    // The thresholds every cloud shares: 50/90/100% of actual spend, 100% of forecast.
    expect(b.Properties.NotificationsWithSubscribers.map((n: { Notification: unknown }) => n.Notification)).toEqual(BUDGET_THRESHOLDS.map((t) => ({
      NotificationType: t.basis === 'actual' ? 'ACTUAL' : 'FORECASTED', ComparisonOperator: 'GREATER_THAN', Threshold: t.percent, ThresholdType: 'PERCENTAGE',
    })));
    expect(b.Properties.NotificationsWithSubscribers.map((n: { Notification: { Threshold: number } }) => n.Notification.Threshold)).toEqual([50, 90, 100, 100]);
    expect(b.Properties.NotificationsWithSubscribers[0].Subscribers).toEqual([
      { SubscriptionType: 'SNS', Address: { Ref: expect.stringMatching(/^Topic/) } }, { SubscriptionType: 'EMAIL', Address: 'a@example.com' },
    ]);
    expect(b.DependsOn).toEqual([expect.stringMatching(/^TopicPolicy/)]);
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0].Properties.PolicyDocument.Statement[0];
    expect(policy.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':budgets::', { Ref: 'AWS::AccountId' }, `:budget/${budget.budgetName}`]] } },
    });
    expect(stack.resolve(budget.budgetName)).toMatch(/^churn-account-wide-[0-9a-f]{8}$/);
  });

  it.each([
    [{ limitUsd: 0 }, true, 'ModelBudget limitUsd: got 0; expected a number from 1 to 10000000'],
    [{ namePrefix: 'churn model' }, true, 'ModelBudget namePrefix: got "churn model"; expected 1-60 letters, digits or hyphens'],
    [{ emails: ['nope'] }, true, 'ModelBudget emails[0]: got "nope"; expected an email address'],
    [{}, false, 'ModelBudget topic: got undefined; expected a topic or at least one email address'],
  ] as Array<[Partial<ModelBudgetProps>, boolean, string]>)('rejects %j', (props, withTopic, message) => {
    expect(() => synth(props, withTopic)).toThrow(message);
  });
});
