// Lambda entry of the portable model-quality job (AWS): runs one window with the QUALITY_* settings in the
// function's environment and writes an EMF line to stdout, which CloudWatch Logs turns into metrics.
import { JobConfigError } from '../shared/job-options';
import { EXIT_ERROR, runQualityJob } from '../quality/quality-job';
import { qualityErrorLine } from '../quality/quality-emitters';
import { parseQualityJobArgs } from '../quality/quality-options';

/** The scheduled event is ignored except for an optional window end (for re-running a past window by hand). */
export interface QualityLambdaEvent {
  /** ISO 8601 end of the window to evaluate. @default - the start of the current UTC hour minus the label delay */
  readonly windowEnd?: string;
}

export interface QualityLambdaResult {
  /** 0: ok; 1: a threshold crossed (only with QUALITY_EXIT_CODE=1). */
  readonly exitCode: number;
}

/**
 * Runs one quality window. A job error (unreadable storage, bad settings) throws after its `quality_job_error`
 * line, so the function's Errors metric (and an alarm on it) sees it; a crossed threshold is a successful run whose
 * metrics the alarms read. Lines go through process.stdout.write, which the Node.js runtime passes on unchanged
 * (only console.* output is wrapped), so the EMF lines stay parseable.
 */
export async function handler(event: QualityLambdaEvent | undefined): Promise<QualityLambdaResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...(event?.windowEnd ? { QUALITY_WINDOW_END: event.windowEnd } : {}) };
  let config;
  try {
    config = parseQualityJobArgs([], env);
  } catch (error) {
    if (!(error instanceof JobConfigError)) throw error;
    process.stdout.write(`${JSON.stringify(qualityErrorLine(env.MODEL_NAME ?? '', error.message, 'aws', new Date()))}\n`);
    throw error;
  }
  const exitCode = await runQualityJob(config);
  if (exitCode === EXIT_ERROR) throw new Error('quality job failed: see the quality_job_error line above');
  return { exitCode };
}
