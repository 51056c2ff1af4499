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
