import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The CLI as users run it: the compiled entry point (`npm run test:stress` builds first).
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js');

export interface Running {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts the CLI without blocking this process (the loopback sites it talks to live here). */
export function startCli(args: string[]): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: tmpdir(), env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code, signal) => resolve(signal ? null : code)));
  return { child, stderr: () => stderr, exited };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function until<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Starts `secwire run` and waits until it serves. */
export async function startDaemon(configFile: string): Promise<Running & { url: string }> {
  const daemon = startCli(['run', '--config', configFile, '--log-level', 'info']);
  const url = await until('the daemon to listen', () => /serving (http:\/\/[^/\s]+)\/feeds/.exec(daemon.stderr())?.[1]);
  return { ...daemon, url };
}

/** Resident set size of a process, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) * 1024 : Number.NaN;
}
