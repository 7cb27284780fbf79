/**
 * Runs a command under GNU time (`/usr/bin/time`, Debian package `time`) for what the kernel counted: peak
 * resident memory, CPU seconds and blocks written, which a parent process cannot see otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface TimedRun {
  wallMs: number;
  cpuSeconds: number;
  peakRssMb: number;
  /** 512-byte blocks written to the file system (GNU time %O). */
  blocksWritten: number;
  status: number | null;
  stdout: string;
  stderr: string;
}

export const hasGnuTime = (): boolean => existsSync('/usr/bin/time');

export function timedRun(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; statsFile: string }): TimedRun {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', '%U %S %M %O', '-o', options.statsFile, command, ...args], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 512 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  if (run.error !== undefined) throw run.error;
  const last = readFileSync(options.statsFile, 'utf8').trim().split('\n').at(-1) ?? '';
  const [user = Number.NaN, system = Number.NaN, maxKb = Number.NaN, outputs = Number.NaN] = last.split(' ').map(Number);
  return { wallMs, cpuSeconds: user + system, peakRssMb: maxKb / 1024, blocksWritten: outputs, status: run.status, stdout: run.stdout.toString('utf8'), stderr: run.stderr.toString('utf8') };
}
