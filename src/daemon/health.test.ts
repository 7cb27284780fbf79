import { describe, expect, it } from 'vitest';
import { openStore } from '../store/store.js';
import { parseDuration } from './duration.js';
import { healthReport } from './health.js';

describe('healthReport', () => {
  const startedAt = new Date('2026-03-01T00:00:00Z');
  const at = (iso: string) => () => new Date(iso);

  it('is ok within the window of start-up or of the last success, stale after it', () => {
    const store = openStore(':memory:');
    expect(healthReport({ store, windowMs: 3_600_000, startedAt, now: at('2026-03-01T00:59:00Z') }).httpStatus).toBe(200);
    const stale = healthReport({ store, windowMs: 3_600_000, startedAt, now: at('2026-03-01T01:01:00Z') });
    expect(stale.httpStatus).toBe(503);
    expect(stale.body.status).toBe('stale');
    store.setMeta('last_success_at', '2026-03-01T01:00:00Z');
    const ok = healthReport({ store, windowMs: 3_600_000, startedAt, now: at('2026-03-01T01:30:00Z') });
    expect(ok).toMatchObject({ httpStatus: 200, body: { status: 'ok', lastSuccessAt: '2026-03-01T01:00:00Z', articles: 0, windowSeconds: 3600 } });
    expect(healthReport({ store, windowMs: null, startedAt, now: at('2030-01-01T00:00:00Z') }).httpStatus).toBe(200);
    store.close();
  });

  it('is unavailable when the database cannot be queried', () => {
    const store = openStore(':memory:');
    store.close();
    const report = healthReport({ store, windowMs: null, startedAt });
    expect(report.httpStatus).toBe(503);
    expect(report.body.status).toBe('unavailable');
    expect(report.body.error).toMatch(/database unusable/);
  });
});

describe('parseDuration', () => {
  it('reads a number and a unit, and names the flag when it cannot', () => {
    expect(parseDuration('180d')).toBe(180 * 86_400_000);
    expect(parseDuration('2s')).toBe(2_000);
    expect(parseDuration('12H')).toBe(12 * 3_600_000);
    expect(() => parseDuration('soon', '--older-than')).toThrow(/--older-than: "soon" is not a duration/);
    expect(() => parseDuration('0d')).toThrow(/not a duration/);
  });
});
