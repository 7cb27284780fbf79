/**
 * At most `limit` tasks at once, first come first served, and nothing kept of a task once it has started.
 * The article phase lives as long as the process (a daemon, a 200-source fetch) and its tasks resolve to every
 * draft of a source: p-queue 9 keeps started tasks in its queue until it compacts (after 100 of them), and
 * with them their results, so bench:ingest held the drafts of up to 100 stored sources (2,350 drafts, ~90 MB
 * live at 10,000 pages).
 */
export interface Gate {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createGate(limit: number): Gate {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    // The slot passes to the next waiter as it is; with none waiting it frees up.
    if (next) next();
    else running -= 1;
  };
  return {
    async run(task) {
      if (running < limit) running += 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
