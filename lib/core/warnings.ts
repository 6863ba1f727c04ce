// Synth-time warnings that reach the person running the app. cdktf (and aws-cdk-lib outside the CLI) keep
// annotations in the manifest only, so a plain `tsx bin/app.ts` would show nothing: the cloud constructs
// record the annotation AND print it here, once per distinct message, to stderr.

const printed = new Set<string>();

/** Where printed warnings go; tests replace it. */
export let warningSink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

/** Replaces the sink (returns the previous one), e.g. to collect warnings in a test. */
export function setWarningSink(sink: (line: string) => void): (line: string) => void {
  const previous = warningSink;
  warningSink = sink;
  return previous;
}

/**
 * Prints `[deploy-ai-smarter] WARNING <path>: <message>` once per distinct line. Set
 * DEPLOY_AI_SMARTER_QUIET=1 to keep warnings in the manifest only.
 */
export function printSynthWarning(path: string, message: string): void {
  const line = `[deploy-ai-smarter] WARNING ${path}: ${message}`;
  if (printed.has(line) || process.env.DEPLOY_AI_SMARTER_QUIET === '1') return;
  printed.add(line);
  warningSink(line);
}
