import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { ALARMS_PER_RULE, RetrainingSignal } from '../../lib/aws/retraining-signal';
import { RETRAINING_EVENT_DETAIL_TYPE, RETRAINING_EVENT_SOURCE } from '../../lib/core/retraining-event';

function synth(eventBus?: (stack: Stack) => events.IEventBus, alarmCount = 2) {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'eu-west-1' } });
  const metric = new cloudwatch.Metric({ namespace: 'DeployAiSmarter/Quality', metricName: 'Accuracy', dimensionsMap: { Model: 'churn' } });
  const alarms = Array.from({ length: alarmCount }, (_, i) => new cloudwatch.Alarm(stack, `Alarm${i}`, { metric, threshold: 0.8, evaluationPeriods: 1 }));
  const signal = new RetrainingSignal(stack, 'Signal', { modelName: 'churn', alarms, eventBus: eventBus?.(stack) });
  return { stack, signal, alarms, template: Template.fromStack(stack) };
}

describe('RetrainingSignal', () => {
  it('matches ALARM state changes of exactly the given alarms and targets the function', () => {
    const { stack, template, alarms, signal } = synth();
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(1);
    expect(rules[0].Properties.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: alarms.map((a) => ({ 'Fn::GetAtt': [stack.getLogicalId(a.node.defaultChild as cloudwatch.CfnAlarm), 'Arn'] })),
      detail: { state: { value: ['ALARM'] } },
    });
    expect(rules[0].Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(signal.function.node.defaultChild as never), 'Arn'] } })]);
  });

  it('may put events on the default bus only (events:PutEvents on its ARN), and tells the function which bus', () => {
    const { template } = synth();
    const busArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:111122223333:event-bus/default']] };
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const put = statements.filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('events:'));
    expect(put).toEqual([{ Sid: 'PutRetrainingEvents', Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn }]);
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
    expect(fn.Properties.Environment.Variables).toEqual({ MODEL_NAME: 'churn', EVENT_BUS_NAME: busArn });
    expect(fn.Properties.Handler).toBe('index.handler');
  });

  it('puts events on a bus given to it, and nowhere else', () => {
    const { template, stack } = synth((s) => new events.EventBus(s, 'Ml', { eventBusName: 'ml-events' }));
    const busArn = { 'Fn::GetAtt': [stack.getLogicalId(stack.node.findChild('Ml').node.defaultChild as events.CfnEventBus), 'Arn'] };
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('events:'))).toEqual([
      { Sid: 'PutRetrainingEvents', Effect: 'Allow', Action: 'events:PutEvents', Resource: busArn },
    ]);
  });

  it('splits many alarms over rules of at most ALARMS_PER_RULE ARNs, each pattern under 2,048 characters with long alarm names', () => {
    const { template, stack, signal } = synth(undefined, 20);
    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules.map((r) => r.Properties.EventPattern.resources.length)).toEqual([ALARMS_PER_RULE, ALARMS_PER_RULE, 20 - 2 * ALARMS_PER_RULE]);
    expect(signal.alarmRules).toHaveLength(3);
    // Deployed, each ARN is arn:aws:cloudwatch:<region>:<account>:alarm:<stack>-<logical id>-<suffix>: measure with long names.
    const longName = `${'S'.repeat(40)}-${'PortableDriftDriftAlarmmonthlycharges'.padEnd(60, 'X')}-ABCDEFGHIJKL`;
    const arn = `arn:aws:cloudwatch:ap-southeast-2:111122223333:alarm:${longName}`;
    for (const rule of rules) {
      const pattern = { ...rule.Properties.EventPattern, resources: rule.Properties.EventPattern.resources.map(() => arn) };
      expect(JSON.stringify(pattern).length).toBeLessThan(2048);
    }
    expect(stack).toBeDefined();
  });

  it('gives the pattern consumers match the published events with', () => {
    expect(RetrainingSignal.eventPattern('churn')).toEqual({ source: [RETRAINING_EVENT_SOURCE], detailType: [RETRAINING_EVENT_DETAIL_TYPE], detail: { model: ['churn'] } });
  });

  it('rejects an empty alarm list', () => {
    const stack = new Stack(new App(), 'Stack');
    expect(() => new RetrainingSignal(stack, 'Signal', { modelName: 'churn', alarms: [] })).toThrow('RetrainingSignal alarms: got 0; expected from 1 to 100 alarms');
  });
});
