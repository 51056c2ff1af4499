// The run's one deadline (LIMITS / runDeadlineMs): an AbortSignal every step is given. It can be paused while the
// user types a password, so the time a person takes is never counted against the servers.
export interface RunDeadline {
  readonly signal: AbortSignal;
  readonly ms: number;
  pause(): void;
  resume(): void;
  /** Stops the timer (the run is over). */
  clear(): void;
}

export function startDeadline(ms: number): RunDeadline {
  const c = new AbortController();
  let left = ms;
  let since = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    since = performance.now();
    timer = setTimeout(() => c.abort(new DOMException(`the run's deadline of ${ms} ms passed`, 'TimeoutError')), Math.max(0, left));
    timer.unref();
  };
  arm();
  return {
    signal: c.signal,
    ms,
    pause() {
      if (!timer) return;
      clearTimeout(timer);
      timer = undefined;
      left -= performance.now() - since;
    },
    resume() {
      if (!timer && !c.signal.aborted) arm();
    },
    clear() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * Races `p` against `ms` of real time: an I/O timeout for a library call that has none of its own worth trusting
 * (imapflow's), not a wait on the run's clock. On timeout `onTimeout` runs first (it drops the connection, so nothing
 * keeps running) and the promise rejects with `timeoutError()`.
 */
export async function raceTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => void, timeoutError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          onTimeout();
          reject(timeoutError());
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
