// Runs the deployed quality function locally: loads the bundle Terraform uploads (assets/azure-quality-function/index.js)
// with a stand-in for the worker's @azure/functions-core, then calls the registered timer handler against local
// capture and ground-truth folders (the job's local file store), with fetch stubbed for the managed-identity token
// and the Event Grid topic.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RETRAINING_EVENT_TYPE } from '../../lib/core/retraining-event';
import { captureEvent, groundTruthLine, writeLines } from './quality/helpers';

type Handler = (timer: unknown, context: unknown) => Promise<void>;
interface Registered { metadata: { name: string; bindings: Record<string, Record<string, unknown>>; retryOptions?: Record<string, unknown> }; handler: Handler }
const registered: Registered[] = [];
jest.mock('@azure/functions-core', () => ({
  setProgrammingModel: jest.fn(),
  registerFunction: (metadata: Registered['metadata'], handler: Handler) => registered.push({ metadata, handler }),
}), { virtual: true });

const BUNDLE = join(__dirname, '..', '..', 'assets', 'azure-quality-function', 'index.js');
const TOPIC = 'https://evgt-churn.eastus-1.eventgrid.azure.net/api/events';
let dir: string;

function context() {
  const lines: { level: string; line: string }[] = [];
  const at = (level: string) => (line: string) => lines.push({ level, line });
  return { lines, context: { invocationId: 'i-1', functionName: 'quality_check', log: at('info'), info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), trace: at('trace') } };
}

/** What qualityJobEnvironment (lib/core) gives the function, pointed at local folders. */
function env(over: Record<string, string> = {}): Record<string, string> {
  return {
    MODEL_NAME: 'churn', QUALITY_CAPTURE_URI: join(dir, 'capture'), QUALITY_GROUND_TRUTH_URI: join(dir, 'ground-truth'), QUALITY_PROBLEM_TYPE: 'BinaryClassification',
    QUALITY_WINDOW_HOURS: '1', QUALITY_LABEL_DELAY_HOURS: '0', QUALITY_MIN_SAMPLES: '1', QUALITY_PROBABILITY_THRESHOLD: '0.5', QUALITY_POSITIVE_LABEL: '1',
    LOG_FORMAT: 'azure', QUALITY_EXIT_CODE: '0', QUALITY_WINDOW_END: '2026-01-15T10:00:00Z', ...over,
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

const realFetch = global.fetch;
let posts: { url: string; headers: Record<string, string>; body?: string }[];
let topicStatus: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'azure-quality-function-'));
  // Scores 0.9, 0.8, 0.2, 0.1 against labels 1, 0, 0, 0: predicted 1, 1, 0, 0 -> accuracy 0.75, precision 0.5, recall 1.
  const scores = [0.9, 0.8, 0.2, 0.1];
  await writeLines(join(dir, 'capture'), '2026/01/15/09', 'c.jsonl', scores.map((s, i) => captureEvent({ id: `e${i}`, time: `2026-01-15T09:0${i}:00Z`, output: String(s) })));
  await writeLines(join(dir, 'ground-truth'), '2026/01/15/09', 'g.jsonl', ['1', '0', '0', '0'].map((l, i) => groundTruthLine(`e${i}`, l)));
  await writeLines(join(dir, 'unlabelled'), '2026/01/15/09', 'g.jsonl', ['{}']);
  jest.isolateModules(() => {
    require(BUNDLE); // eslint-disable-line @typescript-eslint/no-require-imports
  });
});
beforeEach(() => {
  posts = [];
  topicStatus = 200;
  global.fetch = jest.fn(async (url: string | URL, init?: { headers?: Record<string, string>; body?: string }) => {
    posts.push({ url: String(url), headers: init?.headers ?? {}, body: init?.body });
    if (String(url).startsWith('http://127.0.0.1:8081/msi/token')) return new Response(JSON.stringify({ access_token: 'eg-token', expires_on: String(Math.floor(Date.now() / 1000) + 3600) }));
    return new Response(topicStatus === 200 ? '' : '{"error":{"code":"Unauthorized"}}', { status: topicStatus });
  }) as unknown as typeof fetch;
});
afterEach(() => {
  global.fetch = realFetch;
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const identity = { IDENTITY_ENDPOINT: 'http://127.0.0.1:8081/msi/token', IDENTITY_HEADER: 'h', AZURE_CLIENT_ID: 'client-1' };

describe('azure quality function (the bundle Terraform uploads)', () => {
  it('registers one timer function, quality_check, on the schedule app setting, with one retry', () => {
    expect(registered).toHaveLength(1);
    expect(registered[0].metadata.name).toBe('quality_check');
    expect(Object.values(registered[0].metadata.bindings)).toEqual([expect.objectContaining({ type: 'timerTrigger', direction: 'in', schedule: '%QUALITY_SCHEDULE%', useMonitor: true })]);
    expect(registered[0].metadata.retryOptions).toMatchObject({ strategy: 'fixedDelay', maxRetryCount: 1 });
  });

  it('evaluates the window and logs one quality_summary trace with exact metrics, publishing nothing without a topic', async () => {
    const { outcome, records } = await runRegistered(env({ QUALITY_MIN_PRECISION: '0.9' }));

    expect(outcome).toBe('ok');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ level: 'info', event: 'quality_summary', model: 'churn', status: 'degraded', captured_events: 4, labelled_events: 4 });
    expect(records[0].metrics).toMatchObject({ accuracy: 0.75, precision: 0.5, recall: 1 });
    expect(posts).toEqual([]);
  });

  it('publishes one CloudEvents 1.0 retraining event per crossed threshold to the topic with the managed identity\'s Event Grid token', async () => {
    const { outcome, records } = await runRegistered(env({ QUALITY_MIN_PRECISION: '0.9', QUALITY_MIN_ACCURACY: '0.8', RETRAINING_TOPIC_ENDPOINT: TOPIC, ...identity }));

    expect(outcome).toBe('ok');
    const token = posts.find((p) => p.url.startsWith(identity.IDENTITY_ENDPOINT))!;
    expect(new URL(token.url).searchParams.get('resource')).toBe('https://eventgrid.azure.net');
    expect(new URL(token.url).searchParams.get('client_id')).toBe('client-1');
    const publish = posts.filter((p) => p.url.startsWith(TOPIC));
    expect(publish).toHaveLength(1);
    expect(publish[0].url).toBe(`${TOPIC}?api-version=2018-01-01`);
    expect(publish[0].headers).toEqual({ Authorization: 'Bearer eg-token', 'Content-Type': 'application/cloudevents-batch+json; charset=utf-8' });
    const events = JSON.parse(publish[0].body!);
    expect(events.map((e: { data: { crossed: { name: string } } }) => e.data.crossed.name).sort()).toEqual(['accuracy', 'precision']);
    expect(events.find((e: { data: { crossed: { name: string } } }) => e.data.crossed.name === 'precision')).toMatchObject({
      specversion: '1.0', type: RETRAINING_EVENT_TYPE, source: 'deploy-ai-smarter/churn', subject: 'model_quality/precision', datacontenttype: 'application/json',
      data: {
        schemaVersion: '1.0', model: 'churn', cloud: 'azure', trigger: 'model_quality',
        crossed: { kind: 'metric', name: 'precision', value: 0.5, threshold: 0.9, comparison: 'below' },
        window: { start: '2026-01-15T09:00:00.000Z', end: '2026-01-15T10:00:00.000Z' },
        sourceAlarm: { name: 'churn-quality-precision' },
      },
    });
    expect(records.at(-1)).toMatchObject({ event: 'retraining_published', model: 'churn' });
  });

  it('publishes a label_coverage event when traffic has no labels', async () => {
    const { outcome } = await runRegistered(env({ QUALITY_GROUND_TRUTH_URI: join(dir, 'unlabelled'), RETRAINING_TOPIC_ENDPOINT: TOPIC, ...identity }));

    expect(outcome).toBe('ok');
    const [event] = JSON.parse(posts.find((p) => p.url.startsWith(TOPIC))!.body!);
    expect(event.data).toMatchObject({ trigger: 'label_coverage', crossed: { kind: 'metric', name: 'labelled_events', value: 0, threshold: 1, comparison: 'below' }, sourceAlarm: { name: 'churn-quality-labels-stopped' } });
  });

  it('fails the invocation with a retraining_publish_error line when Event Grid refuses the events', async () => {
    topicStatus = 401;
    const { outcome, records } = await runRegistered(env({ QUALITY_MIN_PRECISION: '0.9', RETRAINING_TOPIC_ENDPOINT: TOPIC, ...identity }));

    expect(outcome).toBeInstanceOf(Error);
    expect(records.at(-1)).toMatchObject({ level: 'error', event: 'retraining_publish_error', model: 'churn' });
    expect(records.at(-1)!.error).toContain('HTTP 401');
  });

  it('fails the invocation after a quality_job_error line on bad settings', async () => {
    const { outcome, records } = await runRegistered(env({ QUALITY_PROBLEM_TYPE: 'Ranking' }));

    expect(outcome).toBeInstanceOf(Error);
    expect(records).toEqual([expect.objectContaining({ level: 'error', event: 'quality_job_error', model: 'churn' })]);
  });
});
