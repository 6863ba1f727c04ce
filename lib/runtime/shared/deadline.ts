// Bounds an AWS SDK call in time: aborts the HTTP request and rejects at the deadline, even when the
// underlying promise never settles, so a slow model can never hold a Lambda until its own hard timeout.

/** Rejected by `withDeadline` when the time runs out. */
export class DeadlineExceededError extends Error {
  constructor(public readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

/** Runs `call` with an AbortSignal that fires after `timeoutMs`; rejects with DeadlineExceededError then. */
export async function withDeadline<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineExceededError(timeoutMs));
    }, timeoutMs);
  });
  try {
    // Racing (not only aborting) because an aborted request may take a while to unwind, and a call that
    // ignores the signal must still not outlive the deadline.
    return await Promise.race([call(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The time an invocation may use: the configured timeout, shortened so the handler still has `reserveMs`
 * left to answer before Lambda kills it. Never below `floorMs`.
 */
export function budgetMs(configuredMs: number, remainingMs: number | undefined, reserveMs = 1000, floorMs = 100): number {
  if (remainingMs === undefined || !Number.isFinite(remainingMs)) return configuredMs;
  return Math.max(floorMs, Math.min(configuredMs, remainingMs - reserveMs));
}
