// Entry of the model-quality job container and of `node assets/quality-job/index.js`: flags and QUALITY_*
// environment in, one JSON summary line out, exit code 0 (ok), 1 (a threshold crossed) or 2 (job error).
import { LOG_FORMATS, LogFormat } from '../drift/emitters';
import { JobConfigError } from '../shared/job-options';
import { EXIT_ERROR, runQualityJob } from '../quality/quality-job';
import { qualityErrorLine } from '../quality/quality-emitters';
import { QUALITY_JOB_USAGE, parseQualityJobArgs } from '../quality/quality-options';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${QUALITY_JOB_USAGE}\n`);
    return 0;
  }
  let config;
  try {
    config = parseQualityJobArgs(argv, process.env);
  } catch (error) {
    if (!(error instanceof JobConfigError)) throw error;
    process.stderr.write(`${error.message}\n\n${QUALITY_JOB_USAGE}\n`);
    // Still one parseable line in the log pipeline, in the requested format when that much is valid.
    const requested = process.env.LOG_FORMAT as LogFormat | undefined;
    const format = requested && LOG_FORMATS.includes(requested) ? requested : 'json';
    process.stdout.write(`${JSON.stringify(qualityErrorLine(process.env.MODEL_NAME ?? '', error.message, format, new Date()))}\n`);
    return EXIT_ERROR;
  }
  return runQualityJob(config);
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
