// `npm run review` (and `tsx scripts/review.ts --costs-only` after synth): see lib/review/cli.ts for options.
import { runReviewCli } from '../lib/review/cli';

runReviewCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
