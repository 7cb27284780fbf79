import type { Store } from '../store/store.js';

export interface HealthOptions {
  store: Store;
  /** 503 when no fetch has succeeded for this long (counted from start-up before the first success); null: never. */
  windowMs: number | null;
  startedAt: Date;
  now?: () => Date;
}

export interface HealthReport {
  httpStatus: 200 | 503;
  body: {
    status: 'ok' | 'stale' | 'unavailable';
    lastSuccessAt: string | null;
    lastCycleAt: string | null;
    articles: number | null;
    windowSeconds: number | null;
    error?: string;
  };
}

/** What `GET /healthz` answers: a load balancer or systemd watchdog reads the status, a person the body. */
export function healthReport(options: HealthOptions): HealthReport {
  const windowSeconds = options.windowMs === null ? null : Math.round(options.windowMs / 1000);
  let articles: number;
  let lastSuccessAt: string | null;
  let lastCycleAt: string | null;
  try {
    articles = options.store.articleCount();
    lastSuccessAt = options.store.meta('last_success_at');
    lastCycleAt = options.store.meta('last_cycle_at');
  } catch (error) {
    return { httpStatus: 503, body: { status: 'unavailable', lastSuccessAt: null, lastCycleAt: null, articles: null, windowSeconds, error: `database unusable: ${(error as Error).message}` } };
  }
  const body = { lastSuccessAt, lastCycleAt, articles, windowSeconds };
  if (options.windowMs !== null) {
    const now = (options.now?.() ?? new Date()).getTime();
    const since = Math.max(lastSuccessAt ? Date.parse(lastSuccessAt) : 0, options.startedAt.getTime());
    if (now - since > options.windowMs) {
      return { httpStatus: 503, body: { status: 'stale', ...body, error: `no fetch has succeeded for more than ${windowSeconds} s` } };
    }
  }
  return { httpStatus: 200, body: { status: 'ok', ...body } };
}
