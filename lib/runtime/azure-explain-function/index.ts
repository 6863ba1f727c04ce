// Entry point of the Azure explainability function (Node.js v4 programming model): registers the timer-triggered
// function `explain_check`. Each run samples one window of captured requests from Blob Storage (managed identity),
// scores them through the served model over HTTPS (POST <EXPLAIN_ENDPOINT_URL><EXPLAIN_PREDICT_PATH>, CSV rows, an
// Entra ID token for EXPLAIN_TOKEN_AUDIENCE, every call tagged `X-Inference-Id: deploy-ai-smarter-explain-<n>`), and
// logs prediction-change importance per feature as JSON traces (Application Insights AppTraces.Message).
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { EXPLAIN_INFERENCE_ID_PREFIX } from '../drift/capture';
import { azureManagedIdentityToken } from '../drift/cloud-tokens';
import { LOG_FORMATS, type LogFormat } from '../drift/emitters';
import { explainErrorLine } from '../explain/explain-emitters';
import { parseExplainJobArgs, runExplainJob, type ExplainJobDeps } from '../explain/explain-job';
import { httpPredictor, INFERENCE_ID_HEADER } from '../explain/http-predictor';
import type { Predict } from '../explain/importance';
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
/** One minute under host.json's `functionTimeout` (30 minutes), so the error line is written before the host stops it. */
export const RUN_DEADLINE_MS = 29 * 60_000;

export { EXPLAIN_INFERENCE_ID_PREFIX, INFERENCE_ID_HEADER };

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
    predict = httpPredictor({
      endpointUrl: base, predictPath: path, inferenceIdHeader: INFERENCE_ID_HEADER,
      fetch: fetchFn,
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
