import { DEFAULT_USER_AGENT } from '../version.js';
import type { FetchConfig } from './types.js';

/** The `fetch:` defaults of INTERFACE.md; configuration overrides any of them. */
export const DEFAULT_FETCH_CONFIG: FetchConfig = {
  userAgent: DEFAULT_USER_AGENT,
  timeoutMs: 20_000,
  headersTimeoutMs: 10_000,
  maxBytes: 10_485_760,
  maxRedirects: 5,
  concurrency: 16,
  perHostConcurrency: 2,
  perHostDelayMs: 0,
  allowPrivateHosts: [],
  proxy: null,
};

const HOUR_MS = 3_600_000;

/** A source is never fetched less often than this, whatever its feed or server says. */
export const DEFAULT_SCHEDULE_BOUNDS = { maxIntervalMs: 24 * HOUR_MS } as const;
