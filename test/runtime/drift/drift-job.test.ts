import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createBaseline, writeBaseline } from '../../../lib/runtime/drift/baseline';
import { DriftJobConfig, DriftJobConfigError, parseDriftJobArgs, runDriftJob } from '../../../lib/runtime/drift/drift-job';
import { EXPLAIN_INFERENCE_ID_PREFIX } from '../../../lib/runtime/drift/capture';
import { main } from '../../../lib/runtime/drift-job';
import { captureLine, category, linesStream, normal, seededRandom } from './helpers';

const BUNDLE = join(__dirname, '../../../assets/drift-job/index.js');

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
  // Traffic like 'same', plus the explain job's own permuted requests (far from the baseline), tagged by InferenceId.
  const tagged = (csv: string, i: number) => {
    const event = JSON.parse(captureLine(csv, time(i), `x${i}`)) as { eventMetadata: Record<string, string> };
    event.eventMetadata.inferenceId = `${EXPLAIN_INFERENCE_ID_PREFIX}${i}`;
    return JSON.stringify(event);
  };
  await writeCapture('with-explain', '2026/01/15/09', [...rows(1000, 2).map((r, i) => captureLine(r, time(i))), ...rows(400, 7, 5).map(tagged)]);
  await writeCapture('tiny', '2026/01/15/09', rows(10, 5, 3).map((r, i) => captureLine(r, time(i))));
  // Right distribution, wrong contents: a text value in the numeric column and a color the baseline never saw.
  await writeCapture('broken', '2026/01/15/09', rows(300, 6).map((r, i) => captureLine(i === 0 ? 'oops,a' : i === 1 ? '0.5,purple' : r, time(i))));
  // Predictions: the model answers {"predictions": [...]}, one value per request row.
  await writeBaseline(join(dir, 'prediction-baseline'), await createBaseline(linesStream(Array.from({ length: 2000 }, (_, i) => String((i % 100) / 100))), { format: 'csv' }));
  const prediction = (values: number[], i: number) =>
    JSON.stringify({
      captureData: {
        endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: values.map(() => '1,a').join('\n'), encoding: 'CSV' },
        endpointOutput: { observedContentType: 'application/json', mode: 'OUTPUT', data: JSON.stringify({ predictions: values }), encoding: 'JSON' },
      },
      eventMetadata: { eventId: `p${i}`, inferenceTime: time(i) },
      eventVersion: '0',
    });
  await writeCapture('predictions', '2026/01/15/09', Array.from({ length: 100 }, (_, i) => prediction([(i % 50) / 50, ((i + 25) % 50) / 50], i)));
  await writeCapture('predictions-high', '2026/01/15/09', Array.from({ length: 100 }, (_, i) => prediction([0.9 + (i % 10) / 100, 0.95], i)));
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
    expect(lines.map((l) => [l.event, l.feature])).toEqual([
      ['feature_drift', 'x'],
      ['feature_drift', 'color'],
      ['constraint_violations', undefined],
      ['drift_summary', undefined],
    ]);
    expect(lines[0]).toMatchObject({ verdict: 'no_drift', drifted: 0, test: 'wasserstein', window_size: 1000 });
    expect(lines[2]).toMatchObject({ total: 0, missing_column_check: 0, data_type_check: 0 });
    expect(lines[3]).toMatchObject({
      status: 'ok', drift_detected: false, dataset_drift: 0, features_evaluated: 2, records: 1000, capture_files: 1, malformed_lines: 0,
      alpha: 0.01, correction: 'bh', baseline_warnings: [], window_start: '2026-01-15T09:00:00.000Z',
    });
  });

  it('leaves the explain job\'s own requests out of the window (InferenceId prefix), so they cannot look like drift', async () => {
    const { code, lines } = await run(config('with-explain'));

    expect(code).toBe(0);
    expect(lines[3]).toMatchObject({ status: 'ok', drift_detected: false, records: 1000, malformed_lines: 0 });
  });

  it('exits 1 and names the drifted feature when the mean shifts', async () => {
    const { code, lines } = await run(config('shifted'));

    expect(code).toBe(1);
    expect(lines[0]).toMatchObject({ feature: 'x', drifted: 1, verdict: 'drift', threshold_crossed: true, threshold: 0.1, psi_threshold: 0.2 });
    expect(lines[0].distance as number).toBeGreaterThan(0.4);
    expect(lines[3]).toMatchObject({ status: 'drift', drift_detected: true, drifted_features: ['x'], features_drifted: 1, dataset_drift: 1, drift_share: 0.5 });
  });

  it('exits 0 on drift when a scheduled job asks for it (DRIFT_EXIT_CODE=0), still reporting the drift', async () => {
    const { code, lines } = await run({ ...config('shifted'), driftExitCode: 0 });

    expect(code).toBe(0);
    expect(lines[3]).toMatchObject({ status: 'drift', drift_detected: true });
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

  it('gives no verdict on a window too small to decide, even one far from the baseline (exit code 0)', async () => {
    const { code, lines } = await run(config('tiny'));

    expect(code).toBe(0);
    expect(lines.filter((l) => l.event === 'feature_drift').map((l) => [l.feature, l.verdict, l.drifted])).toEqual([
      ['x', 'insufficient_data', 0],
      ['color', 'insufficient_data', 0],
    ]);
    expect(lines[lines.length - 1]).toMatchObject({ status: 'insufficient_data', features_evaluated: 0, features_insufficient: 2, records: 10 });
    expect((await run(config('tiny', { minWindowRows: 5 }))).code).toBe(1);
  });

  it('reports constraint violations on their own line, with exit code 1, when nothing drifted', async () => {
    const { code, lines } = await run(config('broken', { format: 'aws' }));
    const violations = lines.find((l) => l.event === 'constraint_violations')!;

    expect(code).toBe(1);
    expect(violations).toMatchObject({
      total: 2, data_type_check: 1, categorical_values_check: 1, missing_column_check: 0, extra_column_check: 0, completeness_check: 0,
      ConstraintViolations: 2, DataTypeViolations: 1, CategoricalValuesViolations: 1,
    });
    expect((violations.violations as { feature: string; check: string }[]).map((v) => [v.feature, v.check])).toEqual([
      ['x', 'data_type_check'],
      ['color', 'categorical_values_check'],
    ]);
    expect(lines[lines.length - 1]).toMatchObject({ status: 'violations', drift_detected: false, violations_total: 2 });
  });

  it('checks prediction drift on {"predictions": [...]} outputs, one row per prediction', async () => {
    const same = await run(config('predictions', { baselineUri: join(dir, 'prediction-baseline'), capturePart: 'output' }));
    const high = await run(config('predictions-high', { baselineUri: join(dir, 'prediction-baseline'), capturePart: 'output' }));

    expect(same.code).toBe(0);
    expect(same.lines[same.lines.length - 1]).toMatchObject({ status: 'ok', records: 200, malformed_lines: 0 });
    expect(high.code).toBe(1);
    expect(high.lines[0]).toMatchObject({ feature: '_c0', drifted: 1 });
  });

  it('writes a Markdown and HTML report with a histogram image per feature when asked', async () => {
    const reportDir = join(dir, 'report');
    const { lines } = await run(config('shifted', { reportDir }));

    expect(lines[lines.length - 1]).toMatchObject({ report: join(reportDir, 'report.md') });
    expect((await readdir(join(reportDir, 'images'))).sort()).toEqual(['01-x.svg', '02-color.svg']);
    expect(await readFile(join(reportDir, 'report.md'), 'utf8')).toContain('![x: baseline and window](images/01-x.svg)');
    expect(await readFile(join(reportDir, 'report.html'), 'utf8')).toContain('<img src="images/01-x.svg"');
  });

  it('exits 2 on a constraints.json setting outside its allowed values, and warns about unknown ones', async () => {
    const constraints = JSON.parse(await readFile(join(baselineDir(), 'constraints.json'), 'utf8'));
    await mkdir(join(dir, 'odd-baseline'), { recursive: true });
    await writeFile(join(dir, 'odd-baseline', 'statistics.json'), await readFile(join(baselineDir(), 'statistics.json'), 'utf8'));
    await writeFile(join(dir, 'odd-baseline', 'constraints.json'), JSON.stringify({ ...constraints, monitoring_config: { ...constraints.monitoring_config, shiny: true } }));
    await mkdir(join(dir, 'bad-method'), { recursive: true });
    await writeFile(join(dir, 'bad-method', 'statistics.json'), await readFile(join(baselineDir(), 'statistics.json'), 'utf8'));
    const badMethod = { ...constraints.monitoring_config, distribution_constraints: { ...constraints.monitoring_config.distribution_constraints, categorical_drift_method: 'Hellinger' } };
    await writeFile(join(dir, 'bad-method', 'constraints.json'), JSON.stringify({ ...constraints, monitoring_config: badMethod }));

    const odd = await run(config('same', { baselineUri: join(dir, 'odd-baseline') }));
    const bad = await run(config('same', { baselineUri: join(dir, 'bad-method') }));

    expect(odd.lines[odd.lines.length - 1].baseline_warnings).toEqual([`${join(dir, 'odd-baseline')} constraints.json monitoring_config.shiny: not a Model Monitor setting; ignored`]);
    expect(bad.code).toBe(2);
    expect(bad.lines[0].error).toContain('monitoring_config.distribution_constraints.categorical_drift_method: got "Hellinger"; expected one of LInfinity, ChiSquared');
  });

  it('publishes no feature or violation metrics when constraints.json says emit_metrics Disabled, and keeps the run metrics', async () => {
    const constraints = JSON.parse(await readFile(join(baselineDir(), 'constraints.json'), 'utf8'));
    await mkdir(join(dir, 'quiet-baseline'), { recursive: true });
    await writeFile(join(dir, 'quiet-baseline', 'statistics.json'), await readFile(join(baselineDir(), 'statistics.json'), 'utf8'));
    await writeFile(join(dir, 'quiet-baseline', 'constraints.json'), JSON.stringify({ ...constraints, monitoring_config: { ...constraints.monitoring_config, emit_metrics: 'Disabled' } }));

    const { lines } = await run(config('shifted', { baselineUri: join(dir, 'quiet-baseline'), format: 'aws' }));

    expect(lines.map((l) => [l.event, l.emit_metrics, '_aws' in l])).toEqual([
      ['feature_drift', false, false],
      ['feature_drift', false, false],
      ['constraint_violations', false, false],
      ['drift_summary', undefined, true],
    ]);
    expect(lines[0]).toMatchObject({ drifted: 1 });
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

});

describe('the drift-job entry', () => {
  const env = (capture: string, extra: NodeJS.ProcessEnv = {}) => ({ BASELINE_URI: baselineDir(), CAPTURE_URI: join(dir, capture), MODEL_NAME: 'churn', WINDOW_END: '2026-01-15T10:00:00Z', ...extra });
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) } };
  };

  it('reads its settings from the environment, flags winning, and returns the exit code', async () => {
    const ok = io();
    const drift = io();

    expect(await main(['--format', 'aws'], env('same'), ok.io)).toBe(0);
    expect(await main([], env('shifted', { DRIFT_REPORT_DIR: join(dir, 'env-report') }), drift.io)).toBe(1);
    const lines = ok.out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]._aws.CloudWatchMetrics[0].Namespace).toBe('DeployAiSmarter/Drift');
    expect(lines[3]).toMatchObject({ event: 'drift_summary', status: 'ok', model: 'churn' });
    expect(await readdir(join(dir, 'env-report'))).toEqual(expect.arrayContaining(['report.md', 'report.html', 'images']));
  });

  it('prints usage, or the problems and one drift_job_error line with exit code 2', async () => {
    const help = io();
    const bad = io();

    expect(await main(['--help'], {}, help.io)).toBe(0);
    expect(help.out.join('')).toContain('--alpha X');
    expect(await main([], { LOG_FORMAT: 'gcp', MODEL_NAME: 'churn', DRIFT_ALPHA: '2' }, bad.io)).toBe(2);
    expect(bad.err.join('')).toContain('drift-job --alpha (DRIFT_ALPHA): got "2"; expected a number from 1e-12 to 0.5');
    expect(JSON.parse(bad.out.join(''))).toMatchObject({ event: 'drift_job_error', severity: 'ERROR', model: 'churn' });
  });

  it('runs as a plain node command from the bundle (assets/drift-job/index.js) and exits 1 on drift', async () => {
    const run = promisify(execFile)(process.execPath, [BUNDLE, '--format', 'json'], { env: { ...process.env, ...env('shifted') } });

    await expect(run).rejects.toMatchObject({ code: 1 });
    const { stdout } = await promisify(execFile)(process.execPath, [BUNDLE], { env: { ...process.env, ...env('same') } });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ event: 'drift_summary', status: 'ok' });
  });
});

function problemsOf(argv: string[], env: NodeJS.ProcessEnv): readonly string[] | undefined {
  try {
    parseDriftJobArgs(argv, env);
  } catch (e) {
    return (e as DriftJobConfigError).problems;
  }
  return undefined;
}

describe('parseDriftJobArgs', () => {
  const env = { BASELINE_URI: 'gs://b/base/', CAPTURE_URI: 'gs://b/cap/', MODEL_NAME: 'm', DRIFT_THRESHOLD: '0.2', PSI_THRESHOLD: '0.3', WINDOW_HOURS: '6' };

  it('reads the environment, with flags winning', () => {
    expect(parseDriftJobArgs(['--threshold', '0.05', '--format=gcp'], env)).toEqual({
      baselineUri: 'gs://b/base/', captureUri: 'gs://b/cap/', modelName: 'm', threshold: 0.05, categoricalThreshold: undefined,
      psiThreshold: 0.3, windowHours: 6, windowEnd: undefined, format: 'gcp', capturePart: 'input', driftExitCode: 1,
    });
  });

  it('reads the statistical settings, the missing-value markers and the report folder', () => {
    const extra = {
      DRIFT_ALPHA: '0.05', DRIFT_CORRECTION: 'bonferroni', DRIFT_MIN_ROWS: '50', DRIFT_LARGE_WINDOW_ROWS: '5000', WASSERSTEIN_THRESHOLD: '0.2',
      JS_THRESHOLD: '0.15', DATASET_DRIFT_SHARE: '0.3', MISSING_VALUES: 'NA, -', DRIFT_REPORT_DIR: '/tmp/r',
    };
    expect(parseDriftJobArgs([], { ...env, ...extra })).toMatchObject({
      alpha: 0.05, correction: 'bonferroni', minWindowRows: 50, largeWindowRows: 5000, wassersteinThreshold: 0.2, jensenShannonThreshold: 0.15,
      datasetDriftShare: 0.3, missingValues: ['NA', '-'], reportDir: '/tmp/r',
    });
    expect(parseDriftJobArgs(['--missing-values', '["", " n.a. "]'], env).missingValues).toEqual(['', ' n.a. ']);
    expect(parseDriftJobArgs(['--report=out'], env).reportDir).toBe('out');
  });

  it('rejects bad statistical settings in the common error format', () => {
    expect(problemsOf(['--correction', 'holm', '--min-rows', '2.5', '--missing-values', '[1, 2]', '--dataset-drift-share', '2'], env)).toEqual([
      'drift-job --correction (DRIFT_CORRECTION): got "holm"; expected one of bh, bonferroni, none',
      'drift-job --min-rows (DRIFT_MIN_ROWS): got "2.5"; expected an integer from 1 to 1000000000',
      'drift-job --dataset-drift-share (DATASET_DRIFT_SHARE): got "2"; expected a number from 0 to 1',
      'drift-job --missing-values (MISSING_VALUES): got "[1, 2]"; expected comma-separated values or a JSON array of strings',
    ]);
  });

  it('collects every problem in the common error format', () => {
    expect(problemsOf(['--threshold', '2', '--format', 'syslog', '--bogus'], { WINDOW_HOURS: '0', WINDOW_END: 'soon' })).toEqual([
      'drift-job argument: got "--bogus"; expected one of --baseline, --capture, --model, --threshold, --categorical-threshold, --psi-threshold, --window-hours, --window-end, --format, --capture-part, --drift-exit-code, --alpha, --correction, --min-rows, --large-window-rows, --wasserstein-threshold, --js-threshold, --dataset-drift-share, --missing-values, --report',
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
