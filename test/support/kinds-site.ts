import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Page {
  type: string;
  body: string;
}

/** A loopback site whose pages a test sets and changes between fetches; it logs every path requested. */
export interface KindsSite {
  url: string;
  hostPort: string;
  pages: Map<string, Page>;
  requests: string[];
  close(): Promise<void>;
}

export async function startKindsSite(): Promise<KindsSite> {
  const pages = new Map<string, Page>();
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(path);
    const page = pages.get(path);
    if (!page) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': page.type }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    pages,
    requests,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

export const HTML = 'text/html; charset=utf-8';
export const JSON_TYPE = 'application/json';
export const RSS = 'application/rss+xml';
