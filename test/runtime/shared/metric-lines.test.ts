import { emfMetadata, gcpStructuredLine, round6 } from '../../../lib/runtime/shared/metric-lines';

describe('metric lines', () => {
  it('builds the EMF _aws member', () => {
    expect(emfMetadata('NS', new Date(1000), [['Model']], [{ Name: 'Accuracy', Unit: 'None' }])).toEqual({
      Timestamp: 1000, CloudWatchMetrics: [{ Namespace: 'NS', Dimensions: [['Model']], Metrics: [{ Name: 'Accuracy', Unit: 'None' }] }],
    });
  });

  it('puts severity and message first and the labels Cloud Logging lifts', () => {
    expect(Object.keys(gcpStructuredLine({ event: 'x' }, 'INFO', 'm', { model: 'churn' }))).toEqual(['severity', 'message', 'event', 'logging.googleapis.com/labels']);
  });

  it('rounds to 6 decimals and keeps null', () => {
    expect([round6(2 / 3), round6(null)]).toEqual([0.666667, null]);
  });
});
