/**
 * Text of an article's HTML without the parts that are not the article: navigation, asides, footers and
 * related-link blocks. Names there ("Related: LockBit hits hospital") say nothing about this story.
 */
import { Parser } from 'htmlparser2';

const BOILERPLATE_TAGS = new Set(['nav', 'aside', 'footer', 'header', 'script', 'style', 'noscript', 'form']);
const BOILERPLATE_ROLES = new Set(['navigation', 'complementary']);
const RELATED_NAME = /\b(?:related|recommend|more[-_ ]?(?:stories|news|articles)|read[-_ ]?more|popular|trending|sidebar|promo|newsletter|share|social|breadcrumb|see[-_ ]also)/i;
/** A list this share of whose text is link text is a list of links, not prose. */
const LINK_LIST_RATIO = 0.8;

const BLOCK_TAGS = new Set(['p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'section', 'article', 'table', 'tr', 'br']);

/** An open `ul`/`ol`: its text and the text of each link in it, to tell a list of links from prose at its end. */
interface OpenList {
  text: string;
  /** One entry per `a` inside, in document order (a link inside a link counts in both, as a selector sees it). */
  links: string[];
  /** Where the list's own output starts, to take it back if it is a list of links. */
  outputAt: number;
}

interface OpenLink {
  text: string;
  /** The entry of each enclosing list that this link's text goes to. */
  slots: { list: OpenList; index: number }[];
}

type Frame = { kind: 'plain'; block: boolean } | { kind: 'list'; list: OpenList } | { kind: 'link'; link: OpenLink; block: boolean };

function isBoilerplate(name: string, attributes: Record<string, string>): boolean {
  if (BOILERPLATE_TAGS.has(name)) return true;
  const role = attributes['role'];
  if (role !== undefined && BOILERPLATE_ROLES.has(role)) return true;
  const className = attributes['class'];
  const id = attributes['id'];
  return (className !== undefined || id !== undefined) && RELATED_NAME.test(`${className ?? ''} ${id ?? ''}`);
}

/**
 * One pass over the parser's events, no DOM: the tagger reads the extractor's body HTML of every article, and
 * a cheerio document built to drop a few elements and read the rest once cost as much as the tagging itself.
 * A boilerplate element is skipped with everything inside; a list is decided at its end tag, when its text and
 * link text are known, and its output is taken back if it is a list of links; block elements end a line.
 */
export function articleTextFromHtml(html: string): string {
  const output: string[] = [];
  const frames: Frame[] = [];
  const openLists: OpenList[] = [];
  const openLinks: OpenLink[] = [];
  // Elements open inside a skipped one, itself included.
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (skipDepth > 0 || isBoilerplate(name, attributes)) {
          skipDepth += 1;
          return;
        }
        const block = BLOCK_TAGS.has(name);
        if (name === 'ul' || name === 'ol') {
          const list: OpenList = { text: '', links: [], outputAt: output.length };
          openLists.push(list);
          frames.push({ kind: 'list', list });
        } else if (name === 'a') {
          const link: OpenLink = { text: '', slots: openLists.map((list) => ({ list, index: list.links.push('') - 1 })) };
          openLinks.push(link);
          frames.push({ kind: 'link', link, block });
        } else frames.push({ kind: 'plain', block });
      },
      onclosetag() {
        if (skipDepth > 0) {
          skipDepth -= 1;
          return;
        }
        const frame = frames.pop();
        if (frame === undefined) return;
        if (frame.kind === 'list') {
          openLists.pop();
          const { list } = frame;
          const total = list.text.trim().length;
          const linked = list.links.join('').trim().length;
          if (total > 0 && linked / total >= LINK_LIST_RATIO) output.length = list.outputAt;
          else output.push('\n');
          return;
        }
        if (frame.kind === 'link') {
          openLinks.pop();
          for (const { list, index } of frame.link.slots) list.links[index] = frame.link.text;
        }
        if (frame.block) output.push('\n');
      },
      ontext(data) {
        if (skipDepth > 0) return;
        output.push(data);
        for (const list of openLists) list.text += data;
        for (const link of openLinks) link.text += data;
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return output
    .join('')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n\n')
    .trim();
}
