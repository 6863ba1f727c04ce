// The portable drift job as a Cloud Functions (gen2) HTTP function: Cloud Scheduler calls it with an OIDC token, it
// runs one window with the settings of its environment (lib/core drift-job's driftJobEnvironment) and answers how
// the run ended. Deployed from this bundle by Terraform: nothing is downloaded when it runs.
import { DriftJobConfigError, EXIT_ERROR, parseDriftJobArgs, runDriftJob, type DriftJobDeps } from '../drift/drift-job';
import { errorLine, LOG_FORMATS, type LogFormat } from '../drift/emitters';

/** The part of the Functions Framework (Express) request the function reads. */
export interface DriftRequest {
  /** Parsed JSON for JSON requests: `{ "windowEnd": "<ISO time>" }` re-runs a past hour; anything else is ignored. */
  readonly body?: unknown;
}

/** The part of the Functions Framework (Express) response the function writes. */
export interface DriftResponse {
  status(code: number): { send(body?: string): unknown };
}

export interface DriftFunctionDeps extends DriftJobDeps {
  /** @default - process.env, read at each call */
  readonly env?: NodeJS.ProcessEnv;
}

/** What the function answers: 200 when the run finished (drift or not), 500 when it failed (Cloud Scheduler retries). */
export interface DriftRunResult {
  readonly exitCode: number;
}

/**
 * Builds the HTTP handler. A finished run answers 200, also when it found drift (the alert reads the log lines; the
 * stack sets DRIFT_EXIT_CODE=0). A job error (unreadable baseline, storage error) or a bad configuration answers 500
 * after its `drift_job_error` line, so Cloud Scheduler records a failed attempt and the function's 5xx count alerts.
 */
export function createDriftFunction(deps: DriftFunctionDeps = {}): (req: DriftRequest, res: DriftResponse) => Promise<void> {
  const write = deps.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return async (req, res) => {
    const env: NodeJS.ProcessEnv = { ...(deps.env ?? process.env), ...windowEndOf(req.body) };
    let exitCode: number;
    try {
      exitCode = await runDriftJob(parseDriftJobArgs([], env), { ...deps, write });
    } catch (error) {
      if (!(error instanceof DriftJobConfigError)) throw error;
      const requested = env.LOG_FORMAT as LogFormat | undefined;
      write(JSON.stringify(errorLine(env.MODEL_NAME ?? '', error.message, requested && LOG_FORMATS.includes(requested) ? requested : 'json', (deps.now ?? (() => new Date()))())));
      exitCode = EXIT_ERROR;
    }
    const result: DriftRunResult = { exitCode };
    res.status(exitCode === EXIT_ERROR ? 500 : 200).send(JSON.stringify(result));
  };
}

function windowEndOf(body: unknown): { WINDOW_END?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const windowEnd = (body as { windowEnd?: unknown }).windowEnd;
  return typeof windowEnd === 'string' && windowEnd.trim() !== '' ? { WINDOW_END: windowEnd } : {};
}

/** The entry point (`entryPoint: 'driftJob'`). */
export const driftJob = (req: DriftRequest, res: DriftResponse): Promise<void> => createDriftFunction()(req, res);
