// Entry of the drift job container and of `node assets/drift-job/index.js`: flags and environment in,
// JSON log lines out, exit code 0 (no drift), 1 (drift or violations) or 2 (job error).
import { DRIFT_JOB_USAGE, DriftJobConfigError, EXIT_ERROR, parseDriftJobArgs, runDriftJob } from '../drift/drift-job';
import { LOG_FORMATS, LogFormat, errorLine } from '../drift/emitters';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${DRIFT_JOB_USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = parseDriftJobArgs(argv, process.env);
  } catch (error) {
    if (!(error instanceof DriftJobConfigError)) throw error;
    process.stderr.write(`${error.message}\n\n${DRIFT_JOB_USAGE}\n`);
    // Still one parseable line in the log pipeline, in the requested format when that much is valid.
    const requested = process.env.LOG_FORMAT as LogFormat | undefined;
    const format = requested && LOG_FORMATS.includes(requested) ? requested : 'json';
    process.stdout.write(`${JSON.stringify(errorLine(process.env.MODEL_NAME ?? '', error.message, format, new Date()))}\n`);
    return EXIT_ERROR;
  }
  return runDriftJob(config);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = EXIT_ERROR;
  },
);
