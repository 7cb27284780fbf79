import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { brotliCompressSync, constants as zlibConstants, createGzip, deflateRawSync, gzipSync } from 'node:zlib';

/**
 * A loopback HTTP server that misbehaves on purpose, for the fetcher's tests. Plain node:http on a random port;
 * it counts what reached it so tests can assert that a refused request never did.
 */
export interface AdversarialStats {
  /** Every request that reached the server, by path (without the query). */
  requests: string[];
  /** Date.now() at the arrival of each request, in order. */
  arrivals: number[];
  inFlight: number;
  maxInFlight: number;
  /** TCP connections open at once (idle keep-alive ones included). */
  openConnections: number;
  maxOpenConnections: number;
  /** Compressed bytes the endless gzip route wrote before the client hung up. */
  bombBytesSent: number;
  /** Request headers of the last request, lower-cased names. */
  lastHeaders: IncomingMessage['headers'];
}

export interface AdversarialServer {
  port: number;
  /** e.g. `http://127.0.0.1:41234` or `http://[::1]:41234` */
  origin: string;
  stats: AdversarialStats;
  close(): Promise<void>;
}

export const FEED_ETAG = '"feed-v1"';
export const FEED_LAST_MODIFIED = 'Mon, 30 Nov 2026 10:00:00 GMT';
export const FEED_XML = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Test wire</title><link>http://example.test/</link>
<item><title>First</title><link>http://example.test/1</link><guid>1</guid></item>
</channel></rss>`;
export const HTML_WITH_FEED_LINK = `<!DOCTYPE html><html><head><title>News</title>
<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head><body><p>news</p></body></html>`;

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL, stats: AdversarialStats) => void;

const ZEROS = Buffer.alloc(64 * 1024);
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
/** A non-final stored block of length 0 (header bits, LEN 0, NLEN 0xffff), repeated to 64 KiB. */
const EMPTY_STORED_BLOCKS = Buffer.concat(Array.from({ length: 13_107 }, () => Buffer.from([0, 0, 0, 0xff, 0xff])));

const routes: Record<string, Handler> = {
  '/feed.xml': (request, response) => {
    if (request.headers['if-none-match'] === FEED_ETAG) {
      response.writeHead(304, { etag: FEED_ETAG }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/rss+xml', etag: FEED_ETAG, 'last-modified': FEED_LAST_MODIFIED });
    response.end(FEED_XML);
  },
  '/feed-gzip.xml': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }).end(gzipSync(FEED_XML));
  },
  '/feed-br.xml': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'br' }).end(brotliCompressSync(FEED_XML));
  },
  '/feed-deflate-raw.xml': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'deflate' }).end(deflateRawSync(FEED_XML));
  },
  '/feed-as-html.xml': (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(FEED_XML);
  },
  '/page.html': (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(HTML_WITH_FEED_LINK);
  },
  '/echo-headers': (request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(request.headers));
  },
  /** Headers at once, then one byte every 50 ms, forever: only a total timeout ends it. */
  '/trickle': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml' });
    response.write('<');
    const timer = setInterval(() => response.write(' '), 50);
    response.on('close', () => clearInterval(timer));
  },
  /** Accepts the request and never answers: only the headers timeout ends it. */
  '/no-headers': () => undefined,
  /** An endless gzip stream of zeros: tiny on the wire, unbounded once inflated. */
  '/gzip-bomb': (_request, response, _url, stats) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
    const gzip = createGzip({ level: zlibConstants.Z_BEST_COMPRESSION });
    gzip.on('data', (chunk: Buffer) => {
      stats.bombBytesSent += chunk.length;
      if (!response.write(chunk)) gzip.pause();
    });
    response.on('drain', () => gzip.resume());
    let open = true;
    response.on('close', () => {
      open = false;
      gzip.destroy();
    });
    const feed = (): void => {
      while (open && gzip.write(ZEROS));
      if (open) gzip.once('drain', feed);
    };
    feed();
  },
  /**
   * A gzip stream padded with empty stored deflate blocks: 4 MiB on the wire that inflate to nothing, so only the
   * cap on the raw stream stops it.
   */
  '/gzip-padding': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
    response.write(GZIP_HEADER);
    let left = 64;
    const write = (): void => {
      while (left > 0) {
        left -= 1;
        if (!response.write(EMPTY_STORED_BLOCKS)) {
          response.once('drain', write);
          return;
        }
      }
      response.end();
    };
    response.on('close', () => {
      left = 0;
    });
    write();
  },
  /** Chunked, no Content-Length, 4 MiB of bytes. */
  '/oversized-chunked': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml' });
    let left = 64;
    const write = (): void => {
      while (left > 0) {
        left -= 1;
        if (!response.write(ZEROS)) {
          response.once('drain', write);
          return;
        }
      }
      response.end();
    };
    response.on('close', () => {
      left = 0;
    });
    write();
  },
  '/oversized-declared': (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(1024 * 1024 * 1024) });
    response.write('<rss>');
  },
  '/loop-a': (_request, response) => {
    response.writeHead(302, { location: '/loop-b' }).end();
  },
  '/loop-b': (_request, response) => {
    response.writeHead(301, { location: '/loop-a' }).end();
  },
  /** /chain?n=3 -> /chain?n=4 -> ... forever, each URL new. */
  '/chain': (_request, response, url) => {
    const n = Number(url.searchParams.get('n') ?? '0');
    response.writeHead(302, { location: `/chain?n=${n + 1}` }).end();
  },
  /** /redirect?to=URL */
  '/redirect': (_request, response, url) => {
    response.writeHead(307, { location: url.searchParams.get('to') ?? '/' }).end();
  },
  '/too-many-requests': (_request, response) => {
    response.writeHead(429, { 'retry-after': '120' }).end('slow down');
  },
  '/unavailable': (_request, response) => {
    response.writeHead(503, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() }).end('maintenance');
  },
  '/server-error': (_request, response) => {
    response.writeHead(500).end('boom');
  },
  '/not-found': (_request, response) => {
    response.writeHead(404).end('nothing here');
  },
  /** Holds the answer for `ms` milliseconds so concurrent requests overlap. */
  '/slow': (_request, response, url) => {
    const timer = setTimeout(() => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'), Number(url.searchParams.get('ms') ?? '100'));
    response.on('close', () => clearTimeout(timer));
  },
};

export async function startAdversarialServer(host = '127.0.0.1'): Promise<AdversarialServer> {
  const stats: AdversarialStats = { requests: [], arrivals: [], inFlight: 0, maxInFlight: 0, openConnections: 0, maxOpenConnections: 0, bombBytesSent: 0, lastHeaders: {} };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://adversarial.invalid');
    stats.requests.push(url.pathname);
    stats.arrivals.push(Date.now());
    stats.lastHeaders = request.headers;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    response.on('close', () => {
      stats.inFlight -= 1;
    });
    const handler = routes[url.pathname];
    if (handler === undefined) response.writeHead(404).end();
    else handler(request, response, url, stats);
  });
  server.on('connection', (socket: Socket) => {
    stats.openConnections += 1;
    stats.maxOpenConnections = Math.max(stats.maxOpenConnections, stats.openConnections);
    socket.on('close', () => {
      stats.openConnections -= 1;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    stats,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ConnectProxy {
  port: number;
  /** `host:port` targets of every CONNECT the proxy received. */
  tunnels: string[];
  close(): Promise<void>;
}

/** A minimal CONNECT proxy on loopback, to show that requests through a proxy keep the address rules. */
export async function startConnectProxy(): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_request, response) => response.writeHead(405).end());
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    const target = request.url ?? '';
    tunnels.push(target);
    const [host = '', port = ''] = target.startsWith('[') ? [target.slice(1, target.indexOf(']')), target.slice(target.indexOf(']') + 2)] : target.split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    tunnels,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
