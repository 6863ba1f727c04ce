// The portable model-quality job as a Cloud Functions (gen2) HTTP function: Cloud Scheduler calls it with an OIDC
// token, it evaluates one window with the QUALITY_* settings of its environment (lib/core qualityJobEnvironment,
// LOG_FORMAT=gcp) against gs:// capture and ground-truth folders, and answers how the run ended. Deployed from this
// bundle by Terraform: nothing is downloaded when it runs.
import { LOG_FORMATS, type LogFormat } from '../drift/emitters';
import { JobConfigError } from '../shared/job-options';
import { EXIT_ERROR, runQualityJob, type QualityJobDeps } from '../quality/quality-job';
import { qualityErrorLine } from '../quality/quality-emitters';
import { parseQualityJobArgs } from '../quality/quality-options';

/** The part of the Functions Framework (Express) request the function reads. */
export interface QualityRequest {
  /** Parsed JSON: `{ "windowEnd": "<ISO time>" }` re-evaluates a past window; anything else is ignored. */
  readonly body?: unknown;
}

/** The part of the Functions Framework (Express) response the function writes. */
export interface QualityResponse {
  status(code: number): { send(body?: string): unknown };
}

export interface QualityFunctionDeps extends QualityJobDeps {
  /** @default - process.env, read at each call */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Builds the HTTP handler. A finished run answers 200, also when a threshold crossed (the alerts read its
 * `quality_summary` line; the stack sets QUALITY_EXIT_CODE=0). A job error or a bad configuration answers 500 after its
 * `quality_job_error` line, so Cloud Scheduler records a failed attempt (and retries once).
 */
export function createQualityFunction(deps: QualityFunctionDeps = {}): (req: QualityRequest, res: QualityResponse) => Promise<void> {
  const write = deps.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return async (req, res) => {
    const env: NodeJS.ProcessEnv = { ...(deps.env ?? process.env), ...windowEndOf(req.body) };
    let exitCode: number;
    try {
      exitCode = await runQualityJob(parseQualityJobArgs([], env), { ...deps, write });
    } catch (error) {
      if (!(error instanceof JobConfigError)) throw error;
      const requested = env.LOG_FORMAT as LogFormat | undefined;
      write(JSON.stringify(qualityErrorLine(env.MODEL_NAME ?? '', error.message, requested && LOG_FORMATS.includes(requested) ? requested : 'json', (deps.now ?? (() => new Date()))())));
      exitCode = EXIT_ERROR;
    }
    res.status(exitCode === EXIT_ERROR ? 500 : 200).send(JSON.stringify({ exitCode }));
  };
}

function windowEndOf(body: unknown): { QUALITY_WINDOW_END?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const windowEnd = (body as { windowEnd?: unknown }).windowEnd;
  return typeof windowEnd === 'string' && windowEnd.trim() !== '' ? { QUALITY_WINDOW_END: windowEnd } : {};
}

/** The entry point (`entryPoint: 'qualityJob'`). */
export const qualityJob = (req: QualityRequest, res: QualityResponse): Promise<void> => createQualityFunction()(req, res);
