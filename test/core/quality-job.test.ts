import { ValidationErrors } from '../../lib/core/errors';
import { validateModelSpec } from '../../lib/core/model-spec';
import { QualityMonitoringSpec, explainJobEnvironment, qualityJobContainer, qualityJobEnvironment, resolveQualityMonitoring } from '../../lib/core/quality-job';
import { EXPLAIN_JOB_OPTIONS } from '../../lib/runtime/explain/explain-job';
import { QUALITY_JOB_OPTIONS, parseQualityJobArgs } from '../../lib/runtime/quality/quality-options';

const spec = validateModelSpec({ name: 'churn', image: 'img:1' });
const uris = { captureUri: 's3://b/capture/churn/AllTraffic/', groundTruthUri: 's3://b/ground-truth/churn/', logFormat: 'aws' as const };

function problems(quality: unknown): readonly string[] {
  const errors = new ValidationErrors('Spec');
  resolveQualityMonitoring(quality as QualityMonitoringSpec, errors);
  return errors.list();
}

describe('qualityJobEnvironment', () => {
  it('writes the QUALITY_* contract with the defaults, thresholds and a 0 exit code for scheduled runs', () => {
    const env = qualityJobEnvironment(spec, { ...uris, quality: { problemType: 'BinaryClassification', minAccuracy: 0.8, minPrecision: 0.75, minRecall: 0.7, minLabelCoverage: 0.05 } }, 'QualityJob');

    expect(env).toEqual({
      MODEL_NAME: 'churn',
      QUALITY_CAPTURE_URI: 's3://b/capture/churn/AllTraffic/',
      QUALITY_GROUND_TRUTH_URI: 's3://b/ground-truth/churn/',
      QUALITY_PROBLEM_TYPE: 'BinaryClassification',
      QUALITY_WINDOW_HOURS: '24',
      QUALITY_LABEL_DELAY_HOURS: '24',
      QUALITY_MIN_SAMPLES: '30',
      QUALITY_PROBABILITY_THRESHOLD: '0.5',
      QUALITY_POSITIVE_LABEL: '1',
      QUALITY_MIN_ACCURACY: '0.8',
      QUALITY_MIN_PRECISION: '0.75',
      QUALITY_MIN_RECALL: '0.7',
      QUALITY_MIN_LABEL_COVERAGE: '0.05',
      LOG_FORMAT: 'aws',
      QUALITY_EXIT_CODE: '0',
    });
  });

  it('accepts the resolved block of a multiclass or regression spec (binary-only settings are not filled in)', () => {
    for (const problemType of ['MulticlassClassification', 'Regression'] as const) {
      const errors = new ValidationErrors('Spec');
      const resolved = resolveQualityMonitoring({ problemType }, errors);
      expect(errors.list()).toEqual([]);
      expect(resolved).not.toHaveProperty('probabilityThreshold');
      expect(resolved).not.toHaveProperty('positiveLabel');
      const env = qualityJobEnvironment(spec, { ...uris, quality: resolved }, 'QualityJob');
      expect(env.QUALITY_PROBLEM_TYPE).toBe(problemType);
      expect(env).not.toHaveProperty('QUALITY_POSITIVE_LABEL');
    }
  });

  it('is exactly what the runtime job reads (every variable known, the parsed config matches)', () => {
    const env = qualityJobEnvironment(spec, {
      ...uris, logFormat: 'gcp',
      quality: { problemType: 'Regression', maxRmse: 12, maxMae: 9, minR2: 0.5, windowHours: 6, labelTimeoutHours: 72, minSamples: 5, inferenceAttribute: 'predictions[0]' },
    }, 'QualityJob');
    const known = new Set(['MODEL_NAME', 'LOG_FORMAT', ...Object.values(QUALITY_JOB_OPTIONS).map((o) => o.env)]);

    expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
    expect(parseQualityJobArgs([], env)).toMatchObject({
      problemType: 'Regression', windowHours: 6, labelDelayHours: 72, minSamples: 5, inferenceAttribute: 'predictions[0]', format: 'gcp', thresholdExitCode: 0,
      thresholds: [{ metric: 'mae', bound: 'max', value: 9 }, { metric: 'rmse', bound: 'max', value: 12 }, { metric: 'r2', bound: 'min', value: 0.5 }],
    });
  });

  it('passes numbers through numberToString so a number token survives', () => {
    const env = qualityJobEnvironment(spec, { ...uris, quality: { problemType: 'MulticlassClassification', minF1: 0.6 }, numberToString: (n) => `<${n}>` }, 'QualityJob');

    expect(env).toMatchObject({ QUALITY_MIN_F1: '<0.6>', QUALITY_WINDOW_HOURS: '<24>' });
    expect(env).not.toHaveProperty('QUALITY_PROBABILITY_THRESHOLD');
  });

  it('rejects local paths and bad settings in the core error format, all at once', () => {
    expect(() => qualityJobEnvironment(spec, { ...uris, groundTruthUri: './labels', quality: { problemType: 'Regression', minAccuracy: 0.9 } }, 'GcpQualityJob')).toThrow(
      /GcpQualityJob qualityJob.groundTruthUri: got ".\/labels"; expected an s3:\/\/, gs:\/\/ .*\n- GcpQualityJob qualityJob.quality.minAccuracy: got 0.9; expected no value for Regression: classification thresholds need a classification problemType/,
    );
  });
});

describe('resolveQualityMonitoring (the proposed spec.monitoring.quality)', () => {
  it('fills in the defaults', () => {
    expect(resolveQualityMonitoring({ problemType: 'BinaryClassification' }, new ValidationErrors('Spec'))).toEqual({
      problemType: 'BinaryClassification', labelTimeoutHours: 24, windowHours: 24, minSamples: 30, probabilityThreshold: 0.5, positiveLabel: '1',
    });
  });

  it('names an unknown key with a did-you-mean', () => {
    expect(problems({ problemType: 'Regression', maxRsme: 3 })).toEqual([
      expect.stringMatching(/^Spec spec.monitoring.quality.maxRsme: got 3; expected no such key: a quality block with at least problemType takes problemType, minAccuracy, .* \(did you mean "maxRmse"\?\)$/),
    ]);
  });

  it('rejects every out-of-range value, wrong type and misplaced key', () => {
    expect(problems({
      problemType: 'Ranking', minAccuracy: 1.2, labelTimeoutHours: 1000, minLabelCoverage: -0.1, windowHours: 0.5, minSamples: '30',
      probabilityThreshold: 2, inferenceAttribute: '', positiveLabel: 5,
    })).toEqual([
      'Spec spec.monitoring.quality.problemType: got "Ranking"; expected one of "BinaryClassification", "MulticlassClassification", "Regression"',
      'Spec spec.monitoring.quality.minSamples: got "30"; expected a number',
      'Spec spec.monitoring.quality.positiveLabel: got 5; expected a string',
      'Spec spec.monitoring.quality.minAccuracy: got 1.2; expected a number from 0 to 1',
      'Spec spec.monitoring.quality.labelTimeoutHours: got 1000; expected an integer from 0 to 744',
      'Spec spec.monitoring.quality.minLabelCoverage: got -0.1; expected a number from 0 to 1',
      'Spec spec.monitoring.quality.windowHours: got 0.5; expected an integer from 1 to 744',
      'Spec spec.monitoring.quality.probabilityThreshold: got 2; expected a number from 0 to 1',
      'Spec spec.monitoring.quality.inferenceAttribute: got ""; expected a non-empty string of at most 256 characters',
    ]);
    expect(problems({ problemType: 'Regression', probabilityThreshold: 0.7, positiveLabel: 'yes' })).toEqual([
      'Spec spec.monitoring.quality.probabilityThreshold: got 0.7; expected no value: it applies to problemType "BinaryClassification" only',
      'Spec spec.monitoring.quality.positiveLabel: got "yes"; expected no value: it applies to problemType "BinaryClassification" only',
    ]);
    expect(problems({ problemType: 'BinaryClassification', maxRmse: 3 })).toEqual([
      'Spec spec.monitoring.quality.maxRmse: got 3; expected no value for BinaryClassification: regression thresholds (maxRmse, maxMae, minR2) need problemType "Regression"',
    ]);
    expect(problems('yes')).toEqual(['Spec spec.monitoring.quality: got "yes"; expected a quality block with at least problemType']);
  });

  it('lets a number token through its range check', () => {
    expect(problems({ problemType: 'Regression', maxRmse: -1.8881545897087626e289 })).toEqual([]);
  });
});

describe('qualityJobContainer', () => {
  it('runs a prebuilt image with the quality environment, never a package downloaded at run time', () => {
    const job = qualityJobContainer(spec, { ...uris, logFormat: 'gcp', captureUri: 'gs://b/c/', groundTruthUri: 'gs://b/g/', quality: { problemType: 'Regression' }, image: 'registry/quality:1' }, 'GcpQualityJob');

    expect(job).toMatchObject({ image: 'registry/quality:1', command: [], args: [] });
    expect(job.env).toMatchObject({ QUALITY_PROBLEM_TYPE: 'Regression' });
    expect(JSON.stringify(job)).not.toContain('npx');
  });
});

describe('explainJobEnvironment', () => {
  it('writes the EXPLAIN_* contract the explain job reads', () => {
    const env = explainJobEnvironment(spec, { captureUri: 'gs://b/capture/', logFormat: 'gcp', endpointUrl: 'https://churn-abc.a.run.app', featureNames: ['age', 'city'], sample: 300 }, 'GcpExplainJob');
    const known = new Set<string>(Object.values(EXPLAIN_JOB_OPTIONS).map((o) => o.env));

    expect(env).toEqual({
      MODEL_NAME: 'churn', EXPLAIN_CAPTURE_URI: 'gs://b/capture/', EXPLAIN_WINDOW_HOURS: '24', EXPLAIN_SAMPLE: '300', LOG_FORMAT: 'gcp',
      EXPLAIN_ENDPOINT_URL: 'https://churn-abc.a.run.app', EXPLAIN_FEATURE_NAMES: 'age,city',
    });
    expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
  });

  it('rejects bad locations, sizes and feature names', () => {
    expect(() => explainJobEnvironment(spec, { captureUri: '/tmp', logFormat: 'azure', endpointUrl: 'http://x', sample: 0, featureNames: ['a,b'] }, 'AzureExplainJob')).toThrow(
      /AzureExplainJob explainJob.captureUri: got "\/tmp".*\n- AzureExplainJob explainJob.endpointUrl: got "http:\/\/x"; expected an https:\/\/ URL\n- AzureExplainJob explainJob.sample: got 0; expected an integer from 1 to 100000\n- AzureExplainJob explainJob.featureNames\[0\]: got "a,b"; expected a non-empty name without commas/,
    );
  });
});

describe('token writers (core imports no framework)', () => {
  const spec = validateModelSpec({ name: 'churn', image: 'x:1' });
  // What aws-cdk-lib and cdktf encode: a number token is a large negative double, a list token one `#{Token[...]}`.
  const numberToken = -1.8881545897087626e+289;
  const listToken = ['#{Token[TOKEN.12]}'];
  const base = { captureUri: 's3://b/capture/', logFormat: 'aws' as const };

  it('hands number and list tokens of the explain job to the cloud\'s writers', () => {
    const env = explainJobEnvironment(spec, { ...base, sample: numberToken, windowHours: 6, featureNames: listToken,
      numberToString: (n) => (n === numberToken ? '${Token[SAMPLE.1]}' : String(n)), joinList: (sep, list) => `join(${sep},${list[0]})` }, 'ExplainJob');
    expect(env).toMatchObject({ EXPLAIN_SAMPLE: '${Token[SAMPLE.1]}', EXPLAIN_WINDOW_HOURS: '6', EXPLAIN_FEATURE_NAMES: 'join(,,#{Token[TOKEN.12]})' });
  });

  it('refuses a number or list token when the cloud passes no writer, instead of writing a placeholder', () => {
    expect(() => explainJobEnvironment(spec, { ...base, sample: numberToken }, 'ExplainJob'))
      .toThrow(/ExplainJob explainJob\.sample: got .*; expected a literal number \(this cloud passes no numberToString/);
    expect(() => explainJobEnvironment(spec, { ...base, featureNames: listToken }, 'ExplainJob'))
      .toThrow(/ExplainJob explainJob\.featureNames: got .*; expected a literal list \(this cloud passes no joinList/);
    expect(() => qualityJobEnvironment(spec, { ...base, groundTruthUri: 's3://b/labels/', quality: { problemType: 'Regression', windowHours: numberToken } }, 'QualityJob'))
      .toThrow(/QualityJob qualityJob\.quality\.windowHours: got .*; expected a literal number/);
  });
});
