// ModelBudget: a monthly cost budget for one model (AWS Budgets), alerting at the shared thresholds (BUDGET_THRESHOLDS:
// 50/90/100% of actual spend, 100% of forecast) to the alarm topic (whose policy and key it opens to Budgets) and/or email.
import { Stack } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BUDGET_THRESHOLDS } from '../core/budget';
import { ValidationErrors } from '../core/errors';
import { pathHash } from './private/names';

/** Which costs the budget counts. */
export type ModelBudgetScope =
  /** Costs of resources tagged `tagKey=tagValue`; the tag must be an active cost allocation tag. */
  | { readonly type: 'tag'; readonly tagKey: string; readonly tagValue: string }
  /** Every cost of the account (the budget name says so). */
  | { readonly type: 'account' };

export interface ModelBudgetProps {
  /** Monthly limit in USD (1-10,000,000). */
  readonly limitUsd: number;
  /**
   * What the budget counts. A tag filter only sees costs once the tag is activated as a cost allocation tag
   * (Billing console > Cost allocation tags, or `aws ce update-cost-allocation-tags-status`); until then the
   * budget reads $0 and never alerts.
   */
  readonly scope: ModelBudgetScope;
  /** Prefix of the budget name (letters, digits, hyphens; up to 60 characters). */
  readonly namePrefix: string;
  /**
   * Topic that gets every budget alert. Its resource policy (and its key's policy, when the key was created
   * in this app) are extended so AWS Budgets of this account can publish to it.
   * @default - no topic; `emails` are notified directly
   */
  readonly topic?: sns.ITopic;
  /**
   * Addresses notified directly by AWS Budgets (no subscription to confirm). Up to 10.
   * @default - none
   */
  readonly emails?: readonly string[];
}


/** A monthly AWS Budgets cost budget alerting at `BUDGET_THRESHOLDS` of actual and forecast spend, like the GCP and Azure budgets. */
export class ModelBudget extends Construct {
  readonly budget: budgets.CfnBudget;
  /** Name of the budget (unique per account). */
  readonly budgetName: string;

  constructor(scope: Construct, id: string, props: ModelBudgetProps) {
    super(scope, id);
    const errors = new ValidationErrors('ModelBudget');
    errors.checkNumber('limitUsd', props.limitUsd, { min: 1, max: 10_000_000 });
    errors.checkPattern('namePrefix', props.namePrefix, /^[A-Za-z0-9-]{1,60}$/, '1-60 letters, digits or hyphens');
    const emails = props.emails ?? [];
    errors.checkEmails('emails', emails);
    errors.check(emails.length <= 10, 'emails', emails.length, 'at most 10 addresses (AWS Budgets allows 10 email subscribers per notification)');
    errors.check(props.topic !== undefined || emails.length > 0, 'topic', undefined, 'a topic or at least one email address: a budget nobody hears about protects nobody');
    if (props.scope.type === 'tag') {
      errors.checkPattern('scope.tagKey', props.scope.tagKey, /^.{1,128}$/, 'a tag key of 1-128 characters');
      errors.checkPattern('scope.tagValue', props.scope.tagValue, /^.{1,256}$/, 'a tag value of 1-256 characters');
    }
    errors.throwIfAny();

    // Fixed at synth time so the topic policy can name this budget in its aws:SourceArn condition.
    this.budgetName = `${props.namePrefix}-${props.scope.type === 'account' ? 'account-wide' : 'tagged'}-${pathHash(this)}`;
    const stack = Stack.of(this);

    const subscribers: budgets.CfnBudget.SubscriberProperty[] = [
      ...(props.topic ? [{ subscriptionType: 'SNS', address: props.topic.topicArn }] : []),
      ...emails.map((address) => ({ subscriptionType: 'EMAIL', address })),
    ];
    const notifications = BUDGET_THRESHOLDS.map((t) => ({
      notification: {
        notificationType: t.basis === 'actual' ? 'ACTUAL' : 'FORECASTED',
        comparisonOperator: 'GREATER_THAN',
        threshold: t.percent,
        thresholdType: 'PERCENTAGE',
      },
      subscribers,
    }));

    this.budget = new budgets.CfnBudget(this, 'Budget', {
      budget: {
        budgetName: this.budgetName,
        budgetType: 'COST',
        timeUnit: 'MONTHLY',
        budgetLimit: { amount: props.limitUsd, unit: 'USD' },
        filterExpression: props.scope.type === 'tag'
          ? { tags: { key: props.scope.tagKey, values: [props.scope.tagValue], matchOptions: ['EQUALS'] } }
          : undefined,
      },
      notificationsWithSubscribers: notifications,
    });

    if (props.topic) {
      const budgetArn = stack.formatArn({ service: 'budgets', region: '', resource: 'budget', resourceName: this.budgetName });
      const budgetsPrincipal = new iam.ServicePrincipal('budgets.amazonaws.com');
      const policy = props.topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowBudgetAlerts',
        principals: [budgetsPrincipal],
        actions: ['sns:Publish'],
        resources: [props.topic.topicArn],
        // Confused-deputy guard: only this budget of this account.
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account }, ArnLike: { 'aws:SourceArn': budgetArn } },
      }));
      // The budget validates its SNS subscriber when it is created: the policy must exist first.
      if (policy.policyDependable) this.budget.node.addDependency(policy.policyDependable);
      // An encrypted topic also needs the key: Budgets encrypts the message with it.
      props.topic.masterKey?.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowBudgetAlertsToUseKey',
        principals: [budgetsPrincipal],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        // In a key policy `*` means this key.
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }), true);
    }
  }
}
