import { DRIFT_SPEC_ENVIRONMENT, driftJobContainer, driftJobEnvironment } from '../../lib/core/drift-job';
import { validateModelSpec } from '../../lib/core/model-spec';
import { DRIFT_JOB_OPTIONS } from '../../lib/runtime/drift/drift-job-args';

const spec = validateModelSpec({ name: 'churn', image: 'img:1', monitoring: { driftThreshold: 0.25, psiThreshold: 0.3 } });

describe('driftJobContainer', () => {
  it('runs the image\'s own entrypoint with the job environment: no npx, nothing downloaded at run time', () => {
    const options = { baselineUri: 'gs://b/baseline/', captureUri: 'gs://b/capture/', logFormat: 'gcp' as const, image: 'registry/drift:1' };
    const job = driftJobContainer(spec, options, 'GcpDriftJob');
    expect(job.image).toBe('registry/drift:1');
    expect(job.command).toEqual([]);
    expect(job.args).toEqual([]);
    expect(job.env).toEqual(driftJobEnvironment(spec, options, 'GcpDriftJob'));
    expect(JSON.stringify(job)).not.toContain('npx');
  });

  it('passes the spec thresholds, the model name and the locations as environment', () => {
    const job = driftJobContainer(spec, { baselineUri: 's3://b/baseline/', captureUri: 's3://b/capture/', logFormat: 'aws', image: 'registry/drift:1', windowHours: 2 }, 'X');
    expect(job).toEqual({
      image: 'registry/drift:1',
      command: [],
      args: [],
      env: { MODEL_NAME: 'churn', BASELINE_URI: 's3://b/baseline/', CAPTURE_URI: 's3://b/capture/', DRIFT_THRESHOLD: '0.25', PSI_THRESHOLD: '0.3', WINDOW_HOURS: '2', LOG_FORMAT: 'aws', DRIFT_EXIT_CODE: '0' },
    });
  });

  it('passes the optional drift-verdict settings of spec.monitoring as the job variables, only when set', () => {
    const monitoring = { ...spec.monitoring, driftPValue: 0.05, driftCorrection: 'bonferroni' as const, datasetDriftShare: 0.3, missingValues: ['NA', ''], wassersteinThreshold: undefined };
    const env = driftJobEnvironment({ ...spec, monitoring }, { baselineUri: 's3://b/baseline/', captureUri: 's3://b/capture/', logFormat: 'aws' }, 'X');

    expect(env).toMatchObject({ DRIFT_ALPHA: '0.05', DRIFT_CORRECTION: 'bonferroni', DATASET_DRIFT_SHARE: '0.3', MISSING_VALUES: '["NA",""]' });
    expect(Object.keys(env)).not.toContain('WASSERSTEIN_THRESHOLD');
    expect(Object.values(DRIFT_SPEC_ENVIRONMENT)).toEqual([
      'DRIFT_ALPHA', 'DRIFT_CORRECTION', 'DRIFT_MIN_ROWS', 'DRIFT_LARGE_WINDOW_ROWS', 'WASSERSTEIN_THRESHOLD', 'JS_THRESHOLD', 'DATASET_DRIFT_SHARE', 'MISSING_VALUES',
    ]);
  });

  it('names only variables the drift job reads', () => {
    const jobVariables: string[] = Object.values(DRIFT_JOB_OPTIONS);
    const env = driftJobEnvironment(spec, { baselineUri: 's3://b/baseline/', captureUri: 's3://b/capture/', logFormat: 'aws' }, 'X');

    for (const name of [...Object.keys(env), ...Object.values(DRIFT_SPEC_ENVIRONMENT)]) expect(jobVariables).toContain(name);
  });

  it('rejects local paths and bad windows in the core error format', () => {
    expect(() => driftJobContainer(spec, { baselineUri: './baseline', captureUri: 'gs://b/c/', logFormat: 'gcp', windowHours: 0, image: 'registry/drift:1' }, 'GcpDriftJob'))
      .toThrow(/GcpDriftJob driftJob.baselineUri: got ".\/baseline"; expected an s3:\/\/, gs:\/\/ .*\n- GcpDriftJob driftJob.windowHours: got 0; expected an integer from 1 to 168/);
  });
});
