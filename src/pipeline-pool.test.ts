import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SecwireError } from './errors.js';
import { createWorkerPool, WorkerStopped } from './pipeline-pool.js';

/** A worker script speaking the pool's protocol; `body` answers one job `{ id, job }`. */
function workerScript(body: string, beforeReady = ''): URL {
  const file = join(mkdtempSync(join(tmpdir(), 'secwire-pool-')), 'worker.mjs');
  writeFileSync(
    file,
    `import { parentPort, threadId } from 'node:worker_threads';
${beforeReady}
let running = 0;
parentPort.on('message', async ({ id, job }) => { running += 1; ${body} running -= 1; });
parentPort.postMessage({ ready: true });
`,
  );
  return pathToFileURL(file);
}

type Job = { n: number; wait?: number; fail?: boolean; exit?: boolean; group?: string };

const echo = workerScript(`
  if (job.exit) process.exit(3);
  if (job.wait) await new Promise((done) => setTimeout(done, job.wait));
  if (job.fail) parentPort.postMessage({ id, error: { kind: 'NoArticle', message: 'nothing on page ' + job.n } });
  else parentPort.postMessage({ id, result: { n: job.n * 2, thread: threadId, running } });
`);

describe('worker pool', () => {
  it('answers every job with its own result, on at most `size` threads', async () => {
    const pool = createWorkerPool<Job, { n: number; thread: number; running: number }>(echo, 2, { jobsPerWorker: 2 });
    try {
      const results = await Promise.all(Array.from({ length: 40 }, (_, n) => pool.run({ n, wait: n % 3 })));
      expect(results.map((r) => r.n)).toEqual(Array.from({ length: 40 }, (_, n) => n * 2));
      const threads = new Set(results.map((r) => r.thread));
      expect(threads.size).toBeGreaterThanOrEqual(1);
      expect(threads.size).toBeLessThanOrEqual(2);
      // At most two jobs are handed to one worker at a time.
      expect(Math.max(...results.map((r) => r.running))).toBeLessThanOrEqual(2);
    } finally {
      await pool.close();
    }
  });

  it('rejects a job that failed in the worker with its error kind, and goes on with the others', async () => {
    const pool = createWorkerPool<Job, { n: number }>(echo, 1);
    try {
      const [failed, ok] = await Promise.allSettled([pool.run({ n: 1, fail: true }), pool.run({ n: 2 })]);
      expect(failed.status).toBe('rejected');
      const error = (failed as PromiseRejectedResult).reason as SecwireError;
      expect(error).toBeInstanceOf(SecwireError);
      expect(error.kind).toBe('NoArticle');
      expect(ok).toMatchObject({ status: 'fulfilled', value: { n: 4 } });
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies fails only the jobs it held; a new worker takes the rest', async () => {
    const pool = createWorkerPool<Job, { n: number }>(echo, 1);
    try {
      const crashed = pool.run({ n: 1, exit: true });
      const after = pool.run({ n: 5, wait: 5 });
      const error = await crashed.catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(WorkerStopped);
      expect((error as WorkerStopped).startFailed).toBe(false);
      // The job sent along with the crashing one may be lost with it; a later one runs on a new worker.
      await after.catch(() => undefined);
      expect(await pool.run({ n: 7 })).toMatchObject({ n: 14 });
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies fails only the job it was running; the jobs it held but had not started run elsewhere', async () => {
    const pool = createWorkerPool<Job, { n: number }>(echo, 1, { jobsPerWorker: 8 });
    try {
      const crashed = pool.run({ n: 1, exit: true });
      const held = Array.from({ length: 5 }, (_, n) => pool.run({ n: n + 2 }));
      await expect(crashed).rejects.toBeInstanceOf(WorkerStopped);
      expect((await Promise.all(held)).map((r) => r.n)).toEqual([4, 6, 8, 10, 12]);
    } finally {
      await pool.close();
    }
  });

  it('hands out the jobs of the group seen first before those of later groups, in order within a group', async () => {
    const order: number[] = [];
    const pool = createWorkerPool<Job, { n: number }>(echo, 1, { jobsPerWorker: 1, groupOf: (job) => job.group ?? '' });
    try {
      // The first job goes straight to the worker; the rest wait and leave by group, a before b.
      const jobs = [
        { n: 1, group: 'b', wait: 20 },
        { n: 2, group: 'a' },
        { n: 3, group: 'b' },
        { n: 4, group: 'a' },
        { n: 5, group: 'c' },
        { n: 6, group: 'b' },
      ];
      // Group b is seen first (job 1), so its waiting jobs lead: 3, 6, then a's 2, 4, then c's 5.
      await Promise.all(jobs.map((job) => pool.run(job).then(() => order.push(job.n))));
      expect(order).toEqual([1, 3, 6, 2, 4, 5]);
    } finally {
      await pool.close();
    }
  });

  it('a worker script that cannot load fails every job as startFailed instead of respawning forever', async () => {
    const pool = createWorkerPool<Job, { n: number }>(workerScript('', "throw new Error('bad build');"), 2);
    try {
      const results = await Promise.allSettled([pool.run({ n: 1 }), pool.run({ n: 2 }), pool.run({ n: 3 })]);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toMatchObject({ startFailed: true });
      }
      await expect(pool.run({ n: 4 })).rejects.toBeInstanceOf(WorkerStopped);
    } finally {
      await pool.close();
    }
  });
});
