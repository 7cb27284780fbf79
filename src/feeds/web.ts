/**
 * The web page: server-rendered HTML to browse and search the archive. No JavaScript, one small stylesheet
 * from our own origin, every value escaped and article bodies sanitized again, so a strict CSP holds.
 */
import { SecwireError } from '../errors.js';
import { sanitizeArticleHtml } from '../extract/sanitize.js';
import { DEFAULT_SEARCH_PLAN_OPTIONS } from '../store/article-query.js';
import { normaliseTagFilter, parseQuery } from '../store/search-query.js';
import type { StoryMember } from '../store/store.js';
import { TAG_TYPES, type Article, type Tag } from '../types.js';
import { companionsOf } from './entries.js';
import type { RouteContext } from './routes.js';
import { feedUrl } from './routes.js';
import { escapeXml as escapeHtml } from './xml.js';

export const WEB_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const STYLESHEET_PATH = '/assets/style.css';

export const STYLESHEET = `:root{color-scheme:light dark;--fg:#1b1f24;--muted:#57606a;--bg:#fff;--chip:#eef1f4;--accent:#0a58ca}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9aa4ae;--bg:#0d1117;--chip:#21262d;--accent:#6ea8fe}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:46rem;padding:1rem;font:1rem/1.55 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
h1{font-size:1.6rem;line-height:1.25}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;border-bottom:1px solid var(--chip);padding-bottom:.75rem}
header .brand{font-weight:700;font-size:1.25rem;text-decoration:none;color:var(--fg)}
form.search{display:flex;gap:.5rem;flex:1;min-width:14rem}
form.search input{flex:1;min-width:0;padding:.45rem .6rem;font:inherit;border:1px solid var(--muted);border-radius:.4rem;background:var(--bg);color:var(--fg)}
button,.button{padding:.45rem .8rem;font:inherit;border:0;border-radius:.4rem;background:var(--accent);color:#fff;text-decoration:none;display:inline-block}
ol.articles{list-style:none;padding:0}
ol.articles>li{padding:.75rem 0;border-bottom:1px solid var(--chip)}
.meta{color:var(--muted);font-size:.875rem}
.chips{display:flex;flex-wrap:wrap;gap:.3rem;padding:0;margin:.35rem 0 0;list-style:none}
.chips a{font-size:.8rem;background:var(--chip);border-radius:1rem;padding:.1rem .55rem;text-decoration:none}
.snippet mark{background:#ffe58f;color:#000}
article img{max-width:100%;height:auto}
article pre{overflow-x:auto}
.feeds a{margin-right:.5rem}
.error{border-left:4px solid #d1242f;padding:.5rem .75rem}
`;

export interface WebPage {
  status: number;
  html: string;
}

interface PageParts {
  title: string;
  heading: string;
  query?: string;
  main: string;
  /** Feed links announced to readers and browsers (`<link rel=alternate>`). */
  alternates?: { title: string; href: string; type: string }[];
}

function layout(context: RouteContext, parts: PageParts): string {
  const alternates = (parts.alternates ?? [])
    .map((a) => `<link rel="alternate" type="${escapeHtml(a.type)}" title="${escapeHtml(a.title)}" href="${escapeHtml(a.href)}">`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(parts.title)}</title><link rel="stylesheet" href="${STYLESHEET_PATH}">${alternates}</head>
<body><header><a class="brand" href="/">${escapeHtml(context.config.feeds.title)}</a>
<form class="search" role="search" method="get" action="/search">
<input id="q" name="q" type="search" aria-label="Search the archive" placeholder="ivanti zero-day since:30d, actor:apt29" value="${escapeHtml(parts.query ?? '')}">
<button type="submit">Search</button></form></header>
<main><h1>${escapeHtml(parts.heading)}</h1>
${parts.main}</main></body></html>
`;
}

function displayDate(article: Article): string {
  return (article.published ?? article.firstSeen).slice(0, 16).replace('T', ' ') + ' UTC';
}

function tagHref(tag: Pick<Tag, 'type' | 'value'>): string {
  return `/tag/${tag.type}/${encodeURIComponent(tag.value)}`;
}

function chips(tags: Tag[]): string {
  if (tags.length === 0) return '';
  return `<ul class="chips">${tags.map((tag) => `<li><a href="${escapeHtml(tagHref(tag))}" title="${escapeHtml(tag.slug)}">${escapeHtml(tag.type)}: ${escapeHtml(tag.name)}</a></li>`).join('')}</ul>`;
}

function sourceName(context: RouteContext, id: string): string {
  return context.config.sources.find((s) => s.id === id)?.name ?? id;
}

/** Snippets mark matches with \u0002 ... \u0003: each piece is escaped on its own, the marks become <mark>. */
export function snippetHtml(snippet: string): string {
  return snippet
    .split(/(\u0002[^\u0002\u0003]*\u0003)/)
    .map((piece) => (piece.startsWith('\u0002') ? `<mark>${escapeHtml(piece.slice(1, -1))}</mark>` : escapeHtml(piece.replace(/[\u0002\u0003]/g, ''))))
    .join('');
}

function articleList(context: RouteContext, articles: { article: Article; snippet?: string | null }[]): string {
  if (articles.length === 0) return '<p>No articles yet.</p>';
  const seenStories = new Set<number>();
  const items: string[] = [];
  const storyIds = [...new Set(articles.flatMap(({ article }) => (article.story === null ? [] : [article.story])))];
  const membersByStory = context.stories ? context.stories.membersOf(storyIds) : new Map<number, StoryMember[]>();
  for (const { article, snippet } of articles) {
    // One line per story: its newest article stands for the others, which the article page lists.
    if (article.story !== null && context.stories) {
      if (seenStories.has(article.story)) continue;
      seenStories.add(article.story);
    }
    const others = (article.story === null ? [] : (membersByStory.get(article.story) ?? [])).filter((m) => m.id !== article.id);
    const also = others.length ? ` · also ${others.map((m) => escapeHtml(sourceName(context, m.source))).join(', ')}` : '';
    items.push(
      `<li><a href="/article/${article.id}">${escapeHtml(article.title)}</a>` +
        `<div class="meta">${escapeHtml(sourceName(context, article.source))} · <time datetime="${escapeHtml(article.published ?? article.firstSeen)}">${escapeHtml(displayDate(article))}</time>${also}</div>` +
        (snippet ? `<div class="snippet">${snippetHtml(snippet)}</div>` : '') +
        chips(context.store.articleTags(article.id)) +
        '</li>',
    );
  }
  return `<ol class="articles">${items.join('')}</ol>`;
}

function feedLinks(base: string, spec: Parameters<typeof feedUrl>[1], label: string): { html: string; alternates: PageParts['alternates'] } {
  const atom = feedUrl(base, spec, 'atom');
  const links = (['rss', 'atom', 'json'] as const).map((f) => `<a href="${escapeHtml(feedUrl(base, spec, f))}">${f === 'json' ? 'JSON Feed' : f.toUpperCase()}</a>`);
  return {
    html: `<p class="feeds"><a class="button" href="${escapeHtml(atom)}">Subscribe</a> ${links.join(' ')}</p>`,
    alternates: [
      { title: `${label} (Atom)`, href: atom, type: 'application/atom+xml' },
      { title: `${label} (RSS)`, href: feedUrl(base, spec, 'rss'), type: 'application/rss+xml' },
    ],
  };
}

/**
 * The most frequent tags of the listed articles (source tags left out: the outlet is on every line already).
 * Counted from the page, not the whole archive: a GROUP BY over every tag would cost a scan on each render.
 */
function tagsOfLatest(context: RouteContext, articles: Article[], limit: number): { tag: Tag; count: number }[] {
  const counts = new Map<string, { tag: Tag; count: number }>();
  for (const article of articles) {
    for (const tag of context.store.articleTags(article.id)) {
      if (tag.type === 'source') continue;
      const slot = counts.get(tag.slug) ?? { tag, count: 0 };
      slot.count += 1;
      counts.set(tag.slug, slot);
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.tag.slug.localeCompare(b.tag.slug)).slice(0, limit);
}

export function homePage(context: RouteContext): WebPage {
  const { store, config } = context;
  const { articles } = store.articles({ limit: config.feeds.defaultLimit });
  const feeds = feedLinks(config.server.baseUrl, { kind: 'all' }, `${config.feeds.title} — all security news`);
  const topTags = tagsOfLatest(context, articles, 24);
  const tagCloud = topTags.length
    ? `<h2>In the latest news</h2><ul class="chips">${topTags.map(({ tag, count }) => `<li><a href="${escapeHtml(tagHref(tag))}">${escapeHtml(tag.type)}: ${escapeHtml(tag.name)} (${count})</a></li>`).join('')}</ul>`
    : '';
  const main = `<p>${store.articleCount()} articles from ${config.sources.length} sources.</p>${feeds.html}${tagCloud}<h2>Latest</h2>${articleList(context, articles.map((article) => ({ article })))}`;
  return { status: 200, html: layout(context, { title: config.feeds.title, heading: 'Latest security news', main, alternates: feeds.alternates }) };
}

export function tagPage(context: RouteContext, type: string, value: string): WebPage {
  if (!(TAG_TYPES as readonly string[]).includes(type)) throw new SecwireError('NotFound', `no tag type "${type}" (one of ${TAG_TYPES.join(', ')})`);
  const slug = normaliseTagFilter(type, value);
  const { store, config } = context;
  const { articles } = store.articles({ limit: config.feeds.defaultLimit, tags: [slug] });
  const first = articles[0];
  const name = (first ? store.articleTags(first.id).find((t) => t.slug === slug)?.name : undefined) ?? slug.slice(type.length + 1);
  const heading = `${type}: ${name}`;
  const feeds = feedLinks(config.server.baseUrl, { kind: 'tag', tag: slug }, `${config.feeds.title} — ${heading}`);
  const main = `${feeds.html}${articleList(context, articles.map((article) => ({ article })))}`;
  return { status: 200, html: layout(context, { title: `${heading} — ${config.feeds.title}`, heading, main, alternates: feeds.alternates }) };
}

export function searchPage(context: RouteContext, q: string): WebPage {
  const { store, config } = context;
  if (!q.trim()) return { status: 200, html: layout(context, { title: `Search — ${config.feeds.title}`, heading: 'Search', main: searchHelp(config.search.relevanceWindow) }) };
  let match;
  try {
    match = parseQuery(q);
  } catch (error) {
    if (!(error instanceof SecwireError) || error.kind !== 'QueryError') throw error;
    const main = `<p class="error" role="alert">${escapeHtml(error.message)}</p>${searchHelp(config.search.relevanceWindow)}`;
    return { status: 400, html: layout(context, { title: `Search — ${config.feeds.title}`, heading: 'Search', query: q, main }) };
  }
  const { hits } = store.search({ limit: config.feeds.defaultLimit, match });
  const feeds = feedLinks(config.server.baseUrl, { kind: 'search', query: q, tags: [] }, `${config.feeds.title} — search: ${q}`);
  const count = `<p>${hits.length === config.feeds.defaultLimit ? `The first ${hits.length}` : hits.length} result${hits.length === 1 ? '' : 's'}.</p>`;
  const main = `${count}${feeds.html}${articleList(context, hits)}`;
  return { status: 200, html: layout(context, { title: `${q} — ${config.feeds.title}`, heading: `Search: ${q}`, query: q, main, alternates: feeds.alternates }) };
}

function searchHelp(relevanceWindow = DEFAULT_SEARCH_PLAN_OPTIONS.relevanceWindow): string {
  return (
    '<p class="meta">Words, "phrases", OR, -word, prefix*, tag:actor:apt29 (or actor:apt29, cve:CVE-2024-3400), source:ID, since:7d, until:2026-01-01, sort:date. ' +
    `With words, results rank the newest ${relevanceWindow} matches: words in the title first, then in tag names, then the rest, newest first; sort:date lists every match.</p>`
  );
}

export function articlePage(context: RouteContext, id: number): WebPage {
  const { store, config } = context;
  const article = store.article(id);
  if (!article) throw new SecwireError('NotFound', `no article ${id}`);
  const body = article.html ? sanitizeArticleHtml(article.html, article.url) : article.text ? article.text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p)}</p>`).join('') : '<p>No text was extracted for this article.</p>';
  const others = context.stories ? companionsOf(article, context.stories).filter((m) => m.id !== article.id) : [];
  const also = others.length
    ? `<h2>Also covered by</h2><ul>${others.map((m) => `<li>${escapeHtml(sourceName(context, m.source))}: <a href="/article/${m.id}">${escapeHtml(m.title)}</a> (<a href="${escapeHtml(m.url)}" rel="noopener noreferrer">original</a>)</li>`).join('')}</ul>`
    : '';
  const updated = article.updated && article.updated > (article.published ?? article.firstSeen) ? ` · updated <time datetime="${escapeHtml(article.updated)}">${escapeHtml(article.updated.slice(0, 16).replace('T', ' '))} UTC</time>` : '';
  const byline = article.authors.length ? ` · by ${escapeHtml(article.authors.join(', '))}` : '';
  const main =
    `<p class="meta">${escapeHtml(sourceName(context, article.source))} · <time datetime="${escapeHtml(article.published ?? article.firstSeen)}">${escapeHtml(displayDate(article))}</time>${updated}${byline}</p>` +
    `<p><a class="button" href="${escapeHtml(article.url)}" rel="noopener noreferrer">Read the original</a></p>` +
    chips(store.articleTags(article.id)) +
    `<article>${body}</article>${also}`;
  return { status: 200, html: layout(context, { title: `${article.title} — ${config.feeds.title}`, heading: article.title, main }) };
}

export function notFoundPage(context: RouteContext, message: string): WebPage {
  return { status: 404, html: layout(context, { title: `Not found — ${context.config.feeds.title}`, heading: 'Not found', main: `<p class="error">${escapeHtml(message)}</p><p><a href="/">Back to the latest news</a></p>` }) };
}

/** The web route for a path, or null when the path is not a page. */
export function matchWebRoute(pathname: string, params: URLSearchParams): ((context: RouteContext) => WebPage) | null {
  if (pathname === '/') return homePage;
  if (pathname === '/search') return (context) => searchPage(context, params.get('q') ?? '');
  const article = /^\/article\/(\d+)$/.exec(pathname);
  if (article) return (context) => articlePage(context, Number(article[1]));
  const tag = /^\/tag\/([a-z]+)\/([^/]+)$/.exec(pathname);
  if (tag) {
    let value: string;
    try {
      value = decodeURIComponent(tag[2]!);
    } catch {
      return null;
    }
    return (context) => tagPage(context, tag[1]!, value);
  }
  return null;
}
