import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { AlarmStateChangeEvent, handler, retrainingEventOf } from '../../lib/runtime/aws-retraining-signal';
import { RETRAINING_EVENT_DETAIL_TYPE, RETRAINING_EVENT_SOURCE } from '../../lib/core/retraining-event';

const ALARM_ARN = 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:churn-quality-accuracy';

/** A `CloudWatch Alarm State Change` event as EventBridge delivers it (shape from the CloudWatch user guide). */
function alarmEvent(metric: { namespace: string; name: string; dimensions: Record<string, string> }, reason: object, state = 'ALARM'): AlarmStateChangeEvent {
  return {
    time: '2026-01-17T10:07:00Z',
    region: 'eu-west-1',
    resources: [ALARM_ARN],
    detail: {
      alarmName: 'churn-quality-accuracy',
      state: { value: state, reasonData: JSON.stringify({ version: '1.0', statistic: 'Minimum', period: 86400, ...reason }), timestamp: '2026-01-17T10:07:00.123+0000' },
      configuration: { metrics: [{ metricStat: { metric } }] },
    },
  } as AlarmStateChangeEvent;
}

describe('aws-retraining-signal handler', () => {
  const eventBridge = mockClient(EventBridgeClient);
  beforeEach(() => {
    eventBridge.reset();
    process.env.MODEL_NAME = 'churn';
    process.env.EVENT_BUS_NAME = 'arn:aws:events:eu-west-1:123456789012:event-bus/default';
  });

  it('turns an accuracy alarm into one model_quality event on the bus, in the documented schema', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const event = alarmEvent({ namespace: 'DeployAiSmarter/Quality', name: 'Accuracy', dimensions: { Model: 'churn' } }, { threshold: 0.8, recentDatapoints: [0.71] });
    const result = await handler(event);
    expect(result.published).toBe(true);
    const input = eventBridge.commandCalls(PutEventsCommand)[0].args[0].input;
    expect(input.Entries).toHaveLength(1);
    const entry = input.Entries![0];
    expect(entry).toMatchObject({ Source: RETRAINING_EVENT_SOURCE, DetailType: RETRAINING_EVENT_DETAIL_TYPE, EventBusName: process.env.EVENT_BUS_NAME, Resources: [ALARM_ARN] });
    expect(JSON.parse(entry.Detail!)).toEqual({
      schemaVersion: '1.0',
      id: 'aws/churn/model_quality/metric/accuracy//churn-quality-accuracy/2026-01-17T10:07:00.123Z',
      time: '2026-01-17T10:07:00.123Z',
      model: 'churn',
      cloud: 'aws',
      trigger: 'model_quality',
      crossed: { kind: 'metric', name: 'accuracy', value: 0.71, threshold: 0.8, comparison: 'below' },
      sourceAlarm: {
        name: 'churn-quality-accuracy', id: ALARM_ARN,
        url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/churn-quality-accuracy',
      },
      summary: 'churn: accuracy 0.71 below threshold 0.8 (model_quality; alarm churn-quality-accuracy on aws)',
    });
  });

  it("reads a feature's drift verdict, the dataset verdict, RMSE and stopped labels", () => {
    const drifted = retrainingEventOf(alarmEvent({ namespace: 'DeployAiSmarter/Drift', name: 'FeatureDrifted', dimensions: { Model: 'churn', Feature: 'age' } }, { threshold: 1, recentDatapoints: [1] }), 'churn')!;
    expect(drifted).toMatchObject({ trigger: 'data_drift', crossed: { kind: 'feature', name: 'age', statistic: 'drifted', value: 1, threshold: 1, comparison: 'above' } });
    const dataset = retrainingEventOf(alarmEvent({ namespace: 'DeployAiSmarter/Drift', name: 'DatasetDrift', dimensions: { Model: 'churn' } }, { threshold: 1, recentDatapoints: [1] }), 'churn')!;
    expect(dataset.crossed).toMatchObject({ kind: 'metric', name: 'dataset_drift', comparison: 'above' });
    const rmse = retrainingEventOf(alarmEvent({ namespace: 'DeployAiSmarter/Quality', name: 'Rmse', dimensions: { Model: 'churn' } }, { threshold: 12, recentDatapoints: [15.5] }), 'churn')!;
    expect(rmse.crossed).toMatchObject({ name: 'rmse', value: 15.5, threshold: 12, comparison: 'above' });
    const labels: AlarmStateChangeEvent = alarmEvent({ namespace: 'DeployAiSmarter/Quality', name: 'CapturedEvents', dimensions: { Model: 'churn' } }, { threshold: 1, recentDatapoints: [1] });
    const withLabelled = { ...labels, detail: { ...labels.detail, configuration: { metrics: [
      { metricStat: { metric: { namespace: 'DeployAiSmarter/Quality', name: 'CapturedEvents', dimensions: { Model: 'churn' } } } },
      { metricStat: { metric: { namespace: 'DeployAiSmarter/Quality', name: 'LabelledEvents', dimensions: { Model: 'churn' } } } },
      {},
    ] } } };
    expect(retrainingEventOf(withLabelled, 'churn')).toMatchObject({ trigger: 'label_coverage', crossed: { name: 'labelled_events', value: null, comparison: 'below' } });
    const modelMonitor = retrainingEventOf(alarmEvent({ namespace: 'aws/sagemaker/Endpoints/data-metrics', name: 'feature_baseline_drift_age', dimensions: {} }, { threshold: 0.1, recentDatapoints: [0.4] }), 'churn')!;
    expect(modelMonitor.crossed).toMatchObject({ kind: 'feature', name: 'age', statistic: 'distance', value: 0.4 });
  });

  it('publishes nothing for an OK transition or a metric that is not ours', async () => {
    const ok = alarmEvent({ namespace: 'DeployAiSmarter/Quality', name: 'Accuracy', dimensions: {} }, { threshold: 0.8 }, 'OK');
    const other = alarmEvent({ namespace: 'AWS/EC2', name: 'CPUUtilization', dimensions: {} }, { threshold: 80 });
    await expect(handler(ok)).resolves.toEqual({ published: false });
    await expect(handler(other)).resolves.toEqual({ published: false });
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(0);
  });

  it('throws when EventBridge rejects the entry, so Lambda retries', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: 'denied' }] });
    const event = alarmEvent({ namespace: 'DeployAiSmarter/Quality', name: 'Accuracy', dimensions: {} }, { threshold: 0.8, recentDatapoints: [0.7] });
    await expect(handler(event)).rejects.toThrow('EventBridge rejected the retraining event: AccessDeniedException denied');
  });
});
