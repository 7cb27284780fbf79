/** Synthetic pages for the extractor's tests: written for this project, no outside content. */

export const PARAGRAPHS = [
  'Acme Widgets said on Monday that attackers had reached its file servers, and that the intrusion began in June before it was found in November, according to a statement.',
  'The company, which makes industrial sensors, said it reported the incident to the authorities, hired an outside firm, and blocked further access from the outside network.',
  'Researchers who looked at the intrusion said the attackers used a known flaw in a remote access gateway, one that had a patch available for months, to get their first foothold.',
  'Acme said it could not yet tell whether customer data was taken, but it warned business partners, suppliers and staff to watch for phishing that cites the breach.',
];

export const ARTICLE_TEXT = PARAGRAPHS.join('\n\n');

export interface PageParts {
  head?: string;
  beforeArticle?: string;
  articleHeader?: string;
  inArticle?: string;
  afterArticle?: string;
  title?: string;
  htmlAttributes?: string;
}

export function testPage(parts: PageParts = {}): string {
  const title = parts.title ?? 'Acme Widgets confirms breach of file servers';
  return `<!doctype html>
<html ${parts.htmlAttributes ?? 'lang="en"'}>
<head><meta charset="utf-8"><title>${title}</title>${parts.head ?? ''}</head>
<body>
<nav class="site-nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a></nav>
${parts.beforeArticle ?? ''}
<div id="main">
<article>
<header><h1>Acme Widgets confirms breach of file servers</h1>${parts.articleHeader ?? ''}</header>
<div class="article-body">
${PARAGRAPHS.slice(0, 2).map((text) => `<p>${text}</p>`).join('\n')}
${parts.inArticle ?? ''}
${PARAGRAPHS.slice(2).map((text) => `<p>${text}</p>`).join('\n')}
</div>
</article>
</div>
${parts.afterArticle ?? ''}
<footer class="site-footer"><p>Copyright Example News. All rights reserved.</p></footer>
</body>
</html>`;
}
