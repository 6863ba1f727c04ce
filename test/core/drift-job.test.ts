import { DEFAULT_DRIFT_JOB_BASE_IMAGE, driftJobContainer } from '../../lib/core/drift-job';
import { validateModelSpec } from '../../lib/core/model-spec';
import { libraryVersion } from '../../lib/core/version';

const spec = validateModelSpec({ name: 'churn', image: 'img:1', monitoring: { driftThreshold: 0.25, psiThreshold: 0.3 } });

describe('driftJobContainer', () => {
  it('runs the published package of this version with npx in the public Node image by default', () => {
    const job = driftJobContainer(spec, { baselineUri: 'gs://b/baseline/', captureUri: 'gs://b/capture/', logFormat: 'gcp' }, 'GcpDriftJob');
    expect(job.image).toBe(DEFAULT_DRIFT_JOB_BASE_IMAGE);
    expect(job.command).toEqual(['npx']);
    expect(job.args).toEqual(['--yes', `deploy-ai-smarter@${libraryVersion()}`, 'drift']);
    expect(libraryVersion()).toMatch(/^\d+\.\d+\.\d+/);
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

  it('rejects local paths and bad windows in the core error format', () => {
    expect(() => driftJobContainer(spec, { baselineUri: './baseline', captureUri: 'gs://b/c/', logFormat: 'gcp', windowHours: 0 }, 'GcpDriftJob'))
      .toThrow(/GcpDriftJob driftJob.baselineUri: got ".\/baseline"; expected an s3:\/\/, gs:\/\/ .*\n- GcpDriftJob driftJob.windowHours: got 0; expected an integer from 1 to 168/);
  });
});
