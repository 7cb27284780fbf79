import { SecwireError } from '../errors.js';
import { parseRetryAfter } from './http-errors.js';

export interface NextFetchInput {
  now: Date;
  outcome: 'ok' | 'not-modified' | 'error';
  /** Response headers, lower-cased names (empty after a network error). */
  headers: Record<string, string>;
  errorKind?: string;
  /** From the error's details (Http4xx/Http5xx `retryAfterMs`). */
  retryAfterMs?: number | null;
  /** The feed's `<ttl>` / `sy:updatePeriod`, in minutes. */
  ttlMinutes: number | null;
  /** Published dates of the feed's recent items (ISO 8601). */
  recentItemDates: string[];
  /** Including the failure being recorded now. */
  consecutiveErrors: number;
  /** The source's schedule period: never fetched more often. */
  minIntervalMs: number;
  /** Never fetched less often. */
  maxIntervalMs: number;
  /** For tests; defaults to Math.random. */
  random?: () => number;
}

export interface NextFetch {
  at: Date;
  reason: string;
}

const MINUTE_MS = 60_000;
/** Recent items looked at to learn a feed's posting rhythm. */
const RHYTHM_SAMPLE = 20;
/** Fewer dated items than this say nothing about a rhythm. */
const RHYTHM_MIN_ITEMS = 3;
/** Each backoff step is scaled by a random factor in [1 - JITTER, 1 + JITTER]; below 1/3 the steps still grow. */
const BACKOFF_JITTER = 0.2;

function cacheControlMaxAgeMs(headers: Record<string, string>): number | null {
  const directives = (headers['cache-control'] ?? '').toLowerCase();
  if (/\b(no-store|no-cache)\b/.test(directives)) return null;
  const maxAge = /\bmax-age\s*=\s*"?(\d+)/.exec(directives);
  return maxAge?.[1] === undefined ? null : Number(maxAge[1]) * 1000;
}

/** Expires relative to the server's own Date header when it has one, so clock skew does not count. */
function expiresMs(headers: Record<string, string>, now: Date): number | null {
  const expires = Date.parse(headers['expires'] ?? '');
  if (Number.isNaN(expires)) return null;
  const serverNow = Date.parse(headers['date'] ?? '');
  return Math.max(0, expires - (Number.isNaN(serverNow) ? now.getTime() : serverNow));
}

/**
 * Half the median gap between recent items: a feed that posts every 6 hours is checked every 3, so a new item
 * waits 1.5 hours on average. The median ignores a burst or a holiday.
 */
function rhythmMs(dates: string[], now: Date): number | null {
  const times = dates
    .map((date) => Date.parse(date))
    .filter((time) => !Number.isNaN(time) && time <= now.getTime() + 24 * 60 * MINUTE_MS)
    .sort((a, b) => b - a)
    .slice(0, RHYTHM_SAMPLE);
  if (times.length < RHYTHM_MIN_ITEMS) return null;
  const gaps = times.slice(1).map((time, index) => (times[index] ?? time) - time).sort((a, b) => a - b);
  const middle = Math.floor(gaps.length / 2);
  const median = gaps.length % 2 === 1 ? (gaps[middle] ?? 0) : ((gaps[middle - 1] ?? 0) + (gaps[middle] ?? 0)) / 2;
  return median / 2;
}

function describeMs(ms: number): string {
  if (ms < 2 * MINUTE_MS) return `${Math.round(ms / 1000)} s`;
  if (ms < 120 * MINUTE_MS) return `${Math.round(ms / MINUTE_MS)} min`;
  return `${(ms / (60 * MINUTE_MS)).toFixed(1).replace(/\.0$/, '')} h`;
}

/**
 * When to fetch a source next. Successes follow, in order, Retry-After, Cache-Control max-age / Expires, the
 * feed's ttl, then its posting rhythm; failures follow Retry-After, else back off exponentially with jitter.
 * The result always lies within [minIntervalMs, maxIntervalMs] from now.
 */
export function computeNextFetch(input: NextFetchInput): NextFetch {
  const { now, headers, minIntervalMs } = input;
  const maxIntervalMs = Math.max(input.maxIntervalMs, minIntervalMs);
  const random = input.random ?? Math.random;
  const bounded = (ms: number, reason: string): NextFetch => {
    let delay = ms;
    let why = reason;
    if (delay < minIntervalMs) {
      delay = minIntervalMs;
      why += `, raised to the schedule period (${describeMs(minIntervalMs)})`;
    } else if (delay > maxIntervalMs) {
      delay = maxIntervalMs;
      why += `, capped at the maximum interval (${describeMs(maxIntervalMs)})`;
    }
    return { at: new Date(now.getTime() + delay), reason: why };
  };

  const retryAfterMs = input.retryAfterMs ?? parseRetryAfter(headers['retry-after'], now);
  if (retryAfterMs !== null && retryAfterMs !== undefined) {
    return bounded(retryAfterMs, `the server asked to retry after ${describeMs(retryAfterMs)} (Retry-After)`);
  }

  if (input.outcome === 'error') {
    const errors = Math.max(1, input.consecutiveErrors);
    // Capped before jitter so the exponent cannot overflow into Infinity for long-dead sources.
    const step = Math.min(maxIntervalMs, minIntervalMs * 2 ** Math.min(errors - 1, 40));
    const jittered = step * (1 + BACKOFF_JITTER * (2 * random() - 1));
    const kind = input.errorKind === undefined ? '' : ` (${input.errorKind})`;
    return bounded(jittered, `backing off after ${errors} consecutive error${errors === 1 ? '' : 's'}${kind}: ${describeMs(jittered)}`);
  }

  const maxAge = cacheControlMaxAgeMs(headers);
  if (maxAge !== null) return bounded(maxAge, `Cache-Control max-age ${describeMs(maxAge)}`);
  const expires = expiresMs(headers, now);
  if (expires !== null) return bounded(expires, `Expires in ${describeMs(expires)}`);
  if (input.ttlMinutes !== null && input.ttlMinutes > 0) {
    return bounded(input.ttlMinutes * MINUTE_MS, `feed ttl ${describeMs(input.ttlMinutes * MINUTE_MS)}`);
  }
  const rhythm = rhythmMs(input.recentItemDates, now);
  if (rhythm !== null) return bounded(rhythm, `posting rhythm: half the median gap between items, ${describeMs(rhythm)}`);
  return bounded(minIntervalMs, `schedule period ${describeMs(minIntervalMs)}`);
}

const FIELD_RANGES: Array<{ name: string; min: number; max: number; names?: string[] }> = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

function cronError(expression: string, problem: string): SecwireError {
  return new SecwireError('ConfigError', `schedule "${expression}" is not a valid cron expression: ${problem}`, { key: 'schedule', expression });
}

/** The set of values one cron field allows: `*`, `5`, `1-5`, `*\/15`, `10-50/10`, `mon-fri`, lists of these. */
function expandField(expression: string, text: string, range: (typeof FIELD_RANGES)[number]): Set<number> {
  const values = new Set<number>();
  const toNumber = (token: string): number => {
    const named = range.names?.indexOf(token.toLowerCase()) ?? -1;
    const value = named >= 0 ? named + (range.min === 1 ? 1 : 0) : /^\d+$/.test(token) ? Number(token) : Number.NaN;
    if (Number.isNaN(value) || value < range.min || value > range.max) throw cronError(expression, `bad ${range.name} "${token}"`);
    return value;
  };
  for (const part of text.split(',')) {
    const [span = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw cronError(expression, `bad step in ${range.name} "${part}"`);
    let from = range.min;
    let to = range.max;
    if (span !== '*') {
      const [low = '', high] = span.split('-');
      from = toNumber(low);
      to = high === undefined ? (stepText === undefined ? from : range.max) : toNumber(high);
    }
    if (from > to) throw cronError(expression, `empty range in ${range.name} "${part}"`);
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}

const DAY_MS = 86_400_000;
/** Four years hold every month / day-of-month pattern, 29 February included; weekly patterns repeat far sooner. */
const SCAN_DAYS = 4 * 366 + 7;

/**
 * The shortest gap between two runs of a cron expression (5 fields, or 6 with seconds first), in milliseconds:
 * `*\/15 * * * *` gives 15 minutes, `0 9 * * 1-5` one day. Used as the floor of a source's fetch interval.
 */
export function scheduleIntervalMs(cronExpr: string): number {
  const known = intervalsByExpression.get(cronExpr);
  if (known !== undefined) return known;
  const interval = shortestGapMs(cronExpr);
  intervalsByExpression.set(cronExpr, interval);
  return interval;
}

/**
 * Every ingest asks for its source's interval, and working it out scans four years of days (~1 ms, 0.5 s of a
 * 500-source fetch): each expression is worked out once. The expressions come from the configuration, a few.
 */
const intervalsByExpression = new Map<string, number>();

function shortestGapMs(cronExpr: string): number {
  const expression = cronExpr.trim();
  const fields = expression.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw cronError(expression, 'expected 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first');
  }
  const [second = '0', minute = '*', hour = '*', dayOfMonth = '*', month = '*', dayOfWeek = '*'] =
    fields.length === 6 ? fields : ['0', ...fields];
  const ranges = FIELD_RANGES;
  const [secondRange, minuteRange, hourRange, domRange, monthRange, dowRange] = ranges as [
    (typeof ranges)[number], (typeof ranges)[number], (typeof ranges)[number],
    (typeof ranges)[number], (typeof ranges)[number], (typeof ranges)[number],
  ];
  const seconds = [...expandField(expression, second, secondRange)];
  const minutes = [...expandField(expression, minute, minuteRange)];
  const hours = [...expandField(expression, hour, hourRange)];
  const days = expandField(expression, dayOfMonth, domRange);
  const months = expandField(expression, month, monthRange);
  const weekdays = new Set([...expandField(expression, dayOfWeek, dowRange)].map((day) => day % 7));

  const timesOfDay = hours
    .flatMap((h) => minutes.flatMap((m) => seconds.map((s) => (h * 3600 + m * 60 + s) * 1000)))
    .sort((a, b) => a - b);
  let shortest = Number.POSITIVE_INFINITY;
  for (let index = 1; index < timesOfDay.length; index += 1) {
    shortest = Math.min(shortest, (timesOfDay[index] ?? 0) - (timesOfDay[index - 1] ?? 0));
  }
  const firstOfDay = timesOfDay[0] ?? 0;
  const lastOfDay = timesOfDay[timesOfDay.length - 1] ?? 0;
  // Vixie cron: when both day fields are restricted, a day matches either of them.
  const eitherDay = !dayOfMonth.startsWith('*') && !dayOfWeek.startsWith('*');
  const start = Date.UTC(2024, 0, 1);
  let previousDayStart: number | null = null;
  let runDays = 0;
  for (let day = 0; day < SCAN_DAYS; day += 1) {
    const dayStart = start + day * DAY_MS;
    const date = new Date(dayStart);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const domMatch = days.has(date.getUTCDate());
    const dowMatch = weekdays.has(date.getUTCDay());
    if (!(eitherDay ? domMatch || dowMatch : domMatch && dowMatch)) continue;
    runDays += 1;
    if (previousDayStart !== null) shortest = Math.min(shortest, dayStart + firstOfDay - (previousDayStart + lastOfDay));
    previousDayStart = dayStart;
  }
  if (runDays === 0 || !Number.isFinite(shortest)) throw cronError(expression, 'it never runs twice');
  return shortest;
}
