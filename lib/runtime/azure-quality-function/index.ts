// Entry point of the Azure model-quality function (Node.js v4 programming model): registers the timer-triggered
// function `quality_check`. Each run is the portable quality job (lib/runtime/quality) over the environment contract
// of lib/core's qualityJobEnvironment; its JSON line goes to Application Insights traces (AppTraces.Message), where
// the quality alerts read it. With RETRAINING_TOPIC_ENDPOINT set, a crossed threshold or labels that stopped also
// publish a retraining event to that Event Grid topic.
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { DeadlineExceededError, withDeadline } from '../shared/deadline';
import { JobConfigError } from '../shared/job-options';
import { LOG_FORMATS, type LogFormat } from '../drift/emitters';
import { EXIT_ERROR, runQualityJob, type QualityJobDeps } from '../quality/quality-job';
import { qualityErrorLine } from '../quality/quality-emitters';
import { parseQualityJobArgs } from '../quality/quality-options';
import { publishSignals, type Publisher } from '../retraining/publish';
import { qualitySignals } from '../retraining/signals';

/** The function name (shown in Application Insights and the portal). */
export const FUNCTION_NAME = 'quality_check';
/** App setting holding the six-field NCRONTAB schedule, read by the host as `%QUALITY_SCHEDULE%`. */
export const SCHEDULE_SETTING = 'QUALITY_SCHEDULE';
/** One minute under host.json's `functionTimeout` (30 minutes), so the error line is written before the host stops it. */
export const RUN_DEADLINE_MS = 29 * 60_000;

export interface QualityCheckDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: QualityJobDeps['now'];
  readonly open?: QualityJobDeps['open'];
  readonly deadlineMs?: number;
  /** Posts retraining events to the topic. @default - Event Grid with the managed identity */
  readonly publish?: Publisher;
}

/**
 * One scheduled run. Resolves when the job evaluated its window (degraded or not: the alerts read the line); throws
 * when it could not (bad settings, unreadable storage, deadline), after a `quality_job_error` line.
 */
export async function qualityCheck(_timer: Timer, context: InvocationContext, deps: QualityCheckDeps = {}): Promise<void> {
  const env = deps.env ?? process.env;
  const now = deps.now ?? (() => new Date());
  const lines: Record<string, unknown>[] = [];
  const write = (line: string) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    return line.includes('"event":"quality_job_error"') ? context.error(line) : context.info(line);
  };
  const failed = (message: string): never => {
    write(JSON.stringify(qualityErrorLine(env.MODEL_NAME ?? '', message, formatOf(env), now())));
    throw new Error(`quality check failed: ${message}`);
  };
  let config;
  try {
    config = parseQualityJobArgs([], env);
  } catch (error) {
    if (error instanceof JobConfigError) return failed(error.message);
    throw error;
  }
  let code: number;
  try {
    code = await withDeadline(deps.deadlineMs ?? RUN_DEADLINE_MS, () => runQualityJob(config, { write, now: deps.now, open: deps.open }));
  } catch (error) {
    if (error instanceof DeadlineExceededError) return failed(`the run did not finish within ${error.timeoutMs} ms`);
    throw error;
  }
  if (code === EXIT_ERROR) throw new Error('quality check failed: see the quality_job_error line');
  await publishSignals(qualitySignals(lines, { model: config.modelName, cloud: 'azure', time: now() }), env, context, config.modelName, deps.publish);
}

function formatOf(env: NodeJS.ProcessEnv): LogFormat {
  const requested = env.LOG_FORMAT as LogFormat | undefined;
  return requested && LOG_FORMATS.includes(requested) ? requested : 'json';
}

app.timer(FUNCTION_NAME, {
  schedule: `%${SCHEDULE_SETTING}%`,
  useMonitor: true,
  retry: { strategy: 'fixedDelay', maxRetryCount: 1, delayInterval: { minutes: 5 } },
  handler: (timer, context) => qualityCheck(timer, context),
});
