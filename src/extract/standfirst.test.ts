import { describe, expect, it } from 'vitest';
import { ARTICLE_TEXT, PARAGRAPHS } from '../../test/extract/pages.js';
import { extractArticle } from './index.js';

const URL = 'https://news.example.org/story/acme-breach';
const LEAD = 'Attackers sat in the file servers of a sensor maker for five months before anyone noticed, the company says.';

/** A news page whose header (headline, standfirst) sits outside the body's container, as most outlets print it. */
function headedPage(options: { description?: string; header: string; aboveHeadline?: string }): string {
  const meta = options.description ? `<meta name="description" content="${options.description}">` : '';
  return `<html><head><title>Acme Widgets confirms breach</title>${meta}</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<main><div class="page-grid">${options.aboveHeadline ?? ''}
<div class="top-box"><h1>Acme Widgets confirms breach</h1>${options.header}<span class="date">5 June 2026</span></div>
<div class="col-8"><div class="rich-text">${PARAGRAPHS.map((text) => `<p>${text}</p>`).join('')}</div></div>
</div></main><footer><p>Copyright Example News.</p></footer></body></html>`;
}

function textOf(html: string): string {
  return extractArticle(html, URL, { rules: null }).text;
}

describe('the standfirst printed above the body opens it', () => {
  it.each(['article-lead', 'article__perex', 'ingress', 'entradilla'])('takes a paragraph whose class (%s) marks a lead', (className) => {
    expect(textOf(headedPage({ header: `<p class="${className}">${LEAD}</p>` }))).toBe(`${LEAD}\n\n${ARTICLE_TEXT}`);
  });

  it('takes an unmarked paragraph that repeats the page description, even a description cut short', () => {
    expect(textOf(headedPage({ description: LEAD, header: `<p>${LEAD}</p>` }))).toBe(`${LEAD}\n\n${ARTICLE_TEXT}`);
    const cut = `${LEAD.slice(0, 70)}…`;
    expect(textOf(headedPage({ description: cut, header: `<div class="x">${LEAD}</div>` }))).toBe(`${LEAD}\n\n${ARTICLE_TEXT}`);
  });

  it.each(['type="lead"', 'itemprop="description"', 'data-testid="article-summary"'])('takes a box whose role attribute (%s) marks a lead', (attribute) => {
    expect(textOf(headedPage({ header: `<div ${attribute}><p>${LEAD}</p></div>` }))).toBe(`${LEAD}\n\n${ARTICLE_TEXT}`);
  });

  it('takes an unmarked lead that opens with a dateline the description leaves out', () => {
    expect(textOf(headedPage({ description: LEAD, header: `<div class="copy-lg"><span>Boston.</span> <span>${LEAD}</span></div>` }))).toBe(`Boston. ${LEAD}\n\n${ARTICLE_TEXT}`);
  });

  it('leaves out an unmarked paragraph that is not the description', () => {
    expect(textOf(headedPage({ description: 'Something else entirely, about a different matter at the same company.', header: `<p>${LEAD}</p>` }))).toBe(ARTICLE_TEXT);
  });

  it('leaves out a teaser lead above the headline, a caption and a subscription pitch', () => {
    const teaser = '<div class="teaser"><p class="lead">A different story: a widget maker fixes twelve flaws in its gateway firmware this week.</p></div>';
    expect(textOf(headedPage({ aboveHeadline: teaser, header: '' }))).toBe(ARTICLE_TEXT);
    const caption = `<figure><img src="/a.jpg" alt=""><figcaption class="summary">${LEAD}</figcaption></figure>`;
    expect(textOf(headedPage({ description: LEAD, header: caption }))).toBe(ARTICLE_TEXT);
    const pitch = '<p class="subscribe-summary">Support independent journalism: subscribe for the price of one coffee a month, cancel any time.</p>';
    expect(textOf(headedPage({ header: pitch }))).toBe(ARTICLE_TEXT);
  });
});
