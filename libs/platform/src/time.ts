export class NoAnswerError extends Error {
  override readonly name = 'NoAnswerError';

  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not answer within ${ms} ms`);
  }
}

/** Rejects with NoAnswerError (`${what} did not answer within ${ms} ms`) unless `work` settles first. */
export async function withinTime<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new NoAnswerError(what, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The pause before a retry: 0.5 s, 1 s, … growing by half a second up to 5 s. */
export const retryPause = (attempt: number) => Math.min(500 * attempt, 5_000);

/**
 * Retries `attempt` with a growing pause (0.5 s, 1 s, … up to 5 s) until it succeeds or `stopped()`
 * says to give up. Returns whether it succeeded. Used for start-up work whose dependency may be down.
 */
export async function retryUntilDone(
  attempt: () => Promise<unknown>,
  stopped: () => boolean,
  onFailure: (error: Error, attempt: number) => void | Promise<void>,
): Promise<boolean> {
  for (let count = 1; !stopped(); count += 1) {
    try {
      await attempt();
      return true;
    } catch (error) {
      await onFailure(error as Error, count);
      await sleep(retryPause(count));
    }
  }
  return false;
}
