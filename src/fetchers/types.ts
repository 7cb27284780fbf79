/** The contract of the HTTP client every request of secwire goes through. */

export interface FetchConfig {
  userAgent: string;
  /** Whole request, including reading the body: a server that trickles bytes is cut here. */
  timeoutMs: number;
  /** Connect + response headers. */
  headersTimeoutMs: number;
  /** Cap on the body, counted on the raw stream and again after decompression. */
  maxBytes: number;
  maxRedirects: number;
  /** All hosts together. */
  concurrency: number;
  perHostConcurrency: number;
  /** Minimum delay between two requests to one host. */
  perHostDelayMs: number;
  /** Exact `host:port` entries allowed to resolve to loopback/private/link-local addresses. */
  allowPrivateHosts: string[];
  /** Proxy URL; null means HTTPS_PROXY/HTTP_PROXY/NO_PROXY from the environment. */
  proxy: string | null;
}

export type AcceptKind = 'feed' | 'page' | 'json' | 'any';

export interface FetchRequest {
  accept: AcceptKind;
  etag?: string | null;
  lastModified?: string | null;
  signal?: AbortSignal;
}

export interface FetchResponseBase {
  /** The URL after redirects. */
  url: string;
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  etag: string | null;
  lastModified: string | null;
}

export interface FetchNotModified extends FetchResponseBase {
  notModified: true;
}

export interface FetchOk extends FetchResponseBase {
  notModified: false;
  /** Decompressed body bytes (never more than maxBytes). */
  body: Buffer;
  contentType: string | null;
}

export type FetchResult = FetchNotModified | FetchOk;

export interface HttpClient {
  /** Throws SecwireError with kind Timeout, TooLarge, TooManyRedirects, BlockedAddress, Http4xx, Http5xx, Tls, Dns, Network, BadUrl. */
  fetch(url: string, request: FetchRequest): Promise<FetchResult>;
  close(): Promise<void>;
}
