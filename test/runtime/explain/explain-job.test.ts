import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExplainJobConfig, parseExplainJobArgs, runExplainJob } from '../../../lib/runtime/explain/explain-job';
import { FeatureRow } from '../../../lib/runtime/explain/importance';
import { JobConfigError } from '../../../lib/runtime/shared/job-options';
import { seededRandom } from '../../../lib/runtime/shared/seeded-random';
import { captureEvent, writeLines } from '../quality/helpers';

let dir: string;
const calls: number[] = [];
// The injected predict: y = 3·x1 + 0.5·x2 + 0·x3 (what SageMaker InvokeEndpoint or an HTTPS call would answer).
// It gets the feature names with the rows, so it can build a JSON request; here it reads the values by name.
const predict = async (rows: readonly FeatureRow[], features: readonly string[]) => {
  calls.push(rows.length);
  const names = features.length === 3 && features[0].startsWith('_c') ? ['x1', 'x2', 'x3'] : features;
  return rows.map((row) => 3 * Number(row[names.indexOf('x1')]) + 0.5 * Number(row[names.indexOf('x2')]));
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'explain-job-'));
  const random = seededRandom(11);
  const row = () => [random(), random(), random()].map((v) => (v * 10).toFixed(3));
  await writeLines(join(dir, 'csv'), '2026/01/15/09', 'c.jsonl', [
    ...Array.from({ length: 120 }, (_, i) => captureEvent({ id: `e${i}`, time: `2026-01-15T09:${String(i % 60).padStart(2, '0')}:00Z`, input: row().join(','), output: '0' })),
    // A batch request: two rows.
    captureEvent({ id: 'batch', input: `${row().join(',')}\n${row().join(',')}`, output: '0\n0' }),
    captureEvent({ id: 'short', input: '1,2', output: '0' }),
    captureEvent({ id: 'old', time: '2026-01-15T08:59:00Z', input: row().join(','), output: '0' }),
    'garbage',
  ]);
  await writeLines(join(dir, 'json'), '2026/01/15/09', 'c.jsonl', Array.from({ length: 40 }, () => {
    const [x1, x2, x3] = row().map(Number);
    return captureEvent({ input: JSON.stringify({ x3, x1, x2 }), inputType: 'application/json', output: '0' });
  }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function config(name: string, overrides: Partial<ExplainJobConfig> = {}): ExplainJobConfig {
  return { captureUri: join(dir, name), modelName: 'churn', windowHours: 1, windowEnd: new Date('2026-01-15T10:00:00Z'), format: 'aws', sample: 100, ...overrides };
}

async function run(cfg: ExplainJobConfig) {
  const lines: Record<string, any>[] = [];
  const code = await runExplainJob(cfg, { predict, write: (l) => lines.push(JSON.parse(l)), now: () => new Date('2026-01-15T10:05:00Z') });
  return { code, lines };
}

describe('runExplainJob', () => {
  it('publishes the importance of each feature of the captured traffic as EMF metrics, most important first', async () => {
    const { code, lines } = await run(config('csv', { featureNames: ['x1', 'x2', 'x3'] }));

    expect(code).toBe(0);
    expect(lines.map((l) => [l.event, l.feature, l.rank])).toEqual([
      ['feature_importance', 'x1', 1], ['feature_importance', 'x2', 2], ['feature_importance', 'x3', 3], ['explain_summary', undefined, undefined],
    ]);
    expect(lines[0]).toMatchObject({ Model: 'churn', Feature: 'x1', method: 'prediction_change', rows: 100 });
    expect(lines[0].FeatureImportance).toBe(lines[0].importance);
    expect(lines[0]._aws.CloudWatchMetrics).toEqual([{ Namespace: 'DeployAiSmarter/Explainability', Dimensions: [['Model', 'Feature']], Metrics: [{ Name: 'FeatureImportance', Unit: 'None' }] }]);
    expect(lines[2].importance).toBe(0);
    expect(lines[3]).toMatchObject({
      status: 'ok', rows_seen: 122, rows_sampled: 100, column_mismatch_rows: 1, malformed_lines: 1, out_of_window_lines: 1,
      ranking: ['x1', 'x2', 'x3'], ExplainedRows: 100,
    });
  });

  it('reads JSON object requests by feature name, in the order of the first request', async () => {
    const { lines } = await run(config('json', { format: 'gcp' }));

    expect(lines.slice(0, 3).map((l) => l.feature)).toEqual(['x1', 'x2', 'x3']);
    expect(lines[0]).toMatchObject({ severity: 'INFO', 'logging.googleapis.com/labels': { model: 'churn', feature: 'x1' } });
    expect(lines[3].features).toEqual(['x3', 'x1', 'x2']);
  });

  it('repeats exactly for the same seed', async () => {
    const a = await run(config('csv', { seed: 4 }));
    const b = await run(config('csv', { seed: 4 }));

    expect(a.lines.map((l) => l.importance)).toEqual(b.lines.map((l) => l.importance));
  });

  it('reports no_data without calling the model when the window is empty', async () => {
    calls.length = 0;
    const { code, lines } = await run(config('csv', { windowEnd: new Date('2026-01-14T10:00:00Z'), format: 'json' }));

    expect(code).toBe(0);
    expect(lines).toEqual([expect.objectContaining({ event: 'explain_summary', status: 'no_data', rows_sampled: 0 })]);
    expect(calls).toEqual([]);
  });

  it('writes one explain_job_error line and exits 2 when the model fails', async () => {
    const lines: Record<string, any>[] = [];
    const code = await runExplainJob(config('csv'), { predict: async () => { throw new Error('endpoint throttled'); }, write: (l) => lines.push(JSON.parse(l)) });

    expect(code).toBe(2);
    expect(lines).toEqual([expect.objectContaining({ event: 'explain_job_error', error: 'endpoint throttled' })]);
  });
});

describe('parseExplainJobArgs', () => {
  it('reads the EXPLAIN_* environment', () => {
    expect(parseExplainJobArgs([], {
      EXPLAIN_CAPTURE_URI: 'gs://b/capture/', MODEL_NAME: 'churn', EXPLAIN_FEATURE_NAMES: 'age, city', EXPLAIN_SAMPLE: '500', LOG_FORMAT: 'gcp', EXPLAIN_ENDPOINT_URL: 'https://m',
    })).toEqual({
      captureUri: 'gs://b/capture/', modelName: 'churn', endpointUrl: 'https://m', featureNames: ['age', 'city'], windowHours: 24, windowEnd: undefined,
      sample: 500, repeats: undefined, seed: undefined, format: 'gcp',
    });
  });

  it('lists every problem', () => {
    let problems: readonly string[] = [];
    try {
      parseExplainJobArgs(['--feature-names', 'a,,b', '--repeats', '0'], {});
    } catch (error) {
      problems = (error as JobConfigError).problems;
    }
    expect(problems).toEqual([
      'explain-job --capture (EXPLAIN_CAPTURE_URI): got undefined; expected a value',
      'explain-job --model (MODEL_NAME): got undefined; expected a value',
      'explain-job --feature-names (EXPLAIN_FEATURE_NAMES): got "a,,b"; expected comma-separated feature names, none empty',
      'explain-job --repeats (EXPLAIN_REPEATS): got "0"; expected an integer from 1 to 100',
    ]);
  });
});
