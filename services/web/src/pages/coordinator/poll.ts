import { useEffect, useRef, useState } from 'react';

export interface PollOptions<T> {
  load: () => Promise<T>;
  /** True once the value will not change any more: polling stops. */
  finished: (value: T) => boolean;
  onValue: (value: T) => void;
  onError: (error: Error) => void;
  intervalMs?: number;
}

/**
 * Asks `load` until `finished` says so, one request at a time (the next is scheduled only once the
 * previous has answered, so a slow server is never asked twice at once). Returns the stop function.
 * A failed request stops polling: the caller shows the error and offers to try again.
 */
export function poll<T>({ load, finished, onValue, onError, intervalMs = 1000 }: PollOptions<T>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    let value: T;
    try {
      value = await load();
    } catch (error) {
      if (!stopped) onError(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (stopped) return;
    onValue(value);
    if (!finished(value)) timer = setTimeout(() => void tick(), intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}

export type Polled<T> =
  | { state: 'idle' }
  | { state: 'polling'; value?: T }
  | { state: 'finished'; value: T }
  | { state: 'failed'; value?: T; error: Error; retry: () => void };

/** Polls while `key` is not null (e.g. the id of an import or a report); a new key starts over. */
export function usePoll<T>(
  key: string | null,
  load: (key: string) => Promise<T>,
  finished: (value: T) => boolean,
  intervalMs = 1000,
): Polled<T> {
  const [polled, setPolled] = useState<Polled<T>>({ state: 'idle' });
  const [attempt, setAttempt] = useState(0);
  // The latest callbacks, without restarting the poll each render.
  const latest = useRef({ load, finished });
  latest.current = { load, finished };
  useEffect(() => {
    if (key === null) {
      setPolled({ state: 'idle' });
      return;
    }
    // A new key is another thing: its predecessor's value must not stand in for it.
    setPolled({ state: 'polling' });
    let last: T | undefined;
    return poll<T>({
      load: () => latest.current.load(key),
      finished: (value) => latest.current.finished(value),
      intervalMs,
      onValue: (value) => {
        last = value;
        setPolled(
          latest.current.finished(value) ? { state: 'finished', value } : { state: 'polling', value },
        );
      },
      onError: (error) =>
        setPolled({ state: 'failed', value: last, error, retry: () => setAttempt((n) => n + 1) }),
    });
  }, [key, intervalMs, attempt]);
  return polled;
}
