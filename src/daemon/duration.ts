import { SecwireError } from '../errors.js';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** "180d", "12h", "90m", "30s", "2w" to milliseconds; `what` names the flag or setting in the error. */
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^\s*(\d+)\s*([smhdw])\s*$/i.exec(text);
  const amount = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new SecwireError('UsageError', `${what}: "${text}" is not a duration (a positive number and a unit: s, m, h, d or w, e.g. 180d)`);
  }
  return amount * UNIT_MS[match[2]!.toLowerCase() as keyof typeof UNIT_MS];
}
