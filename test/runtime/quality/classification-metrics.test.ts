import { BinaryMetrics, MAX_REPORTED_CLASSES, MulticlassMetrics, rocAuc } from '../../../lib/runtime/quality/classification-metrics';

describe('rocAuc', () => {
  it('counts tied scores as half (sklearn: roc_auc_score([0,1,1,0], [0.5,0.5,0.9,0.1]) = 0.875)', () => {
    expect(rocAuc([0.5, 0.5, 0.9, 0.1], [false, true, true, false])).toBe(0.875);
  });

  it('is null when the window holds one class only', () => {
    expect(rocAuc([0.2, 0.8], [true, true])).toBeNull();
  });
});

describe('BinaryMetrics', () => {
  it('follows sklearn zero_division=0 when nothing is predicted positive, and gives no AUC for hard 0/1 answers', () => {
    const metrics = new BinaryMetrics();
    metrics.add(true, false, 0);
    metrics.add(false, false, 0);

    expect(metrics.result()).toMatchObject({ accuracy: 0.5, precision: 0, recall: 0, f1: 0, auc: null, false_positive_rate: 0 });
  });

  it('gives no AUC when some predictions carry no probability', () => {
    const metrics = new BinaryMetrics();
    metrics.add(true, true, 0.9);
    metrics.add(false, false);

    expect(metrics.result().auc).toBeNull();
  });
});

describe('MulticlassMetrics', () => {
  it('lists at most MAX_REPORTED_CLASSES classes in the confusion matrix, the most frequent ones', () => {
    const metrics = new MulticlassMetrics();
    for (let c = 0; c < MAX_REPORTED_CLASSES + 5; c++) for (let i = 0; i <= c; i++) metrics.add(`c${c}`, `c${c}`);

    const { matrix, truncated } = metrics.confusionMatrix();

    expect(truncated).toBe(true);
    expect(Object.keys(matrix)).toHaveLength(MAX_REPORTED_CLASSES);
    expect(matrix).not.toHaveProperty('c0');
    expect(matrix.c54.c54).toBe(55);
    expect(metrics.result().accuracy).toBe(1);
  });

  it('gives no AUC when labels are names rather than class indices of the probability vector', () => {
    const metrics = new MulticlassMetrics();
    metrics.add('cat', 'cat', [0.9, 0.1]);
    metrics.add('dog', 'cat', [0.6, 0.4]);

    expect(metrics.result().auc).toBeNull();
    expect(metrics.classes()).toEqual(['cat', 'dog']);
  });
});
