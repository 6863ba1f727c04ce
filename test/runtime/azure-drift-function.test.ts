// Runs the deployed drift function locally: loads the bundle Terraform uploads (assets/azure-drift-function/index.js)
// with a stand-in for the worker's @azure/functions-core, then calls the registered timer handler against a local
// baseline and capture folder (the drift job's local file store) and reads what it logged.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBaseline, writeBaseline } from '../../lib/runtime/drift/baseline';
import { captureLine, category, linesStream, normal, seededRandom } from './drift/helpers';

type Handler = (timer: unknown, context: unknown) => Promise<void>;
interface Registered { metadata: { name: string; bindings: Record<string, Record<string, unknown>>; retryOptions?: Record<string, unknown> }; handler: Handler }
const registered: Registered[] = [];
jest.mock('@azure/functions-core', () => ({
  setProgrammingModel: jest.fn(),
  registerFunction: (metadata: Registered['metadata'], handler: Handler) => registered.push({ metadata, handler }),
}), { virtual: true });

const BUNDLE = join(__dirname, '..', '..', 'assets', 'azure-drift-function', 'index.js');
let dir: string;

function rows(n: number, seed: number, shift = 0): string[] {
  const random = seededRandom(seed);
  const gaussian = normal(random);
  return Array.from({ length: n }, () => `${(gaussian() + shift).toFixed(4)},${category(random, { a: 0.6, b: 0.4 })}`);
}

/** An InvocationContext stand-in recording each line at its level. */
function context() {
  const lines: { level: string; line: string }[] = [];
  const at = (level: string) => (line: string) => lines.push({ level, line });
  return { lines, context: { invocationId: 'i-1', functionName: 'drift_check', log: at('info'), info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), trace: at('trace') } };
}

/** The environment driftJobEnvironment (lib/core) gives the function, pointed at local folders. */
function env(capture: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    MODEL_NAME: 'churn', BASELINE_URI: join(dir, 'baseline'), CAPTURE_URI: join(dir, capture), DRIFT_THRESHOLD: '0.1', PSI_THRESHOLD: '0.2',
    WINDOW_HOURS: '1', LOG_FORMAT: 'azure', DRIFT_EXIT_CODE: '0', WINDOW_END: '2026-01-15T10:00:00Z', ...over,
  };
}

async function runRegistered(environment: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, environment);
  const { lines, context: ctx } = context();
  try {
    const outcome = await registered[0].handler({ isPastDue: false, scheduleStatus: {} }, ctx).then(() => 'ok', (error: Error) => error);
    return { outcome, lines, records: lines.map((l) => ({ level: l.level, ...JSON.parse(l.line) })) };
  } finally {
    process.env = saved;
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'azure-drift-function-'));
  await writeBaseline(join(dir, 'baseline'), await createBaseline(linesStream(['x,color', ...rows(2000, 1)]), { header: true }));
  const time = (i: number) => `2026-01-15T09:${String(i % 60).padStart(2, '0')}:00Z`;
  for (const [name, shift] of [['same', 0], ['shifted', 1.5]] as const) {
    await mkdir(join(dir, name, '2026/01/15/09'), { recursive: true });
    await writeFile(join(dir, name, '2026/01/15/09', 'capture.jsonl'), `${rows(800, name === 'same' ? 2 : 3, shift).map((r, i) => captureLine(r, time(i))).join('\n')}\n`);
  }
  jest.isolateModules(() => {
    require(BUNDLE); // eslint-disable-line @typescript-eslint/no-require-imports
  });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('azure drift function (the bundle Terraform uploads)', () => {
  it('registers one timer function, drift_check, on the schedule app setting, with one retry', () => {
    expect(registered).toHaveLength(1);
    const { metadata } = registered[0];
    expect(metadata.name).toBe('drift_check');
    const bindings = Object.values(metadata.bindings);
    expect(bindings).toEqual([expect.objectContaining({ type: 'timerTrigger', direction: 'in', schedule: '%DRIFT_SCHEDULE%', useMonitor: true })]);
    expect(metadata.retryOptions).toMatchObject({ strategy: 'fixedDelay', maxRetryCount: 1 });
  });

  it('analyzes the window and logs one line per feature plus a summary, as information traces', async () => {
    const { outcome, records } = await runRegistered(env('same'));
    expect(outcome).toBe('ok');
    expect(records.map((r) => [r.level, r.event, r.feature])).toEqual([
      ['info', 'feature_drift', 'x'], ['info', 'feature_drift', 'color'], ['info', 'constraint_violations', undefined], ['info', 'drift_summary', undefined],
    ]);
    expect(records[2]).toMatchObject({ event: 'constraint_violations', total: 0 });
    expect(records[3]).toMatchObject({ model: 'churn', status: 'ok', records: 800, capture_files: 1, window_start: '2026-01-15T09:00:00.000Z', window_end: '2026-01-15T10:00:00.000Z' });
  });

  it('reports drift in its lines and still succeeds (a run that found drift is not a failed run)', async () => {
    const { outcome, records } = await runRegistered(env('shifted'));
    expect(outcome).toBe('ok');
    expect(records.find((r) => r.feature === 'x')).toMatchObject({ event: 'feature_drift', threshold_crossed: true });
    expect(records.at(-1)).toMatchObject({ event: 'drift_summary', status: 'drift', drifted_features: ['x'] });
  });

  it('publishes one retraining event per drifted feature when it has a retraining topic, and none for a clean window', async () => {
    const { driftCheck } = await import('../../lib/runtime/azure-drift-function');
    const published: { endpoint: string; events: Record<string, any>[] }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    const publish = async (endpoint: string, events: readonly object[]) => {
      published.push({ endpoint, events: events as Record<string, any>[] }); // eslint-disable-line @typescript-eslint/no-explicit-any
    };
    const topic = { RETRAINING_TOPIC_ENDPOINT: 'https://evgt-churn.eastus-1.eventgrid.azure.net/api/events' };
    const now = () => new Date('2026-01-15T10:05:00Z');
    for (const capture of ['same', 'shifted']) {
      const { context: ctx } = context();
      await driftCheck({} as never, ctx as never, { env: env(capture, topic), publish, now });
    }

    expect(published).toHaveLength(1);
    expect(published[0].endpoint).toBe(topic.RETRAINING_TOPIC_ENDPOINT);
    expect(published[0].events).toEqual([expect.objectContaining({
      model: 'churn', cloud: 'azure', trigger: 'data_drift', time: '2026-01-15T10:05:00.000Z',
      crossed: expect.objectContaining({ kind: 'feature', name: 'x', statistic: 'p_value', comparison: 'below', threshold: 0.01 }),
      window: { start: '2026-01-15T09:00:00.000Z', end: '2026-01-15T10:00:00.000Z' },
      sourceAlarm: { name: 'churn-feature-drift' },
    })]);
    expect(published[0].events[0].crossed.value).toBeLessThan(0.01);
  });

  it('logs a drift_job_error line as an error trace and fails the invocation when the baseline is missing', async () => {
    const { outcome, records } = await runRegistered(env('same', { BASELINE_URI: join(dir, 'nowhere') }));
    expect(outcome).toBeInstanceOf(Error);
    expect(records).toEqual([expect.objectContaining({ level: 'error', event: 'drift_job_error', model: 'churn' })]);
  });

  it('fails with a drift_job_error line when its settings are incomplete', async () => {
    const { outcome, records } = await runRegistered({ ...env('same'), CAPTURE_URI: '' });
    expect((outcome as Error).message).toMatch(/--capture \(CAPTURE_URI\): got undefined; expected a value/);
    expect(records).toEqual([expect.objectContaining({ level: 'error', event: 'drift_job_error', model: 'churn' })]);
  });
});

describe('driftCheck deadline', () => {
  afterEach(() => jest.useRealTimers());

  it('gives up at its deadline with a drift_job_error line when storage never answers', async () => {
    jest.useFakeTimers();
    const { driftCheck } = await import('../../lib/runtime/azure-drift-function');
    const { lines, context: ctx } = context();
    const never = () => new Promise<never>(() => undefined);
    const run = driftCheck({} as never, ctx as never, { env: env('same'), open: never, deadlineMs: 60_000, now: () => new Date('2026-01-15T10:05:00Z') })
      .then(() => 'ok', (error: Error) => error);
    await jest.advanceTimersByTimeAsync(60_000);
    const outcome = await run;
    expect((outcome as Error).message).toBe('drift check failed: the run did not finish within 60000 ms');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0].line)).toEqual({ event: 'drift_job_error', model: 'churn', error: 'the run did not finish within 60000 ms', time: '2026-01-15T10:05:00.000Z' });
  });
});
