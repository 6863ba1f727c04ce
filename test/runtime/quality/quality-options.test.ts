import { JobConfigError } from '../../../lib/runtime/shared/job-options';
import { parseQualityJobArgs } from '../../../lib/runtime/quality/quality-options';

const env = {
  QUALITY_CAPTURE_URI: 's3://b/capture/churn/AllTraffic/',
  QUALITY_GROUND_TRUTH_URI: 's3://b/ground-truth/churn/',
  MODEL_NAME: 'churn',
  QUALITY_PROBLEM_TYPE: 'BinaryClassification',
};

function problems(argv: string[], environment: NodeJS.ProcessEnv): string[] {
  try {
    parseQualityJobArgs(argv, environment);
  } catch (error) {
    if (error instanceof JobConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('parseQualityJobArgs', () => {
  it('reads the QUALITY_* environment with its defaults', () => {
    expect(parseQualityJobArgs([], env)).toEqual({
      captureUri: 's3://b/capture/churn/AllTraffic/',
      groundTruthUri: 's3://b/ground-truth/churn/',
      modelName: 'churn',
      problemType: 'BinaryClassification',
      inferenceAttribute: undefined,
      probabilityAttribute: undefined,
      probabilityThreshold: undefined,
      positiveLabel: undefined,
      windowHours: 24,
      windowEnd: undefined,
      labelDelayHours: undefined,
      minSamples: undefined,
      thresholds: [],
      format: 'json',
      thresholdExitCode: 1,
    });
  });

  it('lets flags win over the environment and reads every threshold', () => {
    const config = parseQualityJobArgs([
      '--problem-type', 'MulticlassClassification', '--window-hours=6', '--window-end', '2026-01-15T10:00:00Z',
      '--inference-attribute', 'predicted_label', '--probability-attribute', 'probabilities', '--label-delay-hours', '48',
      '--min-samples', '30', '--min-accuracy', '0.8', '--min-f1', '0.7', '--format', 'gcp',
    ], { ...env, QUALITY_MIN_PRECISION: '0.75', QUALITY_MIN_LABEL_COVERAGE: '0.1', QUALITY_EXIT_CODE: '0', QUALITY_POSITIVE_LABEL: '1.0' });

    expect(config).toMatchObject({
      problemType: 'MulticlassClassification', windowHours: 6, windowEnd: new Date('2026-01-15T10:00:00Z'), labelDelayHours: 48, minSamples: 30,
      inferenceAttribute: 'predicted_label', probabilityAttribute: 'probabilities', format: 'gcp', thresholdExitCode: 0, positiveLabel: '1',
    });
    expect(config.thresholds).toEqual([
      { metric: 'accuracy', bound: 'min', value: 0.8 },
      { metric: 'precision', bound: 'min', value: 0.75 },
      { metric: 'f1', bound: 'min', value: 0.7 },
      { metric: 'label_coverage', bound: 'min', value: 0.1 },
    ]);
  });

  it('takes regression thresholds for a regression model', () => {
    const config = parseQualityJobArgs(['--problem-type', 'Regression', '--max-rmse', '12.5', '--max-mae', '10', '--min-r2', '-0.5'], env);

    expect(config.thresholds).toEqual([
      { metric: 'mae', bound: 'max', value: 10 },
      { metric: 'rmse', bound: 'max', value: 12.5 },
      { metric: 'r2', bound: 'min', value: -0.5 },
    ]);
  });

  it('lets the CLI default the model name', () => {
    const { MODEL_NAME: _, ...rest } = env;
    expect(parseQualityJobArgs([], rest, { modelName: 'model' }).modelName).toBe('model');
  });

  it('reports every missing setting at once, naming flag and variable', () => {
    expect(problems([], {})).toEqual([
      'quality-job --capture (QUALITY_CAPTURE_URI): got undefined; expected a value',
      'quality-job --ground-truth (QUALITY_GROUND_TRUTH_URI): got undefined; expected a value',
      'quality-job --model (MODEL_NAME): got undefined; expected a value',
      'quality-job --problem-type (QUALITY_PROBLEM_TYPE): got undefined; expected a value',
    ]);
  });

  it('rejects bad values, unknown flags and thresholds the problem type does not report', () => {
    expect(problems([
      '--problem-type', 'Ranking', '--window-hours', '0', '--probability-threshold', '2', '--window-end', 'yesterday',
      '--format', 'xml', '--threshold-exit-code', '3', '--min-accuracy', '1.5', '--bogus', 'x', '--min-samples',
    ], env)).toEqual([
      'quality-job argument: got "--bogus"; expected one of --capture, --ground-truth, --model, --problem-type, --inference-attribute, --probability-attribute, --probability-threshold, --positive-label, --window-hours, --window-end, --label-delay-hours, --min-samples, --min-accuracy, --min-precision, --min-recall, --min-f1, --min-auc, --max-mae, --max-rmse, --min-r2, --min-label-coverage, --format, --threshold-exit-code',
      'quality-job argument: got "x"; expected one of --capture, --ground-truth, --model, --problem-type, --inference-attribute, --probability-attribute, --probability-threshold, --positive-label, --window-hours, --window-end, --label-delay-hours, --min-samples, --min-accuracy, --min-precision, --min-recall, --min-f1, --min-auc, --max-mae, --max-rmse, --min-r2, --min-label-coverage, --format, --threshold-exit-code',
      'quality-job --min-samples: got undefined; expected a value',
      'quality-job --problem-type (QUALITY_PROBLEM_TYPE): got "Ranking"; expected one of BinaryClassification, MulticlassClassification, Regression',
      'quality-job --probability-threshold (QUALITY_PROBABILITY_THRESHOLD): got "2"; expected a number from 0 to 1',
      'quality-job --window-hours (QUALITY_WINDOW_HOURS): got "0"; expected an integer from 1 to 744',
      'quality-job --format (LOG_FORMAT): got "xml"; expected one of aws, gcp, azure, json',
      'quality-job --threshold-exit-code (QUALITY_EXIT_CODE): got "3"; expected one of 0, 1',
      'quality-job --window-end (QUALITY_WINDOW_END): got "yesterday"; expected an ISO 8601 time',
      'quality-job --min-accuracy (QUALITY_MIN_ACCURACY): got "1.5"; expected a number from 0 to 1',
    ]);
    expect(problems(['--max-rmse', '3'], env)).toEqual([
      'quality-job --max-rmse (QUALITY_MAX_RMSE): got 3; expected no value: BinaryClassification reports accuracy, precision, recall, f1, auc, true_positive_rate, true_negative_rate, false_positive_rate, false_negative_rate',
    ]);
  });
});
