// What a `deploy-ai-smarter <command>` is, apart from the dispatcher (lib/cli.ts) so commands that live with their
// runtime code (quality, explain) can implement it without importing the dispatcher that registers them.

/** Where a command writes; tests pass buffers. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

export interface CliCommand {
  /** One line for the command list. */
  readonly summary: string;
  readonly usage: string;
  /** Returns the process exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

