import { readFile } from 'node:fs/promises';
import { SecwireError } from '../errors.js';
import type { FetchConfig } from '../fetchers/types.js';
import { createHttpClient } from '../fetchers/http.js';
import type { Logger } from '../log.js';

export interface LoadedInput {
  bytes: Buffer;
  contentType: string | null;
  /** The URL the content came from (after redirects), or the one given with --url. */
  url: string;
}

/** Reads a command's input: an http(s) URL through the hardened fetcher, a file, or `-` for stdin. */
export async function loadInput(target: string, options: { url?: string | undefined; contentType?: string | undefined; fetch: FetchConfig; logger: Logger; accept: 'feed' | 'page' }): Promise<LoadedInput> {
  if (/^https?:\/\//i.test(target)) {
    const http = createHttpClient(options.fetch, options.logger);
    try {
      const response = await http.fetch(target, { accept: options.accept === 'feed' ? 'any' : 'page' });
      if (response.notModified) throw new SecwireError('Http4xx', `${target} answered 304 to an unconditional request`);
      return { bytes: response.body, contentType: options.contentType ?? response.contentType, url: options.url ?? response.url };
    } finally {
      await http.close();
    }
  }
  let bytes: Buffer;
  try {
    bytes = target === '-' ? await readStdin() : await readFile(target);
  } catch (error) {
    throw new SecwireError('UsageError', `cannot read ${target}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  return { bytes, contentType: options.contentType ?? null, url: options.url ?? 'http://localhost/' };
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
