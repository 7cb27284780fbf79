import { availableParallelism, cpus, loadavg, totalmem, release } from 'node:os';

export function machineDescription(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${availableParallelism()} cores (${model}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB memory, Linux ${release()}, Node ${process.version}`;
}

export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
}
