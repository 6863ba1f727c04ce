import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createBaseline, writeBaseline } from '../../../lib/runtime/drift/baseline';
import { DriftJobConfig, DriftJobConfigError, parseDriftJobArgs, runDriftJob } from '../../../lib/runtime/drift/drift-job';
import { captureLine, category, linesStream, normal, seededRandom } from './helpers';

let dir: string;
const baselineDir = () => join(dir, 'baseline');

function rows(n: number, seed: number, shift = 0): string[] {
  const random = seededRandom(seed);
  const gaussian = normal(random);
  return Array.from({ length: n }, () => `${(gaussian() + shift).toFixed(4)},${category(random, { a: 0.6, b: 0.4 })}`);
}

async function writeCapture(name: string, hourDir: string, lines: string[]): Promise<void> {
  await mkdir(join(dir, name, hourDir), { recursive: true });
  await writeFile(join(dir, name, hourDir, 'capture.jsonl'), `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'drift-job-'));
  await writeBaseline(baselineDir(), await createBaseline(linesStream(['x,color', ...rows(3000, 1)]), { header: true }));
  const time = (i: number) => `2026-01-15T09:${String(i % 60).padStart(2, '0')}:00Z`;
  await writeCapture('same', '2026/01/15/09', rows(1000, 2).map((r, i) => captureLine(r, time(i))));
  await writeCapture('shifted', '2026/01/15/09', rows(1000, 3, 1.5).map((r, i) => captureLine(r, time(i))));
  await writeCapture('messy', '2026/01/15/09', [
    ...rows(500, 4).map((r, i) => captureLine(r, time(i))),
    'this is not json',
    '{"captureData": {}}',
    captureLine('0.1,a', '2026-01-15T08:59:00Z'),
  ]);
  // A late write in the next hour's partition, still inside the window by its inference time.
  await writeCapture('messy', '2026/01/15/10', [captureLine('0.2,b', '2026-01-15T09:59:59Z'), captureLine('0.3,b', '2026-01-15T10:00:01Z')]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function config(capture: string, overrides: Partial<DriftJobConfig> = {}): DriftJobConfig {
  return {
    baselineUri: baselineDir(),
    captureUri: join(dir, capture),
    modelName: 'churn',
    windowHours: 1,
    windowEnd: new Date('2026-01-15T10:00:00Z'),
    format: 'json',
    capturePart: 'input',
    ...overrides,
  };
}

async function run(cfg: DriftJobConfig): Promise<{ code: number; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  const code = await runDriftJob(cfg, { write: (l) => lines.push(JSON.parse(l)), now: () => new Date('2026-01-15T10:05:00Z') });
  return { code, lines };
}

describe('runDriftJob', () => {
  it('exits 0 and reports no drift when the window matches the baseline', async () => {
    const { code, lines } = await run(config('same'));

    expect(code).toBe(0);
    expect(lines.map((l) => [l.event, l.feature])).toEqual([['feature_drift', 'x'], ['feature_drift', 'color'], ['drift_summary', undefined]]);
    expect(lines[2]).toMatchObject({ status: 'ok', drift_detected: false, records: 1000, capture_files: 1, malformed_lines: 0, window_start: '2026-01-15T09:00:00.000Z' });
  });

  it('exits 1 and names the drifted feature when the mean shifts', async () => {
    const { code, lines } = await run(config('shifted'));

    expect(code).toBe(1);
    expect(lines[0]).toMatchObject({ feature: 'x', threshold_crossed: true, threshold: 0.1, psi_threshold: 0.2 });
    expect(lines[0].distance as number).toBeGreaterThan(0.4);
    expect(lines[2]).toMatchObject({ status: 'drift', drift_detected: true, drifted_features: ['x'], features_drifted: 1 });
  });

  it('exits 0 on drift when a scheduled job asks for it (DRIFT_EXIT_CODE=0), still reporting the drift', async () => {
    const { code, lines } = await run({ ...config('shifted'), driftExitCode: 0 });

    expect(code).toBe(0);
    expect(lines[2]).toMatchObject({ status: 'drift', drift_detected: true });
  });

  it('reads the drift exit code from the environment and rejects other values', () => {
    const base = { BASELINE_URI: './b', CAPTURE_URI: './c', MODEL_NAME: 'm' };
    expect(parseDriftJobArgs([], { ...base, DRIFT_EXIT_CODE: '0' }).driftExitCode).toBe(0);
    expect(parseDriftJobArgs([], base).driftExitCode).toBe(1);
    expect(() => parseDriftJobArgs(['--drift-exit-code', '3'], base)).toThrow('drift-job --drift-exit-code (DRIFT_EXIT_CODE): got "3"; expected one of 0, 1');
  });

  it('counts malformed lines and out-of-window records in the summary without failing', async () => {
    const { code, lines } = await run(config('messy'));
    const summary = lines[lines.length - 1];

    expect(code).toBe(0);
    expect(summary).toMatchObject({
      status: 'ok',
      records: 501,
      capture_files: 2,
      capture_lines: 505,
      malformed_lines: 2,
      out_of_window_lines: 2,
      malformed_examples: [
        { key: '2026/01/15/09/capture.jsonl', line: 501, reason: 'not valid JSON' },
        { key: '2026/01/15/09/capture.jsonl', line: 502, reason: 'no "captureData.endpointInput" object' },
      ],
    });
  });

  it('reports an empty window as no_data with exit code 0', async () => {
    const { code, lines } = await run(config('same', { windowEnd: new Date('2026-02-01T00:00:00Z') }));

    expect(code).toBe(0);
    expect(lines).toEqual([expect.objectContaining({ event: 'drift_summary', status: 'no_data', records: 0 })]);
  });

  it('exits 2 with a drift_job_error line when the baseline cannot be read', async () => {
    const { code, lines } = await run(config('same', { baselineUri: join(dir, 'nowhere') }));

    expect(code).toBe(2);
    expect(lines).toEqual([expect.objectContaining({ event: 'drift_job_error', model: 'churn' })]);
    expect(String(lines[0].error)).toContain('ENOENT');
  });

  it('exits 2 on a baseline that is not in the Model Monitor format', async () => {
    await mkdir(join(dir, 'bad-baseline'), { recursive: true });
    await writeFile(join(dir, 'bad-baseline', 'statistics.json'), '{"dataset": {"item_count": 1}, "features": [{"name": "x", "inferred_type": "Weird"}]}');
    await writeFile(join(dir, 'bad-baseline', 'constraints.json'), '{"features": []}');
    const { code, lines } = await run(config('same', { baselineUri: join(dir, 'bad-baseline') }));

    expect(code).toBe(2);
    expect(lines[0].error).toContain('features[0].inferred_type: got "Weird"; expected one of Integral, Fractional, String, Unknown');
  });

  it('runs as a plain node command with settings from the environment', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../../../lib/runtime/drift-job/index.ts'), '--format', 'aws'], {
      env: { ...process.env, BASELINE_URI: baselineDir(), CAPTURE_URI: join(dir, 'same'), MODEL_NAME: 'churn', WINDOW_END: '2026-01-15T10:00:00Z' },
    });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));

    expect(lines[0]._aws.CloudWatchMetrics[0].Namespace).toBe('DeployAiSmarter/Drift');
    expect(lines[2]).toMatchObject({ event: 'drift_summary', status: 'ok', model: 'churn' });
  }, 30_000);

  it('exits 1 from the node command when drift is found', async () => {
    const child = promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../../../lib/runtime/drift-job/index.ts')], {
      env: { ...process.env, BASELINE_URI: baselineDir(), CAPTURE_URI: join(dir, 'shifted'), MODEL_NAME: 'churn', WINDOW_END: '2026-01-15T10:00:00Z' },
    });
    await expect(child).rejects.toMatchObject({ code: 1 });
  }, 30_000);
});

describe('parseDriftJobArgs', () => {
  const env = { BASELINE_URI: 'gs://b/base/', CAPTURE_URI: 'gs://b/cap/', MODEL_NAME: 'm', DRIFT_THRESHOLD: '0.2', PSI_THRESHOLD: '0.3', WINDOW_HOURS: '6' };

  it('reads the environment, with flags winning', () => {
    expect(parseDriftJobArgs(['--threshold', '0.05', '--format=gcp'], env)).toEqual({
      baselineUri: 'gs://b/base/', captureUri: 'gs://b/cap/', modelName: 'm', threshold: 0.05, categoricalThreshold: undefined,
      psiThreshold: 0.3, windowHours: 6, windowEnd: undefined, format: 'gcp', capturePart: 'input', driftExitCode: 1,
    });
  });

  it('collects every problem in the common error format', () => {
    let error: DriftJobConfigError | undefined;
    try {
      parseDriftJobArgs(['--threshold', '2', '--format', 'syslog', '--bogus'], { WINDOW_HOURS: '0', WINDOW_END: 'soon' });
    } catch (e) {
      error = e as DriftJobConfigError;
    }
    expect(error?.problems).toEqual([
      'drift-job argument: got "--bogus"; expected one of --baseline, --capture, --model, --threshold, --categorical-threshold, --psi-threshold, --window-hours, --window-end, --format, --capture-part, --drift-exit-code',
      'drift-job --baseline (BASELINE_URI): got undefined; expected a value',
      'drift-job --capture (CAPTURE_URI): got undefined; expected a value',
      'drift-job --model (MODEL_NAME): got undefined; expected a value',
      'drift-job --threshold (DRIFT_THRESHOLD): got "2"; expected a number from 0 to 1',
      'drift-job --window-hours (WINDOW_HOURS): got "0"; expected an integer from 1 to 744',
      'drift-job --format (LOG_FORMAT): got "syslog"; expected one of aws, gcp, azure, json',
      'drift-job --window-end (WINDOW_END): got "soon"; expected an ISO 8601 time',
    ]);
  });
});
