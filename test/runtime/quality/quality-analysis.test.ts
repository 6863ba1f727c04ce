import { QualityAnalyzer, violations } from '../../../lib/runtime/quality/quality-analysis';

describe('QualityAnalyzer', () => {
  it('compares text labels with the configured positive label, normalized', () => {
    const analyzer = new QualityAnalyzer({ problemType: 'BinaryClassification', positiveLabel: ' yes ' });
    analyzer.add([
      { prediction: { kind: 'binary', positive: true }, label: 'yes' },
      { prediction: { kind: 'binary', positive: true }, label: 'no' },
      { prediction: { kind: 'binary', positive: false }, label: 'no' },
    ]);

    expect(analyzer.metrics()).toMatchObject({ accuracy: 2 / 3, precision: 0.5, recall: 1 });
  });

  it('uses an event whole or not at all when one of its labels is unreadable', () => {
    const analyzer = new QualityAnalyzer({ problemType: 'Regression' });

    const reason = analyzer.add([
      { prediction: { kind: 'regression', value: 1 }, label: '2' },
      { prediction: { kind: 'regression', value: 1 }, label: 'n/a' },
    ]);

    expect(reason).toBe('ground-truth label "n/a" is not a number');
    expect(analyzer.count).toBe(0);
    expect(analyzer.metrics()).toEqual({ mae: null, mse: null, rmse: null, r2: null });
    expect(analyzer.confusionMatrix()).toBeUndefined();
  });
});

describe('violations', () => {
  it('lists the thresholds crossed, skipping values that could not be computed', () => {
    expect(violations({ accuracy: 0.7, auc: null, rmse: 3 }, [
      { metric: 'accuracy', bound: 'min', value: 0.8 },
      { metric: 'auc', bound: 'min', value: 0.9 },
      { metric: 'rmse', bound: 'max', value: 2 },
      { metric: 'rmse', bound: 'max', value: 3 },
    ])).toEqual([
      { metric: 'accuracy', bound: 'min', threshold: 0.8, value: 0.7 },
      { metric: 'rmse', bound: 'max', threshold: 2, value: 3 },
    ]);
  });
});
