/**
 * A small pool of worker threads for the CPU-bound part of ingest (page extraction, tagging, drafting): the
 * main thread keeps the network and the store, the other cores extract. Workers start when jobs are waiting,
 * each takes at most JOBS_PER_WORKER at a time, and an idle pool does not keep the process alive.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SecwireError, type ErrorKind } from './errors.js';

/** Two jobs per worker: one running, one already sent, so a worker never waits for the main thread. */
const JOBS_PER_WORKER = 2;

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

export function createWorkerPool<Job, Result>(script: URL, size: number): WorkerPool<Job, Result> {
  const slots: Slot<Job, Result>[] = [];
  const waiting: Pending<Job, Result>[] = [];
  let nextId = 0;
  let broken: Error | null = null;

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
      for (const pending of slot.running.values()) pending.reject(broken ?? new WorkerStopped(`ingest worker stopped: ${reason}`, false));
      slot.running.clear();
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
      let slot = slots.reduce<Slot<Job, Result> | undefined>((best, candidate) => (candidate.running.size < (best?.running.size ?? JOBS_PER_WORKER) ? candidate : best), undefined);
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
        waiting.push({ id: nextId++, job, resolve, reject });
        pump();
      });
    },
    async close() {
      const workers = slots.splice(0).map((slot) => slot.worker);
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
