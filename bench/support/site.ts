/**
 * A generated news site for bench:ingest: `feeds` RSS feeds spread over `hosts` loopback outlets
 * (127.0.0.1, 127.0.0.2, ...: per-host limits apply as they would to real outlets), and `pages` article pages
 * of `minPageBytes`-`maxPageBytes` each, most of it boilerplate as on real news sites: inline CSS and scripts,
 * a state blob, navigation, related links, comments and a footer around a few KB of article text.
 * Written to disk once, then served as static files by nginx (ETag and Last-Modified included, so an unchanged
 * second run gets 304s).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prose, seededRandom } from './prose.js';

export interface SiteOptions {
  feeds: number;
  pages: number;
  hosts: number;
  minPageBytes: number;
  maxPageBytes: number;
}

export interface Site {
  /** "127.0.0.N:PORT" of every outlet, for nginx `listen` and the config's allowPrivateHosts. */
  hosts: string[];
  feedUrls: string[];
  pageBytes: number;
}

const PUBLISHED_BASE = Date.UTC(2026, 10, 30, 12);
/** Size of each outlet's pool of script text that pages take their filler from (cheaper than fresh text per page). */
const FILLER_POOL_BYTES = 200_000;

interface Outlet {
  name: string;
  head: string;
  nav: string;
  footer: string;
  filler: string;
}

function outletTemplate(index: number): Outlet {
  const name = `Outlet ${index} Security News`;
  const random = seededRandom(index + 1);
  const css = Array.from({ length: 120 }, (_, rule) => `.c${index}-${rule}{margin:${random(20)}px;padding:${random(12)}px;color:#${(random(0xffffff)).toString(16).padStart(6, '0')};font-size:${10 + random(10)}px}`).join('\n');
  const menu = Array.from({ length: 60 }, (_, link) => `<li class="menu-item"><a href="/section/${link}">${prose(index * 100 + link, 14)}</a></li>`).join('');
  const footerLinks = Array.from({ length: 40 }, (_, link) => `<a href="/about/${link}">${prose(index * 1000 + link, 12)}</a>`).join(' | ');
  return {
    name,
    head: `<style>${css}</style><script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());gtag('config','UA-${index}');</script>`,
    nav: `<header class="site-header"><div class="logo"><a href="/">${name}</a></div><nav class="main-nav"><ul>${menu}</ul></nav><form class="search" action="/search"><input name="q" placeholder="Search"></form><div class="newsletter">Subscribe to our newsletter for the latest threats <button>Sign up</button></div></header>`,
    footer: `<footer class="site-footer"><p>${footerLinks}</p><p>Copyright 2026 ${name}. All rights reserved. Cookie settings. Privacy policy. Terms of use.</p></footer><div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>`,
    filler: prose(index + 7_777, FILLER_POOL_BYTES),
  };
}

function pagePath(page: number): string {
  return `/a/${Math.floor(page / 1000)}/${page}.html`;
}

function articlePage(outlet: Outlet, page: number, title: string, published: string, targetBytes: number): string {
  const random = seededRandom(page + 99);
  const paragraphs = Array.from({ length: 6 + random(10) }, (_, n) => `<p>${prose(page * 31 + n, 300 + random(500))}.</p>`).join('\n');
  const related = Array.from({ length: 20 }, (_, n) => `<li><a href="${pagePath((page + n * 37 + 1) % 100_000)}">${prose(page * 7 + n, 70)}</a></li>`).join('');
  const comments = Array.from({ length: 5 }, (_, n) => `<div class="comment"><span class="comment-author">reader${n}</span><p>${prose(page * 13 + n, 250)}</p></div>`).join('');
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | ${outlet.name}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta property="og:title" content="${title}">
<meta property="article:published_time" content="${published}"><meta name="author" content="Staff Writer ${page % 17}">
${outlet.head}</head><body>${outlet.nav}
<div class="layout"><main><article class="post"><h1 class="entry-title">${title}</h1>
<div class="byline">By <span class="author">Staff Writer ${page % 17}</span> <time datetime="${published}">${published.slice(0, 10)}</time></div>
<div class="entry-content">
${paragraphs}
</div><div class="share">Share this article: Twitter Facebook LinkedIn Email</div></article>
<section class="related"><h2>Related articles</h2><ul>${related}</ul></section>
<section class="comments"><h2>Comments</h2>${comments}</section></main>
<aside class="sidebar"><h3>Trending</h3><ul>${related}</ul><div class="ad">Advertisement</div></aside></div>
${outlet.footer}
<script>window.__STATE__="`;
  const tail = '";</script></body></html>\n';
  const fill = Math.max(0, targetBytes - Buffer.byteLength(body) - tail.length);
  const start = (page * 7919) % Math.max(1, outlet.filler.length - fill);
  // The pool holds only letters and spaces, so any slice is a valid script string.
  return body + outlet.filler.slice(start, start + fill) + tail;
}

export function writeSite(root: string, options: SiteOptions, port: number): Site {
  const hosts = Array.from({ length: Math.min(options.hosts, options.feeds) }, (_, index) => `127.0.0.${index + 1}:${port}`);
  const outlets = hosts.map((_, index) => outletTemplate(index));
  const itemsByFeed: string[][] = Array.from({ length: options.feeds }, () => []);
  let pageBytes = 0;
  const spread = seededRandom(12345);
  for (let page = 0; page < options.pages; page += 1) {
    const feed = page % options.feeds;
    const outletIndex = feed % hosts.length;
    const outlet = outlets[outletIndex] as Outlet;
    const title = `Bench story ${page}: ${prose(page, 50)}`;
    const published = new Date(PUBLISHED_BASE - page * 60_000).toISOString();
    const html = articlePage(outlet, page, title, published, options.minPageBytes + spread(options.maxPageBytes - options.minPageBytes + 1));
    const path = pagePath(page);
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), html);
    pageBytes += Buffer.byteLength(html);
    itemsByFeed[feed]?.push(`<item><title>${title}</title><link>http://${hosts[outletIndex]}${path}</link><guid isPermaLink="false">bench-${page}</guid>
<pubDate>${new Date(published).toUTCString()}</pubDate><description>${prose(page + 500_000, 280)}</description></item>`);
  }
  mkdirSync(join(root, 'feeds'), { recursive: true });
  const feedUrls = itemsByFeed.map((items, feed) => {
    const host = hosts[feed % hosts.length] as string;
    writeFileSync(
      join(root, 'feeds', `feed-${feed}.xml`),
      `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Bench feed ${feed}</title><link>http://${host}/</link><description>generated</description>\n${items.join('\n')}\n</channel></rss>\n`,
    );
    return `http://${host}/feeds/feed-${feed}.xml`;
  });
  return { hosts, feedUrls, pageBytes };
}
