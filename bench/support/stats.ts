export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export const seconds = (ms: number): string => (ms / 1000).toFixed(2);

export const list = (values: readonly number[], digits = 0): string => values.map((value) => value.toFixed(digits)).join(', ');
