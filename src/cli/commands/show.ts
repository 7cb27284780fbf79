import { SecwireError } from '../../errors.js';
import { canonicalizeUrl } from '../../store/canonical-url.js';
import type { Story } from '../../store/stories.js';
import { openStore, type Store } from '../../store/store.js';
import type { Revision } from '../../store/types.js';
import type { Article, Tag } from '../../types.js';
import { loadCommandConfig, type CommonOptions } from '../context.js';
import { printJson, printLine } from '../output.js';

export interface ShowOptions extends CommonOptions {
  format: 'text' | 'json' | 'markdown';
}

/** Everything `show` prints about one article. */
export interface ArticleView {
  article: Article;
  tags: Tag[];
  urls: string[];
  story: Story | null;
  revisions: Revision[];
}

/** Finds an article by its id or by any URL it was seen under (tracking parameters and AMP variants included). */
export function findArticle(store: Store, target: string): Article {
  const trimmed = target.trim();
  if (/^\d+$/.test(trimmed)) {
    const article = store.article(Number(trimmed));
    if (!article) throw new SecwireError('NotFound', `no article with id ${trimmed}`);
    return article;
  }
  const canonical = canonicalizeUrl(trimmed);
  if (!canonical) throw new SecwireError('UsageError', `"${target}" is neither an article id nor an http(s) URL`);
  const article = store.articleByUrl(canonical);
  if (!article) throw new SecwireError('NotFound', `no article stored for ${canonical}`);
  return article;
}

export function articleView(store: Store, article: Article): ArticleView {
  return {
    article,
    tags: store.articleTags(article.id),
    urls: store.articleUrls(article.id),
    story: store.storyOf(article.id),
    revisions: store.revisions(article.id),
  };
}

/** `secwire show ID|URL`: the article, its tags with the words that produced them, its story and its revisions. */
export function showCommand(target: string, options: ShowOptions): number {
  const config = loadCommandConfig(options);
  const store = openStore(config.database, { search: config.search });
  try {
    const view = articleView(store, findArticle(store, target));
    if (options.format === 'json') printJson(view);
    else printLine(options.format === 'markdown' ? renderMarkdown(view) : renderText(view));
    return 0;
  } finally {
    store.close();
  }
}

function tagLine(tag: Tag): string {
  return `${tag.slug}${tag.mentions?.length ? ` (${tag.mentions.map((m) => `"${m}"`).join(', ')})` : ''}`;
}

function storyLines(view: ArticleView, bullet: string): string[] {
  const { story, article } = view;
  if (!story) return [];
  return story.articles.map(
    (member) => `${bullet}${member.id === article.id ? '* ' : ''}[${member.source}] ${member.title} <${member.url}>${member.duplicateOf ? ` (copy of #${member.duplicateOf})` : ''}`,
  );
}

function revisionLines(view: ArticleView, bullet: string): string[] {
  return view.revisions.map(
    (r) => `${bullet}until ${r.at}: "${r.title}" (${Math.round(r.change * 1000) / 10}% of words changed after it${r.material ? ', material' : ''})`,
  );
}

export function renderText(view: ArticleView): string {
  const { article, story } = view;
  const lines = [
    article.title,
    `  id ${article.id} · ${article.source} · published ${article.published ?? 'unknown'}${article.publishedSource ? ` (${article.publishedSource})` : ''}${article.updated ? ` · updated ${article.updated}` : ''}`,
    `  ${article.url}`,
    ...view.urls.filter((u) => u !== article.url).map((u) => `  also at ${u}`),
    '',
    'Tags:',
    ...(view.tags.length ? view.tags.map((t) => `  ${tagLine(t)}`) : ['  (none)']),
  ];
  if (story) lines.push('', `Story ${story.id}: ${story.title} (${story.articles.length} articles, ${story.first} to ${story.last})`, ...storyLines(view, '  '));
  if (view.revisions.length) lines.push('', 'Revisions:', ...revisionLines(view, '  '));
  if (article.summary) lines.push('', article.summary);
  return lines.join('\n');
}

export function renderMarkdown(view: ArticleView): string {
  const { article, story } = view;
  const lines = [
    `# ${article.title}`,
    '',
    `- **Source:** ${article.source}`,
    `- **Published:** ${article.published ?? 'unknown'}${article.updated ? ` (updated ${article.updated})` : ''}`,
    `- **URL:** <${article.url}>`,
    '',
    '## Tags',
    '',
    ...(view.tags.length ? view.tags.map((t) => `- ${tagLine(t)}`) : ['- (none)']),
  ];
  if (story) lines.push('', `## Story: ${story.title}`, '', ...storyLines(view, '- '));
  if (view.revisions.length) lines.push('', '## Revisions', '', ...revisionLines(view, '- '));
  if (article.text) lines.push('', '## Text', '', article.text);
  return lines.join('\n');
}
