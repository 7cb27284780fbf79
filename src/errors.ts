/**
 * Every failure a user can meet is one named kind with a plain message.
 * The kind is stored on sources, shown in `sources status`, logs and `/api/sources`,
 * and mapped once to exit codes (CLI) and HTTP statuses (server).
 */
export const ERROR_KINDS = [
  // fetching
  'Timeout',
  'TooLarge',
  'TooManyRedirects',
  'RedirectLoop',
  'BlockedAddress',
  'BadUrl',
  'Http4xx',
  'Http5xx',
  'Tls',
  'Dns',
  'Network',
  'NotAFeed',
  'Decode',
  // parsing and extraction
  'ParseError',
  'NoArticle',
  /** A source's declarative mapping (html selectors, json paths) found nothing on the page. */
  'MappingError',
  // configuration and usage
  'ConfigError',
  'UsageError',
  'QueryError',
  'NotFound',
  // storage
  'StoreError',
  'Locked',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export class SecwireError extends Error {
  readonly kind: ErrorKind;
  /** Extra machine-readable facts (status code, url, suggested feed URL...). */
  readonly details: Record<string, unknown>;

  constructor(kind: ErrorKind, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = kind;
    this.kind = kind;
    this.details = details;
  }

  toJSON(): { kind: ErrorKind; message: string } & Record<string, unknown> {
    return { kind: this.kind, message: this.message, ...this.details };
  }
}

/** A configuration error always names the file, the line and the key. */
export class ConfigError extends SecwireError {
  readonly file: string;
  readonly line: number | null;
  readonly key: string;

  constructor(file: string, line: number | null, key: string, problem: string) {
    super('ConfigError', `${file}${line !== null ? `:${line}` : ''}: ${key}: ${problem}`, { file, line, key });
    this.file = file;
    this.line = line;
    this.key = key;
  }
}

export function isSecwireError(error: unknown): error is SecwireError {
  return error instanceof SecwireError;
}

/** Wraps anything thrown into a SecwireError so callers deal with one shape. */
export function toSecwireError(error: unknown, fallback: ErrorKind = 'Network'): SecwireError {
  if (error instanceof SecwireError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SecwireError(fallback, message, {}, { cause: error });
}

export const EXIT = { ok: 0, failure: 1, usage: 2, partial: 4 } as const;

export function exitCodeFor(error: unknown): number {
  if (error instanceof SecwireError) {
    if (error.kind === 'ConfigError' || error.kind === 'UsageError' || error.kind === 'QueryError' || error.kind === 'Locked') return EXIT.usage;
  }
  return EXIT.failure;
}

export function httpStatusFor(error: unknown): number {
  if (error instanceof SecwireError) {
    switch (error.kind) {
      case 'QueryError':
      case 'UsageError':
      case 'BadUrl':
        return 400;
      case 'NotFound':
        return 404;
      default:
        return 500;
    }
  }
  return 500;
}
