import { describe, expect, it } from 'vitest';
import { SecwireError } from '../errors.js';
import { computeNextFetch, scheduleIntervalMs, type NextFetchInput } from './next-fetch.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = new Date('2026-11-30T12:00:00Z');

function input(overrides: Partial<NextFetchInput> = {}): NextFetchInput {
  return {
    now,
    outcome: 'ok',
    headers: {},
    ttlMinutes: null,
    recentItemDates: [],
    consecutiveErrors: 0,
    minIntervalMs: 15 * MIN,
    maxIntervalMs: 24 * HOUR,
    random: () => 0.5,
    ...overrides,
  };
}

function delayOf(overrides: Partial<NextFetchInput>): number {
  return computeNextFetch(input(overrides)).at.getTime() - now.getTime();
}

describe('computeNextFetch', () => {
  it('falls back to the schedule period', () => {
    const next = computeNextFetch(input());
    expect(next.at.getTime() - now.getTime()).toBe(15 * MIN);
    expect(next.reason).toContain('schedule');
  });

  it('honours Retry-After on 429/503 before anything else, within the maximum', () => {
    expect(delayOf({ outcome: 'error', errorKind: 'Http4xx', retryAfterMs: 2 * HOUR, consecutiveErrors: 1 })).toBe(2 * HOUR);
    expect(delayOf({ outcome: 'error', errorKind: 'Http5xx', retryAfterMs: 72 * HOUR, consecutiveErrors: 1 })).toBe(24 * HOUR);
    expect(delayOf({ outcome: 'error', retryAfterMs: 10_000, consecutiveErrors: 1 })).toBe(15 * MIN);
    expect(delayOf({ headers: { 'retry-after': '3600', 'cache-control': 'max-age=60' } })).toBe(HOUR);
  });

  it('uses Cache-Control max-age, then Expires, before the feed ttl', () => {
    expect(delayOf({ headers: { 'cache-control': 'public, max-age=7200' }, ttlMinutes: 30 })).toBe(2 * HOUR);
    expect(
      delayOf({
        headers: { expires: 'Mon, 30 Nov 2026 15:00:00 GMT', date: 'Mon, 30 Nov 2026 14:00:00 GMT' },
        ttlMinutes: 30,
      }),
    ).toBe(HOUR);
    expect(delayOf({ headers: { 'cache-control': 'no-cache, max-age=7200' }, ttlMinutes: 45 })).toBe(45 * MIN);
  });

  it('uses the feed ttl before the posting rhythm', () => {
    const hourly = ['2026-11-30T11:00:00Z', '2026-11-30T10:00:00Z', '2026-11-30T09:00:00Z', '2026-11-30T08:00:00Z'];
    expect(delayOf({ ttlMinutes: 180, recentItemDates: hourly })).toBe(3 * HOUR);
  });

  it('learns the posting rhythm: half the median gap between recent items', () => {
    const everySixHours = ['2026-11-30T06:00:00Z', '2026-11-30T00:00:00Z', '2026-11-29T18:00:00Z', '2026-11-29T12:00:00Z', '2026-11-27T12:00:00Z'];
    const next = computeNextFetch(input({ recentItemDates: everySixHours }));
    expect(next.at.getTime() - now.getTime()).toBe(3 * HOUR);
    expect(next.reason).toContain('rhythm');
  });

  it('keeps every result within [schedule period, maximum]', () => {
    const busy = ['2026-11-30T11:59:00Z', '2026-11-30T11:58:00Z', '2026-11-30T11:57:00Z'];
    expect(delayOf({ recentItemDates: busy })).toBe(15 * MIN);
    const dormant = ['2026-10-01T00:00:00Z', '2026-08-01T00:00:00Z', '2026-06-01T00:00:00Z'];
    expect(delayOf({ recentItemDates: dormant })).toBe(24 * HOUR);
    expect(delayOf({ headers: { 'cache-control': 'max-age=0' } })).toBe(15 * MIN);
  });

  it('backs off exponentially on consecutive errors, up to the maximum', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((errors) =>
      delayOf({ outcome: 'error', errorKind: 'Network', consecutiveErrors: errors }),
    );
    expect(delays.slice(0, 4)).toEqual([15 * MIN, 30 * MIN, 60 * MIN, 120 * MIN]);
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
    expect(delays.at(-1)).toBe(24 * HOUR);
    expect(delayOf({ outcome: 'error', consecutiveErrors: 10_000 })).toBe(24 * HOUR);
  });

  it('jitters the backoff, and the steps still grow whatever the dice say', () => {
    const low = delayOf({ outcome: 'error', consecutiveErrors: 3, random: () => 0 });
    const high = delayOf({ outcome: 'error', consecutiveErrors: 3, random: () => 0.999 });
    expect(low).toBeLessThan(high);
    const nextLow = delayOf({ outcome: 'error', consecutiveErrors: 4, random: () => 0 });
    expect(nextLow).toBeGreaterThan(high);
  });

  it('explains itself', () => {
    expect(computeNextFetch(input({ outcome: 'error', errorKind: 'Timeout', consecutiveErrors: 3 })).reason).toMatch(
      /backing off after 3 consecutive errors \(Timeout\)/,
    );
  });
});

describe('scheduleIntervalMs', () => {
  it.each([
    ['*/15 * * * *', 15 * MIN],
    ['* * * * *', MIN],
    ['0 * * * *', HOUR],
    ['5,35 * * * *', 30 * MIN],
    ['0 */6 * * *', 6 * HOUR],
    ['0 9 * * 1-5', 24 * HOUR],
    ['0 0 * * mon', 7 * 24 * HOUR],
    ['0 0 1 * *', 28 * 24 * HOUR],
    ['10-50/20 * * * *', 20 * MIN],
    ['*/30 * * * * *', 30_000],
  ])('%s runs at most every %i ms', (expression, expected) => {
    expect(scheduleIntervalMs(expression)).toBe(expected);
  });

  it('rejects what is not a cron expression', () => {
    for (const bad of ['every hour', '* * *', '61 * * * *', '0 0 30 2 *', '*/0 * * * *', '5-1 * * * *', '0 0 * * funday']) {
      expect(() => scheduleIntervalMs(bad)).toThrow(SecwireError);
    }
  });

  it('answers a repeated expression the same, and keeps rejecting a bad one (a refusal is not remembered as an interval)', () => {
    expect([scheduleIntervalMs('0 */2 * * *'), scheduleIntervalMs('0 */2 * * *')]).toEqual([2 * HOUR, 2 * HOUR]);
    expect([scheduleIntervalMs(' 0 */2 * * * '), scheduleIntervalMs('0 */3 * * *')]).toEqual([2 * HOUR, 3 * HOUR]);
    for (let attempt = 0; attempt < 2; attempt += 1) expect(() => scheduleIntervalMs('0 0 31 2 *')).toThrow(SecwireError);
  });
});
