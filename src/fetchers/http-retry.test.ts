import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SecwireError } from '../errors.js';
import { DEFAULT_FETCH_CONFIG } from './defaults.js';
import { createHttpClient } from './http.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that drops the connection without answering for the first `drops` requests. */
async function droppingServer(drops: number): Promise<{ url: string; hostPort: string; requests: () => number }> {
  let requests = 0;
  server = createServer((req, res) => {
    requests += 1;
    if (requests <= drops) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('fine');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/x`, hostPort: `127.0.0.1:${port}`, requests: () => requests };
}

describe('createHttpClient: connections closed before a response', () => {
  it('retries a GET once on a fresh connection', async () => {
    const site = await droppingServer(1);
    const http = createHttpClient({ ...DEFAULT_FETCH_CONFIG, allowPrivateHosts: [site.hostPort] });
    try {
      const result = await http.fetch(site.url, { accept: 'any' });
      expect(result.notModified).toBe(false);
      expect(result.notModified ? '' : result.body.toString()).toBe('fine');
      expect(site.requests()).toBe(2);
    } finally {
      await http.close();
    }
  });

  it('gives up after the one retry with a Network error', async () => {
    const site = await droppingServer(100);
    const http = createHttpClient({ ...DEFAULT_FETCH_CONFIG, allowPrivateHosts: [site.hostPort] });
    try {
      const error = await http.fetch(site.url, { accept: 'any' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecwireError);
      expect((error as SecwireError).kind).toBe('Network');
      expect(site.requests()).toBe(2);
    } finally {
      await http.close();
    }
  });
});
