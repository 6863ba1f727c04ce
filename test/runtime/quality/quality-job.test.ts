import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { QualityJobConfig } from '../../../lib/runtime/quality/quality-options';
import { qualityWindow, runQualityJob } from '../../../lib/runtime/quality/quality-job';
import { captureEvent, groundTruthLine, writeLines } from './helpers';

let dir: string;

// Hand-checked binary case: 10 labelled events, probabilities in the CSV output, threshold 0.5.
//   labels        1   1   1   0   1   1   0   0   0    0
//   probability  .9  .8  .7  .6  .4  .3  .2  .1  .35  .05
//   outcome      TP  TP  TP  FP  FN  FN  TN  TN  TN   TN    -> TP 3, FP 1, FN 2, TN 4
// accuracy 7/10 = 0.7, precision 3/4 = 0.75, recall 3/5 = 0.6, f1 2*3/(2*3+1+2) = 2/3,
// AUC: positive-over-negative score pairs 5+5+5+4+3 = 22 of 25 = 0.88.
const BINARY_LABELS = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0];
const BINARY_SCORES = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1, 0.35, 0.05];

// Multiclass and regression reference values: python3 with Debian's python3-sklearn 1.2.1, random.seed(7):
// accuracy_score, precision/recall/f1_score(average='weighted' | 'macro', zero_division=0),
// roc_auc_score(y_true, probs, multi_class='ovr', average='macro'); mean_absolute_error, mean_squared_error
// (rmse = its square root), r2_score.
const MC_TRUE = [1, 0, 1, 2, 2, 0, 2, 2, 2, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 2, 1, 1, 0, 0, 2];
const MC_PROBS = [[0.5, 0.47, 0.03], [0.41, 0.06, 0.53], [0.34, 0.22, 0.44], [0.08, 0.14, 0.78], [0.49, 0.04, 0.47], [0.64, 0.2, 0.16], [0.11, 0.36, 0.53], [0.32, 0.26, 0.42], [0.27, 0.2, 0.53], [0.2, 0.18, 0.62], [0.23, 0.46, 0.31], [0.15, 0.3, 0.55], [0.23, 0.72, 0.05], [0.2, 0.5, 0.3], [0.47, 0.36, 0.17], [0.56, 0.15, 0.29], [0.21, 0.3, 0.49], [0.22, 0.47, 0.31], [0.1, 0.6, 0.3], [0.27, 0.43, 0.3], [0.49, 0.28, 0.23], [0.67, 0.2, 0.13], [0.15, 0.7, 0.15], [0.51, 0.19, 0.3], [0.3, 0.33, 0.37], [0.3, 0.42, 0.28], [0.26, 0.42, 0.32], [0.42, 0.32, 0.26], [0.38, 0.32, 0.3], [0.02, 0.55, 0.43]];
const SKLEARN_MULTICLASS = {
  accuracy: 0.6,
  weighted_precision: 0.62,
  weighted_recall: 0.6,
  weighted_f1: 0.6010230179028132,
  macro_precision: 0.6,
  macro_recall: 0.6175824175824176,
  macro_f1: 0.5989769820971866,
  auc: 0.7508422332143558,
};
const SKLEARN_CONFUSION = [[6, 2, 2], [3, 7, 3], [1, 1, 5]];
const R_TRUE = [25.2, 34.7, 36.4, 12.3, 84.9, 99.3, 46.6, 48.4, 8.6, 10.2, 34.3, 26.5, 82.9, 16.1, 2.3, 95.1, 52.8, 14.7, 54.3, 2.7];
const R_PRED = [3.4, 30.8, 44.5, 3.0, 84.4, 106.9, 53.4, 60.3, -5.0, 7.4, 31.6, 31.5, 91.6, -5.4, 11.0, 83.5, 58.3, 2.8, 55.7, 12.3];
const SKLEARN_REGRESSION = { mae: 8.645, mse: 106.38349999999998, rmse: 10.314237732377512, r2: 0.8819569480483689 };

const time = (i: number) => `2026-01-15T09:${String(i).padStart(2, '0')}:00Z`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quality-job-'));
  // Binary: 10 labelled events, 1 event without a label, 1 malformed line; labels arrive an hour later.
  await writeLines(join(dir, 'binary', 'capture'), '2026/01/15/09', 'c.jsonl', [
    ...BINARY_SCORES.map((s, i) => captureEvent({ id: `b${i}`, time: time(i), output: String(s) })),
    captureEvent({ id: 'unlabelled', time: time(20), output: '0.9' }),
    'not json',
  ]);
  await writeLines(join(dir, 'binary', 'ground-truth'), '2026/01/15/10', 'g.jsonl', BINARY_LABELS.map((l, i) => groundTruthLine(`b${i}`, String(l))));

  // Multiclass: JSON {"probabilities": [...]} outputs; labels as JSON numbers.
  await writeLines(join(dir, 'multiclass', 'capture'), '2026/01/15/09', 'c.jsonl', MC_PROBS.map((p, i) => captureEvent({ id: `m${i}`, time: time(i), output: JSON.stringify({ probabilities: p }), outputType: 'application/json' })));
  await writeLines(join(dir, 'multiclass', 'ground-truth'), '2026/01/15/09', 'g.jsonl', MC_TRUE.map((l, i) => groundTruthLine(`m${i}`, String(l), 'JSON')));

  // Regression: JSON {"predictions": [v]} outputs, CSV labels.
  await writeLines(join(dir, 'regression', 'capture'), '2026/01/15/09', 'c.jsonl', R_PRED.map((p, i) => captureEvent({ id: `r${i}`, time: time(i), output: JSON.stringify({ predictions: [p] }), outputType: 'application/json' })));
  await writeLines(join(dir, 'regression', 'ground-truth'), '2026/01/15/11', 'g.jsonl', R_TRUE.map((l, i) => groundTruthLine(`r${i}`, String(l))));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function config(name: string, overrides: Partial<QualityJobConfig> = {}): QualityJobConfig {
  return {
    captureUri: join(dir, name, 'capture'),
    groundTruthUri: join(dir, name, 'ground-truth'),
    modelName: 'churn',
    problemType: 'BinaryClassification',
    windowHours: 1,
    windowEnd: new Date('2026-01-15T10:00:00Z'),
    thresholds: [],
    format: 'json',
    ...overrides,
  };
}

async function run(cfg: QualityJobConfig): Promise<{ code: number; line: Record<string, any> }> {
  const lines: string[] = [];
  const code = await runQualityJob(cfg, { write: (l) => lines.push(l), now: () => new Date('2026-01-15T12:05:00Z') });
  expect(lines).toHaveLength(1);
  return { code, line: JSON.parse(lines[0]) };
}

describe('runQualityJob', () => {
  it('reports accuracy, precision and recall exactly on the hand-checked binary case', async () => {
    const { code, line } = await run(config('binary'));

    expect(code).toBe(0);
    expect(line).toMatchObject({ event: 'quality_summary', model: 'churn', status: 'ok', problem_type: 'BinaryClassification' });
    expect(line.metrics.accuracy).toBe(0.7);
    expect(line.metrics.precision).toBe(0.75);
    expect(line.metrics.recall).toBe(0.6);
    expect(line.metrics.f1).toBeCloseTo(2 / 3, 6);
    expect(line.metrics.auc).toBe(0.88);
    expect(line.metrics).toMatchObject({ true_positive_rate: 0.6, false_positive_rate: 0.2, true_negative_rate: 0.8, false_negative_rate: 0.4 });
    expect(line.confusion_matrix).toEqual({ 0: { 0: 4, 1: 1 }, 1: { 0: 2, 1: 3 } });
  });

  it('counts labelled events and label coverage, so a cloud can alarm when labels stop arriving', async () => {
    const { line } = await run(config('binary'));

    expect(line).toMatchObject({
      captured_events: 11, labelled_events: 10, predictions_evaluated: 10, label_coverage: 0.909091,
      malformed_capture_lines: 1, capture_lines: 12, ground_truth_records: 10, ground_truth_files: 1,
      window_start: '2026-01-15T09:00:00.000Z', window_end: '2026-01-15T10:00:00.000Z',
    });
    expect(line.malformed_examples).toEqual([expect.objectContaining({ line: 12, reason: 'not valid JSON' })]);
  });

  it('matches sklearn on a multiclass window with class-probability vectors (weighted and macro averages, OvR AUC)', async () => {
    const { line } = await run(config('multiclass', { problemType: 'MulticlassClassification' }));

    for (const [metric, expected] of Object.entries(SKLEARN_MULTICLASS)) expect(line.metrics[metric]).toBeCloseTo(expected, 6);
    expect(line.metrics.precision).toBeCloseTo(SKLEARN_MULTICLASS.weighted_precision, 6);
    expect(line.metrics.recall).toBeCloseTo(SKLEARN_MULTICLASS.weighted_recall, 6);
    expect(line.metrics.f1).toBeCloseTo(SKLEARN_MULTICLASS.weighted_f1, 6);
    const matrix = [0, 1, 2].map((a) => [0, 1, 2].map((p) => line.confusion_matrix[a][p]));
    expect(matrix).toEqual(SKLEARN_CONFUSION);
  });

  it('matches sklearn on a regression window (MAE, MSE, RMSE, R²)', async () => {
    const { line } = await run(config('regression', { problemType: 'Regression' }));

    for (const [metric, expected] of Object.entries(SKLEARN_REGRESSION)) expect(line.metrics[metric]).toBeCloseTo(expected, 6);
    expect(line.confusion_matrix).toBeUndefined();
    expect(line.labelled_events).toBe(20);
  });

  it('crosses thresholds: status degraded, the violations listed, and the threshold exit code', async () => {
    const thresholds = [
      { metric: 'accuracy', bound: 'min', value: 0.8 },
      { metric: 'recall', bound: 'min', value: 0.5 },
    ] as const;
    const { code, line } = await run(config('binary', { thresholds }));

    expect(code).toBe(1);
    expect(line).toMatchObject({ status: 'degraded', threshold_crossed: true, violations: [{ metric: 'accuracy', bound: 'min', threshold: 0.8, value: 0.7 }] });
    expect((await run(config('binary', { thresholds, thresholdExitCode: 0 }))).code).toBe(0);
  });

  it('reports no_labels when traffic has no label yet, and alarms on label coverage when asked', async () => {
    const { code, line } = await run(config('binary', { groundTruthUri: join(dir, 'missing'), thresholds: [{ metric: 'label_coverage', bound: 'min', value: 0.5 }] }));

    expect(code).toBe(1);
    expect(line).toMatchObject({ status: 'no_labels', captured_events: 11, labelled_events: 0, label_coverage: 0, predictions_evaluated: 0 });
    expect(line.violations).toEqual([{ metric: 'label_coverage', bound: 'min', threshold: 0.5, value: 0 }]);
    expect(line.metrics.accuracy).toBeNull();
  });

  it('holds metrics back until min_samples labelled predictions are in', async () => {
    const { line } = await run(config('binary', { minSamples: 11, thresholds: [{ metric: 'accuracy', bound: 'min', value: 0.99 }] }));

    expect(line).toMatchObject({ status: 'insufficient_labels', threshold_crossed: false, min_samples: 11, predictions_evaluated: 10 });
    expect(line.metrics.accuracy).toBeNull();
    expect(line.confusion_matrix).toBeUndefined();
  });

  it('reports no_data for a window without traffic', async () => {
    const { code, line } = await run(config('binary', { windowEnd: new Date('2026-01-14T10:00:00Z') }));

    expect(code).toBe(0);
    expect(line).toMatchObject({ status: 'no_data', captured_events: 0, label_coverage: null });
  });

  it('reads labels collected up to the hour the job runs, not later ones', async () => {
    // Regression labels sit in the 11:00 partition: a job running at 10:30 has not seen them yet.
    const lines: string[] = [];
    await runQualityJob(config('regression', { problemType: 'Regression' }), { write: (l) => lines.push(l), now: () => new Date('2026-01-15T10:30:00Z') });

    expect(JSON.parse(lines[0])).toMatchObject({ status: 'no_labels', ground_truth_files: 0 });
  });

  it('writes one quality_job_error line and exits 2 on a storage error', async () => {
    const lines: string[] = [];
    const code = await runQualityJob(config('binary', { captureUri: 'ftp://nowhere/x/' }), { write: (l) => lines.push(l), now: () => new Date('2026-01-15T12:05:00Z') });

    expect(code).toBe(2);
    expect(JSON.parse(lines[0])).toMatchObject({ event: 'quality_job_error', model: 'churn', error: expect.stringContaining('unsupported scheme "ftp"') });
  });
});

describe('joining captures with labels', () => {
  let joinDir: string;
  beforeAll(async () => {
    joinDir = await mkdtemp(join(tmpdir(), 'quality-join-'));
    await writeLines(join(joinDir, 'capture'), '2026/01/15/09', 'c.jsonl', [
      // A batch request of two rows: two predictions, two labels.
      captureEvent({ id: 'batch', time: time(1), input: '1,2\n3,4', output: '0.9\n0.2' }),
      // The caller's inferenceId wins over the eventId, as in Model Monitor.
      captureEvent({ id: 'generated', inferenceId: 'caller-7', time: time(2), output: '0.8' }),
      // Two labels for one prediction: unusable, reported.
      captureEvent({ id: 'mismatch', time: time(3), output: '0.8' }),
      // A label that is not a label.
      captureEvent({ id: 'empty-label', time: time(4), output: '0.8' }),
      // No id at all: counted, never joined.
      captureEvent({ time: time(5), output: '0.8' }),
      // Relabelled later: the later label wins.
      captureEvent({ id: 'relabelled', time: time(6), output: '0.1' }),
    ]);
    // A late write in the next hour's partition, inside the window by its inference time, and one outside it.
    await writeLines(join(joinDir, 'capture'), '2026/01/15/10', 'late.jsonl', [
      captureEvent({ id: 'late', time: '2026-01-15T09:59:59Z', output: '0.7' }),
      captureEvent({ id: 'next-window', time: '2026-01-15T10:00:01Z', output: '0.7' }),
    ]);
    await mkdir(join(joinDir, 'ground-truth', '2026/01/15/11'), { recursive: true });
    await writeLines(join(joinDir, 'ground-truth'), '2026/01/15/10', 'a.jsonl', [
      groundTruthLine('batch', '1\n0'),
      groundTruthLine('caller-7', '1'),
      groundTruthLine('generated', '0'),
      groundTruthLine('mismatch', '1\n1'),
      groundTruthLine('empty-label', '[""]', 'JSON'),
      groundTruthLine('relabelled', '1'),
      groundTruthLine('late', '1'),
      groundTruthLine('next-window', '0'),
      '{"broken": true}',
    ]);
    // Relabelled an hour later, gzipped.
    await writeFile(join(joinDir, 'ground-truth', '2026/01/15/11', 'b.jsonl.gz'), gzipSync(`${groundTruthLine('relabelled', '0')}\n`));
    // Collected 40 days after the window: past the lookahead, never read.
    await writeLines(join(joinDir, 'ground-truth'), '2026/02/24/10', 'd.jsonl', [groundTruthLine('batch', 'never')]);
  });
  afterAll(() => rm(joinDir, { recursive: true, force: true }));

  async function joined(now = '2026-01-15T12:05:00Z'): Promise<Record<string, any>> {
    const lines: string[] = [];
    await runQualityJob({ ...config('x'), captureUri: join(joinDir, 'capture'), groundTruthUri: join(joinDir, 'ground-truth') }, { write: (l) => lines.push(l), now: () => new Date(now) });
    return JSON.parse(lines[0]);
  }

  it('pairs batch rows with their labels, joins on inferenceId, takes late writes and the latest label', async () => {
    const line = await joined();

    // Evaluated: batch (0.9 vs 1: TP, 0.2 vs 0: TN), caller-7 (0.8 vs 1: TP), relabelled (0.1 vs 0: TN), late (0.7 vs 1: TP).
    expect(line).toMatchObject({ predictions_evaluated: 5, metrics: { accuracy: 1, precision: 1, recall: 1 } });
    expect(line).toMatchObject({ captured_events: 7, labelled_events: 6, events_without_id: 1, unusable_labelled_events: 2, out_of_window_lines: 1, duplicate_labels: 1 });
  });

  it('reports unusable labelled events and malformed ground truth with file and line', async () => {
    const line = await joined();

    expect(line.malformed_ground_truth_lines).toBe(1);
    expect(line.malformed_examples).toEqual([
      { key: '2026/01/15/09/c.jsonl', line: 3, reason: '2 ground-truth labels for 1 predictions' },
      { key: '2026/01/15/09/c.jsonl', line: 4, reason: 'ground-truth label "" is not a label' },
      { key: '2026/01/15/10/a.jsonl', line: 9, reason: 'no "groundTruthData" object' },
    ]);
  });

  it('looks for labels at most LABEL_LOOKAHEAD_HOURS after the window when re-run much later', async () => {
    const line = await joined('2026-03-01T00:00:00Z');

    expect(line.ground_truth_files).toBe(2);
    expect(line.predictions_evaluated).toBe(5);
  });
});

describe('qualityWindow', () => {
  it('ends at the start of the current hour minus the label delay', () => {
    const window = qualityWindow({ windowHours: 24, labelDelayHours: 48 }, new Date('2026-01-15T10:05:00Z'));

    expect(window).toEqual({ start: new Date('2026-01-12T10:00:00Z'), end: new Date('2026-01-13T10:00:00Z') });
  });
});
