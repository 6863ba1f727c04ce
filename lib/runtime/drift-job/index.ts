// Entry of the drift job container and of `node assets/drift-job/index.js`: flags and environment in,
// JSON log lines out, exit code 0 (no drift), 1 (drift or violations) or 2 (job error).
import { DRIFT_JOB_USAGE, DriftJobConfigError, DriftJobDeps, EXIT_ERROR, parseDriftJobArgs, runDriftJob } from '../drift/drift-job';
import { LOG_FORMATS, LogFormat, errorLine } from '../drift/emitters';

export interface DriftJobIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs the job for `argv` and `env`; returns the exit code. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: DriftJobIo, deps: DriftJobDeps = {}): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout(`${DRIFT_JOB_USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = parseDriftJobArgs(argv, env);
  } catch (error) {
    if (!(error instanceof DriftJobConfigError)) throw error;
    io.stderr(`${error.message}\n\n${DRIFT_JOB_USAGE}\n`);
    // Still one parseable line in the log pipeline, in the requested format when that much is valid.
    const requested = env.LOG_FORMAT as LogFormat | undefined;
    const format = requested && LOG_FORMATS.includes(requested) ? requested : 'json';
    io.stdout(`${JSON.stringify(errorLine(env.MODEL_NAME ?? '', error.message, format, new Date()))}\n`);
    return EXIT_ERROR;
  }
  return runDriftJob(config, { write: (line) => io.stdout(`${line}\n`), ...deps });
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
