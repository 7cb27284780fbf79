/**
 * Text of an article's HTML without the parts that are not the article: navigation, asides, footers and
 * related-link blocks. Names there ("Related: LockBit hits hospital") say nothing about this story.
 */
import * as cheerio from 'cheerio';

const BOILERPLATE_SELECTOR = 'nav, aside, footer, header, script, style, noscript, form, [role="navigation"], [role="complementary"]';
const RELATED_NAME = /\b(?:related|recommend|more[-_ ]?(?:stories|news|articles)|read[-_ ]?more|popular|trending|sidebar|promo|newsletter|share|social|breadcrumb|see[-_ ]also)/i;
/** A list this share of whose text is link text is a list of links, not prose. */
const LINK_LIST_RATIO = 0.8;

const BLOCK_TAGS = new Set(['p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'section', 'article', 'table', 'tr', 'br']);

export function articleTextFromHtml(html: string): string {
  // htmlparser2 rather than parse5: several times faster on this hot path (DESIGN.md).
  const $ = cheerio.load(html, { xml: { xmlMode: false, decodeEntities: true } });
  $(BOILERPLATE_SELECTOR).remove();
  $('[class], [id]').each((_, element) => {
    const name = `${$(element).attr('class') ?? ''} ${$(element).attr('id') ?? ''}`;
    if (RELATED_NAME.test(name)) $(element).remove();
  });
  $('ul, ol').each((_, element) => {
    const list = $(element);
    const total = list.text().trim().length;
    const linked = list.find('a').text().trim().length;
    if (total > 0 && linked / total >= LINK_LIST_RATIO) list.remove();
  });
  $('*').each((_, element) => {
    if (element.type === 'tag' && BLOCK_TAGS.has(element.name)) $(element).append('\n');
  });
  return $.root()
    .text()
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();
}
