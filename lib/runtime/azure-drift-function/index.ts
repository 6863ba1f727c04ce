// Entry point of the Azure drift function (Node.js v4 programming model): registers the timer-triggered function
// `drift_check` with the Functions worker when the Flex Consumption host loads index.js. Each run is the portable
// drift job (lib/runtime/drift) over the environment contract of lib/core's driftJobEnvironment; its JSON lines go
// to Application Insights traces (AppTraces.Message), where the alerts read them. With RETRAINING_TOPIC_ENDPOINT set,
// a run that judged a feature drifted also publishes one retraining event per such feature to that Event Grid topic.
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { DeadlineExceededError, withDeadline } from '../shared/deadline';
import { DriftJobConfigError, EXIT_ERROR, parseDriftJobArgs, runDriftJob, type DriftJobDeps } from '../drift/drift-job';
import { LOG_FORMATS, errorLine, type LogFormat } from '../drift/emitters';
import { publishSignals, type Publisher } from '../retraining/publish';
import { driftSignals } from '../retraining/signals';

/** The function name (shown in Application Insights and the portal). */
export const FUNCTION_NAME = 'drift_check';
/** App setting holding the six-field NCRONTAB schedule (`0 5 * * * *`), read by the host as `%DRIFT_SCHEDULE%`. */
export const SCHEDULE_SETTING = 'DRIFT_SCHEDULE';
/**
 * A run gets this long before it gives up with a `drift_job_error` line: one minute under host.json's
 * `functionTimeout` (30 minutes), so the error is written before the host stops the invocation.
 */
export const RUN_DEADLINE_MS = 29 * 60_000;

/** What one run writes, and when it is. Tests pass their own; the host passes nothing. */
export interface DriftCheckDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: DriftJobDeps['now'];
  readonly open?: DriftJobDeps['open'];
  readonly deadlineMs?: number;
  /** Posts retraining events to the topic. @default - Event Grid with the managed identity */
  readonly publish?: Publisher;
}

/**
 * One scheduled run. Resolves when the job finished (drift found or not: the alerts read the lines); throws when
 * it could not check (bad settings, unreadable baseline or capture, deadline), so the invocation shows as failed.
 */
export async function driftCheck(_timer: Timer, context: InvocationContext, deps: DriftCheckDeps = {}): Promise<void> {
  const env = deps.env ?? process.env;
  const lines: Record<string, unknown>[] = [];
  const write = (line: string) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    return line.includes('"event":"drift_job_error"') ? context.error(line) : context.info(line);
  };
  const failed = (message: string): never => {
    write(JSON.stringify(errorLine(env.MODEL_NAME ?? '', message, formatOf(env), (deps.now ?? (() => new Date()))())));
    throw new Error(`drift check failed: ${message}`);
  };
  let config;
  try {
    config = parseDriftJobArgs([], env);
  } catch (error) {
    if (error instanceof DriftJobConfigError) return failed(error.message);
    throw error;
  }
  let code: number;
  try {
    code = await withDeadline(deps.deadlineMs ?? RUN_DEADLINE_MS, () => runDriftJob(config, { write, now: deps.now, open: deps.open }));
  } catch (error) {
    if (error instanceof DeadlineExceededError) return failed(`the run did not finish within ${error.timeoutMs} ms`);
    throw error;
  }
  // runDriftJob already wrote the drift_job_error line.
  if (code === EXIT_ERROR) throw new Error('drift check failed: see the drift_job_error line');
  const trigger = config.capturePart === 'output' ? 'prediction_drift' : 'data_drift';
  const signals = driftSignals(lines, { model: config.modelName, cloud: 'azure', driftTrigger: trigger, time: (deps.now ?? (() => new Date()))() });
  await publishSignals(signals, env, context, config.modelName, deps.publish);
}

function formatOf(env: NodeJS.ProcessEnv): LogFormat {
  const requested = env.LOG_FORMAT as LogFormat | undefined;
  return requested && LOG_FORMATS.includes(requested) ? requested : 'json';
}

app.timer(FUNCTION_NAME, {
  schedule: `%${SCHEDULE_SETTING}%`,
  // Keeps the schedule across restarts and scale-in (a blob under azure-webjobs-hosts in the host storage).
  useMonitor: true,
  // One retry of a failed run (storage hiccup), like the Container Apps job's replicaRetryLimit.
  retry: { strategy: 'fixedDelay', maxRetryCount: 1, delayInterval: { minutes: 5 } },
  handler: (timer, context) => driftCheck(timer, context),
});
