/**
 * Runs real feed readers against rendered feeds: Debian's python3-feedparser and newsboat. Both must be
 * installed (CI installs them): a missing client throws, so a test using these fails instead of skipping.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

// Async on purpose: the clients fetch from a loopback server in this same process, which a sync spawn would starve.
const execFileAsync = promisify(execFile);

/** Debian's interpreter: the `python3` on PATH may be another one without feedparser. */
export const SYSTEM_PYTHON = '/usr/bin/python3';
export const NEWSBOAT = '/usr/bin/newsboat';

/** The environment for clients: no proxies (loopback must be reached directly), UTF-8 everywhere. */
function clientEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/_proxy$/i.test(key)) env[key] = value;
  }
  return { ...env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share'), LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', PYTHONIOENCODING: 'utf-8' };
}

export interface FeedparserEntry {
  id: string | null;
  title: string | null;
  link: string | null;
  /** ISO instants in UTC, as feedparser understood the feed's dates. */
  published: string | null;
  updated: string | null;
  authors: string[];
  tags: { term: string | null; scheme: string | null; label: string | null }[];
  summary: string | null;
  content: string[];
  enclosures: { href: string | null; type: string | null; length: string | null }[];
  thumbnails: string[];
  source: { title: string | null; href: string | null };
}

export interface FeedparserResult {
  bozo: number;
  bozoException: string | null;
  /** feedparser's name of the format: rss20, atom10, json11... */
  version: string;
  feed: { title: string | null; link: string | null; updated: string | null; language: string | null; id: string | null; selfLink: string | null };
  entries: FeedparserEntry[];
}

const FEEDPARSER_SCRIPT = String.raw`
import json, sys, time, feedparser
d = feedparser.parse(sys.argv[1])
def iso(t):
    return None if t is None else time.strftime('%Y-%m-%dT%H:%M:%SZ', t)
def entry(e):
    src = e.get('source') or {}
    return {
        'id': e.get('id'), 'title': e.get('title'), 'link': e.get('link'),
        'published': iso(e.get('published_parsed')), 'updated': iso(e.get('updated_parsed')),
        'authors': [a.get('name') for a in e.get('authors', []) if a.get('name')],
        'tags': [{'term': t.get('term'), 'scheme': t.get('scheme'), 'label': t.get('label')} for t in e.get('tags', [])],
        'summary': e.get('summary'),
        'content': [c.get('value') for c in e.get('content', [])],
        'enclosures': [{'href': x.get('href'), 'type': x.get('type'), 'length': x.get('length')} for x in e.get('enclosures', [])],
        'thumbnails': [x.get('url') for x in e.get('media_thumbnail', []) if x.get('url')],
        'source': {'title': src.get('title'), 'href': src.get('href') or src.get('link')},
    }
f = d.feed
self_link = next((l.get('href') for l in f.get('links', []) if l.get('rel') == 'self'), None)
json.dump({
    'bozo': int(d.bozo), 'bozoException': str(d.bozo_exception) if d.bozo else None, 'version': d.version,
    'feed': {'title': f.get('title'), 'link': f.get('link'), 'updated': iso(f.get('updated_parsed')),
             'language': f.get('language'), 'id': f.get('id'), 'selfLink': self_link},
    'entries': [entry(e) for e in d.entries],
}, sys.stdout)
`;

/** Parses a feed URL or file with python3-feedparser; check `bozo === 0` for a well-formed feed. */
export async function runFeedparser(urlOrFile: string): Promise<FeedparserResult> {
  const { stdout } = await execFileAsync(SYSTEM_PYTHON, ['-c', FEEDPARSER_SCRIPT, urlOrFile], {
    env: clientEnv(tmpdir()),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as FeedparserResult;
}

export interface NewsboatFeed {
  rssurl: string;
  url: string;
  title: string;
}

export interface NewsboatItem {
  guid: string;
  title: string;
  author: string;
  url: string;
  feedurl: string;
  /** ISO instant from newsboat's unix time. */
  pubDate: string;
  content: string;
  enclosureUrl: string | null;
  enclosureType: string | null;
}

export interface NewsboatResult {
  feeds: NewsboatFeed[];
  /** In the order newsboat stored them. */
  items: NewsboatItem[];
  /** newsboat always exits 0: this is where it says what went wrong (empty when nothing did). */
  errorLog: string;
}

interface NewsboatItemRow {
  guid: string;
  title: string;
  author: string;
  url: string;
  feedurl: string;
  pubDate: number;
  content: string;
  enclosure_url: string | null;
  enclosure_type: string | null;
}

/**
 * Runs `newsboat -x reload` on `urls` with its own config and cache in a temp dir, then reads what it stored
 * from its SQLite cache.
 */
export async function runNewsboat(urls: string[]): Promise<NewsboatResult> {
  const dir = await mkdtemp(join(tmpdir(), 'secwire-newsboat-'));
  try {
    const urlsFile = join(dir, 'urls');
    const configFile = join(dir, 'config');
    const cacheFile = join(dir, 'cache.db');
    const errorLogFile = join(dir, 'error.log');
    await writeFile(urlsFile, `${urls.join('\n')}\n`);
    await writeFile(configFile, [`error-log "${errorLogFile}"`, 'reload-threads 1', 'download-timeout 20', 'max-items 0', 'show-read-feeds yes', ''].join('\n'));
    await execFileAsync(NEWSBOAT, ['-x', 'reload', '-u', urlsFile, '-c', cacheFile, '-C', configFile, '-q'], { env: clientEnv(dir), timeout: 60_000 });
    const errorLog = await readFile(errorLogFile, 'utf8').catch(() => '');
    const db = new Database(cacheFile, { readonly: true, fileMustExist: true });
    try {
      const feeds = db.prepare('SELECT rssurl, url, title FROM rss_feed ORDER BY rssurl').all() as NewsboatFeed[];
      const rows = db
        .prepare('SELECT guid, title, author, url, feedurl, pubDate, content, enclosure_url, enclosure_type FROM rss_item ORDER BY id')
        .all() as NewsboatItemRow[];
      const items = rows.map((row) => ({
        guid: row.guid,
        title: row.title,
        author: row.author,
        url: row.url,
        feedurl: row.feedurl,
        pubDate: new Date(row.pubDate * 1000).toISOString().replace('.000Z', 'Z'),
        content: row.content,
        enclosureUrl: row.enclosure_url || null,
        enclosureType: row.enclosure_type || null,
      }));
      return { feeds, items, errorLog };
    } finally {
      db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface LoopbackServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1, port chosen by the OS. */
export async function startLoopbackServer(handler: RequestListener): Promise<LoopbackServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
