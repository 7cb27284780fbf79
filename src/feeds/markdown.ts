/**
 * Articles as Markdown files with YAML front matter, the shape static-site generators read (Hexo, Hugo,
 * Jekyll): title, date, updated, tags, categories, thumbnail, plus source and url.
 */
import TurndownService from 'turndown';
import { stringify } from 'yaml';
import type { Article, Tag } from '../types.js';

export interface MarkdownFrontMatter {
  title: string;
  /** The real publication date (the first-seen instant when the article has none), "YYYY-MM-DD HH:mm:ss" in UTC. */
  date: string;
  updated: string;
  /** Tag slugs, `type:value`. */
  tags: string[];
  /** The tag types present, e.g. `actor`, `incident`. */
  categories: string[];
  thumbnail?: string;
  source: string;
  url: string;
}

/** "2024-09-19 18:46:24": the seed's date shape, in UTC (Hexo, Hugo and Jekyll all parse it; set their time zone to UTC). */
export function frontMatterDate(iso: string): string {
  return new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
}

function createTurndown(): TurndownService {
  const service = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*' });
  // The stored HTML is already sanitized; these are a second line against anything that is not prose.
  service.remove(['script', 'style', 'iframe', 'form', 'noscript', 'aside', 'nav', 'button']);
  // A caption reads as a caption, not as one more paragraph of the story.
  service.addRule('figcaption', {
    filter: 'figcaption',
    replacement: (content) => (content.trim() ? `\n\n*${content.trim()}*\n\n` : ''),
  });
  return service;
}

const turndown = createTurndown();

/** Clean Markdown for an article body: from its sanitized HTML, else its plain text. */
export function articleMarkdownBody(article: Pick<Article, 'html' | 'text' | 'summary'>): string {
  if (article.html) return turndown.turndown(article.html).trim();
  const text = article.text ?? article.summary ?? '';
  return text
    .split(/\n{2,}/)
    .map((paragraph) => turndown.escape(paragraph.replace(/\s+/g, ' ').trim()))
    .filter(Boolean)
    .join('\n\n');
}

export function frontMatterOf(article: Article, tags: Tag[], sourceName: string): MarkdownFrontMatter {
  const published = article.published ?? article.firstSeen;
  const updated = article.updated && article.updated > published ? article.updated : published;
  // Key order follows the seed: thumbnail right after categories.
  return {
    title: article.title,
    date: frontMatterDate(published),
    updated: frontMatterDate(updated),
    tags: tags.map((tag) => tag.slug),
    categories: [...new Set(tags.map((tag) => tag.type))],
    ...(article.image ? { thumbnail: article.image } : {}),
    source: sourceName,
    url: article.url,
  };
}

/** The whole file: front matter, the title as a heading (as in the seed), the body. */
export function articleToMarkdown(article: Article, tags: Tag[], sourceName: string): string {
  const matter = stringify(frontMatterOf(article, tags, sourceName), { lineWidth: 0 });
  const body = articleMarkdownBody(article);
  return `---\n${matter}---\n\n## ${turndown.escape(article.title)}\n\n${body}\n`;
}

/** A file name that sorts by date and that Jekyll accepts in `_posts/`: `2024-09-19-panasonic-breach-42.md`. */
export function markdownFileName(article: Article): string {
  const day = (article.published ?? article.firstSeen).slice(0, 10);
  const slug = article.title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${day}-${slug || 'article'}-${article.id}.md`;
}

/** Reads a file written by articleToMarkdown back: its front matter (parsed by the caller's YAML) and body. */
export function splitFrontMatter(text: string): { frontMatter: string; body: string } {
  const match = /^---\n([\s\S]*?)\n---\n\n?([\s\S]*)$/.exec(text);
  if (!match) return { frontMatter: '', body: text };
  return { frontMatter: match[1]!, body: match[2]! };
}
