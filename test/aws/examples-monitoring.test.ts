// The AWS examples monitor with the portable jobs (no SageMaker Model Monitor, closed to new customers), and the
// retraining-signal example wires the event to its target.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { EXAMPLES } from '../../examples';
import { RETRAINING_EVENT_DETAIL_TYPE, RETRAINING_EVENT_SOURCE } from '../../lib/core/retraining-event';

const cdkExamples = EXAMPLES.filter((e) => e.kind === 'cdk');

describe('AWS examples and monitoring', () => {
  it.each(cdkExamples.map((e) => [e.name, e] as const))('%s: no Model Monitor schedule or job definition', (_name, example) => {
    if (example.kind !== 'cdk') return;
    for (const stack of example.load()(new App())) {
      const template = Template.fromStack(stack);
      for (const type of ['AWS::SageMaker::MonitoringSchedule', 'AWS::SageMaker::DataQualityJobDefinition', 'AWS::SageMaker::ModelQualityJobDefinition']) {
        template.resourceCountIs(type, 0);
      }
    }
  });

  it('retraining-signal: portable drift and quality jobs, and a rule queuing the retraining event for the pipeline', () => {
    const example = EXAMPLES.find((e) => e.name === 'retraining-signal')!;
    if (example.kind !== 'cdk') throw new Error('not a CDK example');
    const [stack] = example.load()(new App());
    const template = Template.fromStack(stack);
    const fns = Object.values(template.findResources('AWS::Lambda::Function')).map((f) => f.Properties.Environment?.Variables ?? {});
    expect(fns.some((v) => v.BASELINE_URI)).toBe(true);
    expect(fns.some((v) => v.QUALITY_PROBLEM_TYPE === 'BinaryClassification')).toBe(true);
    expect(fns.some((v) => v.EVENT_BUS_NAME)).toBe(true);
    const consumer = Object.values(template.findResources('AWS::Events::Rule', { Properties: { EventPattern: { source: [RETRAINING_EVENT_SOURCE] } } }));
    expect(consumer).toHaveLength(1);
    expect(consumer[0].Properties.EventPattern).toEqual({ source: [RETRAINING_EVENT_SOURCE], 'detail-type': [RETRAINING_EVENT_DETAIL_TYPE], detail: { model: ['churn'] } });
    const queue = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) => id.startsWith('RetrainingInbox'))!;
    expect(consumer[0].Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [queue, 'Arn'] });
  });
});
