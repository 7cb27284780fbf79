import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { SecwireError } from '../errors.js';

type Stage = (source: AsyncIterable<Buffer>) => AsyncIterable<Buffer>;

export type SizeStage = 'content-length' | 'raw' | 'decoded';

export function tooLarge(url: string, maxBytes: number, stage: SizeStage): SecwireError {
  const where = stage === 'decoded' ? 'after decompression' : stage === 'raw' ? 'on the wire' : 'by its Content-Length';
  return new SecwireError('TooLarge', `${url} is larger than the ${maxBytes}-byte limit (fetch.maxBytes) ${where}`, {
    url,
    limit: maxBytes,
    stage,
  });
}

function capped(url: string, maxBytes: number, stage: SizeStage) {
  return async function* count(source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
    let total = 0;
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(url, maxBytes, stage);
      yield chunk;
    }
  };
}

/**
 * "deflate" means zlib-wrapped data by the RFC, but some servers send raw deflate: the first byte tells them
 * apart (a zlib header has compression method 8 in its low nibble and a header checksum divisible by 31).
 */
async function* inflateEither(source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return;
  const head: Buffer = first.value;
  const isZlib = head.length >= 2 && ((head[0] ?? 0) & 0x0f) === 8 && (((head[0] ?? 0) << 8) | (head[1] ?? 0)) % 31 === 0;
  async function* whole(): AsyncIterable<Buffer> {
    yield head;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  yield* through(whole(), isZlib ? createInflate() : createInflateRaw());
}

/** Runs chunks through a zlib stream as they come, so the consumer sees (and can stop) each inflated chunk. */
async function* through(source: AsyncIterable<Buffer>, transform: NodeJS.ReadWriteStream & Readable): AsyncIterable<Buffer> {
  const feeding = pipeline(Readable.from(source), transform);
  try {
    for await (const chunk of transform) yield chunk as Buffer;
    await feeding;
  } finally {
    transform.destroy();
    await feeding.catch(() => undefined);
  }
}

function decoderFor(url: string, encoding: string): Stage | null {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return (source) => through(source, createGunzip());
    case 'deflate':
      return inflateEither;
    case 'br':
      return (source) => through(source, createBrotliDecompress());
    case 'identity':
    case '':
      return null;
    default:
      throw new SecwireError('Decode', `${url} uses the content encoding "${encoding}", which secwire cannot decode`, {
        url,
        encoding,
      });
  }
}

/**
 * Reads a response body, decoding its Content-Encoding, with `maxBytes` enforced on the raw stream and again on
 * every decoded chunk: a small gzip that inflates past the cap stops while inflating, never fully in memory.
 */
export async function readBody(url: string, body: Readable, contentEncoding: string | null, maxBytes: number): Promise<Buffer> {
  const encodings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  // Encodings are listed in the order they were applied, so they are undone last to first.
  const decoders = encodings
    .reverse()
    .map((encoding) => decoderFor(url, encoding))
    .filter((stage): stage is Stage => stage !== null);
  const chunks: Buffer[] = [];
  let total = 0;
  const collect = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(url, maxBytes, decoders.length > 0 ? 'decoded' : 'raw');
      chunks.push(chunk);
    }
  };
  try {
    let stream: AsyncIterable<Buffer> = capped(url, maxBytes, 'raw')(body);
    for (const decode of decoders) stream = decode(stream);
    await collect(stream);
  } catch (error) {
    if (error instanceof SecwireError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_') || code.startsWith('ERR_BROTLI') || code === 'ERR__ERROR_FORMAT_PADDING_1') {
      throw new SecwireError('Decode', `${url}: the ${encodings.join(', ')} body is corrupt (${(error as Error).message})`, {
        url,
      }, { cause: error });
    }
    throw error;
  }
  return Buffer.concat(chunks, total);
}
