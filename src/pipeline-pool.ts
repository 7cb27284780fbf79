/**
 * A small pool of worker threads for the CPU-bound part of ingest (page extraction, tagging, drafting): the
 * main thread keeps the network and the store, the other cores extract. Workers start when jobs are waiting,
 * each holds at most `jobsPerWorker` at a time, and an idle pool does not keep the process alive.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SecwireError, type ErrorKind } from './errors.js';

/**
 * Jobs handed to one worker ahead of its answers. The main thread stores a source's articles in one synchronous
 * transaction (about 0.2 s for 50 articles); a worker holding only two jobs idled through it, one holding 16
 * pages (about 0.1 s of drafting) mostly does not.
 */
const DEFAULT_JOBS_PER_WORKER = 16;

export interface PoolOptions<Job> {
  jobsPerWorker?: number;
  /**
   * Jobs of the same group (an ingest's source) go out in the order the groups were first seen: one source's
   * pages are drafted before the next one's, so sources finish, and are stored, one after another instead of
   * all together at the end.
   */
  groupOf?: (job: Job) => string;
}

export interface WorkerPool<Job, Result> {
  run(job: Job): Promise<Result>;
  close(): Promise<void>;
}

/** What a worker answers to a job: its id and its result, or the error the job threw. It sends `{ ready: true }` once loaded. */
export type WorkerReply<Result> = { id: number; result: Result } | { id: number; error: { kind: ErrorKind; message: string } };

/** Thrown to a job whose worker stopped while running it (crash, out of memory) or could not start at all. */
export class WorkerStopped extends Error {
  constructor(
    message: string,
    readonly startFailed: boolean,
  ) {
    super(message);
  }
}

interface Pending<Job, Result> {
  id: number;
  /** Order of the job's group, then of the job: lower goes first. */
  rank: number;
  job: Job;
  resolve(result: Result): void;
  reject(error: Error): void;
}

interface Slot<Job, Result> {
  worker: Worker;
  running: Map<number, Pending<Job, Result>>;
  /** The worker said it loaded: a failure before that is the script's, not a job's. */
  started: boolean;
}

/** True when the worker script exists: from TypeScript sources (tests) it does not, and jobs run in-process. */
export function workerScriptExists(script: URL): boolean {
  return existsSync(fileURLToPath(script));
}

export function createWorkerPool<Job, Result>(script: URL, size: number, options: PoolOptions<Job> = {}): WorkerPool<Job, Result> {
  const jobsPerWorker = options.jobsPerWorker ?? DEFAULT_JOBS_PER_WORKER;
  const slots: Slot<Job, Result>[] = [];
  /** Sorted by rank, then id. */
  const waiting: Pending<Job, Result>[] = [];
  const groupRanks = new Map<string, number>();
  let nextId = 0;
  let broken: Error | null = null;

  const rankOf = (job: Job): number => {
    if (!options.groupOf) return 0;
    const group = options.groupOf(job);
    let rank = groupRanks.get(group);
    if (rank === undefined) {
      rank = groupRanks.size;
      groupRanks.set(group, rank);
    }
    return rank;
  };

  const enqueue = (pending: Pending<Job, Result>): void => {
    const after = waiting.findIndex((other) => other.rank > pending.rank || (other.rank === pending.rank && other.id > pending.id));
    if (after < 0) waiting.push(pending);
    else waiting.splice(after, 0, pending);
  };

  const settle = (slot: Slot<Job, Result>, id: number): Pending<Job, Result> | undefined => {
    const pending = slot.running.get(id);
    slot.running.delete(id);
    if (slot.running.size === 0) slot.worker.unref();
    return pending;
  };

  const spawn = (): Slot<Job, Result> => {
    const slot: Slot<Job, Result> = { worker: new Worker(script), running: new Map(), started: false };
    slot.worker.unref();
    slot.worker.on('message', (reply: WorkerReply<Result> | { ready: true }) => {
      if ('ready' in reply) {
        slot.started = true;
        return;
      }
      const pending = settle(slot, reply.id);
      if (pending) {
        if ('result' in reply) pending.resolve(reply.result);
        else pending.reject(new SecwireError(reply.error.kind, reply.error.message));
      }
      pump();
    });
    const stopped = (reason: string): void => {
      const index = slots.indexOf(slot);
      if (index < 0) return;
      slots.splice(index, 1);
      // A worker that never started (missing module, bad build) would fail every job alike.
      if (!slot.started) broken = new WorkerStopped(`ingest worker could not start: ${reason}`, true);
      // A worker drafts its jobs one at a time in the order sent (the map's order): the first was running and
      // stopped it; the others never started and go to another worker.
      const held = [...slot.running.values()];
      slot.running.clear();
      if (broken) for (const pending of held) pending.reject(broken);
      else {
        held[0]?.reject(new WorkerStopped(`ingest worker stopped: ${reason}`, false));
        for (const pending of held.slice(1)) enqueue(pending);
      }
      pump();
    };
    slot.worker.on('error', (error) => stopped(error.message));
    slot.worker.on('exit', (code) => stopped(`exit code ${code}`));
    slots.push(slot);
    return slot;
  };

  const pump = (): void => {
    if (broken) {
      for (const pending of waiting.splice(0)) pending.reject(broken);
      return;
    }
    while (waiting.length > 0) {
      let slot = slots.reduce<Slot<Job, Result> | undefined>((best, candidate) => (candidate.running.size < (best?.running.size ?? jobsPerWorker) ? candidate : best), undefined);
      if (!slot && slots.length < size) slot = spawn();
      if (!slot) return;
      const pending = waiting.shift() as Pending<Job, Result>;
      if (slot.running.size === 0) slot.worker.ref();
      slot.running.set(pending.id, pending);
      slot.worker.postMessage({ id: pending.id, job: pending.job });
    }
  };

  return {
    run(job) {
      return new Promise<Result>((resolve, reject) => {
        enqueue({ id: nextId++, rank: rankOf(job), job, resolve, reject });
        pump();
      });
    },
    async close() {
      const workers = slots.splice(0).map((slot) => slot.worker);
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
