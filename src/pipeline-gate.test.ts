import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createGate } from './pipeline-gate.js';

/** A full collection on demand: the flag makes `gc` exist in contexts created from now on. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createGate', () => {
  it('runs at most `limit` tasks at once, in the order they came', async () => {
    const gate = createGate(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        gate.run(async () => {
          started.push(index);
          running += 1;
          most = Math.max(most, running);
          for (let i = 0; i <= index % 4; i += 1) await tick();
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(3);
    expect(started).toEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  it('frees the slot of a task that fails', async () => {
    const gate = createGate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.run(async () => 'next')).resolves.toBe('next');
  });

  it('keeps nothing of a finished task while others still wait', async () => {
    const gate = createGate(1);
    const results: WeakRef<object>[] = [];
    let unblock: () => void = () => undefined;
    const blocker = new Promise<void>((resolve) => (unblock = resolve));
    // 150 tasks finish while the gate stays busy: more than p-queue's queue keeps before it compacts.
    const finished = Array.from({ length: 150 }, () =>
      gate.run(async () => {
        const result = { payload: new Array(1000).fill(0) };
        results.push(new WeakRef(result));
        return result;
      }),
    );
    const waiting = gate.run(() => blocker);
    const later = gate.run(async () => 'later');
    await Promise.all(finished.map((promise) => promise.then(() => undefined)));
    finished.length = 0;
    await tick();
    collectGarbage();
    expect(results).toHaveLength(150);
    expect(results.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    unblock();
    await waiting;
    await expect(later).resolves.toBe('later');
  });
});
