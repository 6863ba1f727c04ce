// Entry point of the Azure explainability function (Node.js v4 programming model): registers the timer-triggered
// function `explain_check`. Each run samples one window of captured requests from Blob Storage (managed identity),
// scores them through the served model over HTTPS (POST <EXPLAIN_ENDPOINT_URL><EXPLAIN_PREDICT_PATH>, CSV rows, an
// Entra ID token for EXPLAIN_TOKEN_AUDIENCE, every call tagged `X-Inference-Id: deploy-ai-smarter-explain-<n>`), and
// logs prediction-change importance per feature as JSON traces (Application Insights AppTraces.Message).
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { EXPLAIN_INFERENCE_ID_PREFIX } from '../drift/capture';
import { azureManagedIdentityToken, type TokenProvider } from '../drift/cloud-tokens';
import { LOG_FORMATS, type LogFormat } from '../drift/emitters';
import { explainErrorLine } from '../explain/explain-emitters';
import { parseExplainJobArgs, runExplainJob, type ExplainJobDeps } from '../explain/explain-job';
import { parsePredictions } from '../explain/http-predictor';
import type { FeatureRow, FeatureValue, Predict } from '../explain/importance';
import { DeadlineExceededError, withDeadline } from '../shared/deadline';
import { globalFetch, type HttpFetch } from '../shared/http';
import { JobConfigError } from '../shared/job-options';

/** The function name (shown in Application Insights and the portal). */
export const FUNCTION_NAME = 'explain_check';
/** App setting holding the six-field NCRONTAB schedule, read by the host as `%EXPLAIN_SCHEDULE%`. */
export const SCHEDULE_SETTING = 'EXPLAIN_SCHEDULE';
/** App setting: the model's predict route, appended to EXPLAIN_ENDPOINT_URL. @default '/invocations' */
export const PREDICT_PATH_SETTING = 'EXPLAIN_PREDICT_PATH';
/** App setting: the resource (audience) of the Entra ID token sent to the model; none sends no token. */
export const TOKEN_AUDIENCE_SETTING = 'EXPLAIN_TOKEN_AUDIENCE';
/** App setting: where the number to explain is in each prediction (CSV column index or JSON path). */
export const INFERENCE_ATTRIBUTE_SETTING = 'EXPLAIN_INFERENCE_ATTRIBUTE';
/**
 * Request header carrying `deploy-ai-smarter-explain-<n>` on every call: a serving container that records it as the
 * capture record's `eventMetadata.inferenceId` keeps the job's permuted rows out of drift, quality and explain.
 */
export const INFERENCE_ID_HEADER = 'X-Inference-Id';
/** One minute under host.json's `functionTimeout` (30 minutes), so the error line is written before the host stops it. */
export const RUN_DEADLINE_MS = 29 * 60_000;

export { EXPLAIN_INFERENCE_ID_PREFIX };

export interface ServingPredictorOptions {
  /** The full predict URL. */
  readonly url: string;
  /** Bearer token for each call. @default - no Authorization header */
  readonly token?: TokenProvider;
  /** @default - the global fetch */
  readonly fetchFn?: HttpFetch;
  /** Rows per request. @default 100 */
  readonly batchSize?: number;
  readonly inferenceAttribute?: string;
  /** Per request. @default 60000 */
  readonly timeoutMs?: number;
}

/** A Predict function over the serving contract: CSV rows in, one number per row out (read as captured outputs are). */
export function servingPredictor(options: ServingPredictorOptions): Predict {
  const batchSize = options.batchSize ?? 100;
  const fetchFn = options.fetchFn ?? globalFetch();
  let calls = 0;
  return async (rows) => {
    const out: number[] = [];
    for (let start = 0; start < rows.length; start += batchSize) {
      const batch = rows.slice(start, start + batchSize);
      const headers: Record<string, string> = {
        'Content-Type': 'text/csv',
        Accept: 'text/csv, application/json',
        [INFERENCE_ID_HEADER]: `${EXPLAIN_INFERENCE_ID_PREFIX}${(calls += 1)}`,
      };
      if (options.token) headers.Authorization = `Bearer ${await options.token()}`;
      const response = await fetchFn(options.url, {
        method: 'POST', headers, body: batch.map(csvLine).join('\n'), signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`POST ${options.url}: HTTP ${response.status}: ${text.slice(0, 200)}`);
      out.push(...parsePredictions(text, response.headers.get('content-type') ?? '', batch.length, options.inferenceAttribute));
    }
    return out;
  };
}

function csvLine(row: FeatureRow): string {
  return row.map((value: FeatureValue) => {
    const text = value === null ? '' : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }).join(',');
}

export interface ExplainCheckDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: ExplainJobDeps['now'];
  /** Opens the capture folder. @default - openStore (Blob Storage with the managed identity) */
  readonly open?: ExplainJobDeps['open'];
  /** The fetch of the model calls and of the managed-identity token. @default - the global fetch */
  readonly fetchFn?: HttpFetch;
  /** Scores rows instead of the HTTP predictor (tests). */
  readonly predict?: Predict;
  readonly deadlineMs?: number;
}

/**
 * One scheduled run. Resolves when the window was explained (also with no data); throws after an
 * `explain_job_error` line when it could not (bad settings, unreadable capture, model unreachable or refusing).
 */
export async function explainCheck(_timer: Timer, context: InvocationContext, deps: ExplainCheckDeps = {}): Promise<void> {
  const env = deps.env ?? process.env;
  const now = deps.now ?? (() => new Date());
  const write = (line: string) => (line.includes('"event":"explain_job_error"') ? context.error(line) : context.info(line));
  const failed = (message: string): never => {
    write(JSON.stringify(explainErrorLine(env.MODEL_NAME ?? '', message, formatOf(env), now())));
    throw new Error(`explain check failed: ${message}`);
  };
  let config;
  try {
    config = parseExplainJobArgs([], env);
  } catch (error) {
    if (error instanceof JobConfigError) return failed(error.message);
    throw error;
  }
  let predict = deps.predict;
  if (!predict) {
    const base = config.endpointUrl?.replace(/\/+$/, '');
    const path = env[PREDICT_PATH_SETTING] || '/invocations';
    if (!base || !/^https?:\/\/\S+$/.test(base)) return failed(`EXPLAIN_ENDPOINT_URL is ${JSON.stringify(config.endpointUrl ?? '')}; expected the model's http(s) base URL`);
    if (!/^\/[^\s?#]*$/.test(path)) return failed(`${PREDICT_PATH_SETTING} is ${JSON.stringify(path)}; expected an absolute URL path such as /invocations`);
    const fetchFn = deps.fetchFn ?? globalFetch();
    const audience = env[TOKEN_AUDIENCE_SETTING] || undefined;
    predict = servingPredictor({
      url: `${base}${path}`,
      fetchFn,
      token: audience ? azureManagedIdentityToken({ env, fetchFn, resource: audience }) : undefined,
      inferenceAttribute: env[INFERENCE_ATTRIBUTE_SETTING] || undefined,
    });
  }
  let code: number;
  try {
    code = await withDeadline(deps.deadlineMs ?? RUN_DEADLINE_MS, () => runExplainJob(config, { write, now: deps.now, open: deps.open, predict }));
  } catch (error) {
    if (error instanceof DeadlineExceededError) return failed(`the run did not finish within ${error.timeoutMs} ms`);
    throw error;
  }
  if (code === 2) throw new Error('explain check failed: see the explain_job_error line');
}

function formatOf(env: NodeJS.ProcessEnv): LogFormat {
  const requested = env.LOG_FORMAT as LogFormat | undefined;
  return requested && LOG_FORMATS.includes(requested) ? requested : 'json';
}

app.timer(FUNCTION_NAME, {
  schedule: `%${SCHEDULE_SETTING}%`,
  useMonitor: true,
  // One retry, after 5 minutes: a model still scaling out or a throttled call gets one more try.
  retry: { strategy: 'fixedDelay', maxRetryCount: 1, delayInterval: { minutes: 5 } },
  handler: (timer, context) => explainCheck(timer, context),
});
