// Lambda entry of the portable drift job (AWS opt-in, PortableDriftJob): runs one window with the settings in
// the function's environment and writes EMF lines to stdout, which CloudWatch Logs turns into metrics.
import { DriftJobConfigError, EXIT_ERROR, parseDriftJobArgs, runDriftJob } from '../drift/drift-job';
import { errorLine } from '../drift/emitters';

/** The scheduled event is ignored except for an optional window end (for re-running a past hour by hand). */
export interface DriftLambdaEvent {
  /** ISO 8601 end of the window to analyze. @default - the start of the current UTC hour */
  readonly windowEnd?: string;
}

export interface DriftLambdaResult {
  /** 0: no drift; 1: drift or violations (only with DRIFT_EXIT_CODE=1). */
  readonly exitCode: number;
}

/**
 * Runs one drift window. A job error (unreadable baseline, bad settings) throws after its `drift_job_error`
 * line, so the function's Errors metric (and the alarm on it) sees it; drift itself is a successful run.
 * Lines go through process.stdout.write, which the Node.js runtime passes on unchanged in either log format
 * (only console.* output is wrapped), so the EMF lines stay parseable.
 */
export async function handler(event: DriftLambdaEvent | undefined): Promise<DriftLambdaResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...(event?.windowEnd ? { WINDOW_END: event.windowEnd } : {}) };
  let config;
  try {
    config = parseDriftJobArgs([], env);
  } catch (error) {
    if (!(error instanceof DriftJobConfigError)) throw error;
    process.stdout.write(`${JSON.stringify(errorLine(env.MODEL_NAME ?? '', error.message, 'aws', new Date()))}\n`);
    throw error;
  }
  const exitCode = await runDriftJob(config);
  if (exitCode === EXIT_ERROR) throw new Error('drift job failed: see the drift_job_error line above');
  return { exitCode };
}
