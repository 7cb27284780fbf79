/**
 * `split: digest`: a roundup post (a CERT daily bulletin, a "week in security") carries several stories,
 * each under its own heading or bullet with its own link. Each becomes an item of its own, linked back to
 * the digest, so stories are tagged and grouped one by one.
 */
import { load, type Cheerio, type CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import type { FeedItem } from '../../types.js';
import { collapseSpace, newItem, resolveHttpUrl } from './common.js';

export interface DigestOptions {
  /** Fewer linked sections than this and the post is an ordinary article, left whole. */
  minStories: number;
}

export const DEFAULT_DIGEST_OPTIONS: DigestOptions = { minStories: 2 };

interface Story {
  title: string;
  link: string;
  html: string;
  text: string;
}

/** The stories of a digest item, or the item itself when it is not a roundup. */
export function splitDigest(item: FeedItem, options: DigestOptions = DEFAULT_DIGEST_OPTIONS): FeedItem[] {
  const html = item.content ?? item.summary;
  if (!html) return [item];
  const $ = load(html);
  const base = item.link ?? 'about:blank';
  const own = item.link ? new Set([item.link]) : new Set<string>();
  const byHeadings = headingStories($, base, own);
  const stories = byHeadings.length >= options.minStories ? byHeadings : listStories($, base, own);
  if (stories.length < options.minStories) return [item];
  const backLink = item.link ? `<p>From the digest <a href="${escapeAttribute(item.link)}">${escapeText(item.title)}</a>.</p>` : '';
  return stories.map((story) =>
    newItem({
      title: story.title,
      link: story.link,
      published: item.published,
      updated: item.updated,
      authors: item.authors,
      categories: item.categories,
      summary: story.text || null,
      content: `${story.html}${backLink}`,
      ...(item.tags ? { tags: item.tags } : {}),
    }),
  );
}

/** Sections under the heading level used most often (h2..h4); a section's link is in its heading or body. */
function headingStories($: CheerioAPI, base: string, own: Set<string>): Story[] {
  const level = ['h2', 'h3', 'h4'].map((tag) => ({ tag, count: $(tag).length })).sort((a, b) => b.count - a.count)[0];
  if (!level || level.count === 0) return [];
  const stories: Story[] = [];
  $(level.tag).each((_, heading) => {
    const title = collapseSpace($(heading).text());
    const body = $(heading).nextUntil(level.tag);
    const link = firstLink($, $(heading), base, own) ?? firstLink($, body, base, own);
    if (!title || !link) return;
    stories.push({ title, link, html: outerHtml($, body), text: collapseSpace(body.text()) });
  });
  return stories;
}

/** The list with the most linked bullets; a bullet's title is its bold lead-in, else its link text. */
function listStories($: CheerioAPI, base: string, own: Set<string>): Story[] {
  let best: Story[] = [];
  $('ul, ol').each((_, list) => {
    const stories: Story[] = [];
    $(list).children('li').each((_, bullet) => {
      const entry = $(bullet);
      const link = firstLink($, entry, base, own);
      const lead = collapseSpace(entry.find('strong, b').first().text()).replace(/[:\s–—-]+$/, '');
      const title = lead || collapseSpace(entry.find('a[href]').first().text());
      if (!title || !link) return;
      stories.push({ title, link, html: `<p>${entry.html() ?? ''}</p>`, text: collapseSpace(entry.text()) });
    });
    if (stories.length > best.length) best = stories;
  });
  return best;
}

function firstLink($: CheerioAPI, scope: Cheerio<AnyNode>, base: string, own: Set<string>): string | null {
  const anchors = scope.filter('a[href]').add(scope.find('a[href]')).toArray() as Element[];
  for (const anchor of anchors) {
    const url = resolveHttpUrl($(anchor).attr('href'), base);
    if (url && !own.has(url)) return url;
  }
  return null;
}

function outerHtml($: CheerioAPI, nodes: Cheerio<AnyNode>): string {
  return nodes.toArray().map((node) => $.html(node)).join('');
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}
