import type { AnyNode } from 'domhandler';
import { Parser } from 'htmlparser2';

/**
 * HTML -> plain text: blocks separated by blank lines, line breaks kept, other whitespace collapsed,
 * `pre` kept verbatim. Hand-rolled because the converters at hand (turndown) produce Markdown, not text.
 */

const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'table', 'tr', 'ul', 'caption', 'details', 'summary',
]);
/** Never text: the same tags the sanitizer drops with their content, so both paths agree. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'textarea', 'option', 'iframe', 'svg', 'button', 'select', 'nav', 'video', 'audio']);

type Step = { node: AnyNode } | { close: string };

/**
 * The same text as `nodesToText` of the parsed HTML, in one pass over the parser's events: feed items are
 * converted by the thousand, and a DOM built only to be walked once costs more than the walk.
 */
export function htmlToText(html: string): string {
  // Most feed summaries are plain text: no tags, no entities, nothing to parse.
  if (!/[<&]/.test(html)) return html.replace(/\s+/g, ' ').trim();
  const text = blockCollector();
  // Elements open inside a skipped one, itself included: their content is never text.
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (skipDepth > 0 || SKIP.has(name)) skipDepth += 1;
        else text.open(name);
      },
      onclosetag(name) {
        if (skipDepth > 0) skipDepth -= 1;
        else text.close(name);
      },
      ontext(data) {
        if (skipDepth === 0) text.add(data);
      },
    },
    { decodeEntities: true },
  );
  parser.end(html);
  return text.finish();
}

/** The text of already-parsed nodes, as htmlToText gives it for their HTML. */
export function nodesToText(nodes: readonly AnyNode[]): string {
  const text = blockCollector();
  const stack: Step[] = [...nodes].reverse().map((node) => ({ node }));
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    if ('close' in step) {
      text.close(step.close);
      continue;
    }
    const { node } = step;
    if (node.type === 'text') {
      text.add(node.data);
      continue;
    }
    if (node.type !== 'tag' || SKIP.has(node.name)) continue;
    text.open(node.name);
    if (BLOCKS.has(node.name)) stack.push({ close: node.name });
    for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push({ node: node.children[index] as AnyNode });
  }
  return text.finish();
}

interface BlockCollector {
  open(name: string): void;
  close(name: string): void;
  add(data: string): void;
  finish(): string;
}

/**
 * Whitespace runs to collapse to one space, leaving lone spaces alone: `/\s+/g` matched every space between two
 * words and rebuilt the string around each, most of the text's cost. Same result: a run that is a single space
 * is already what it would become.
 */
const SPACE_RUNS = /[^\S ]\s*| \s+/g;
/** The same for runs of spaces and tabs in a block (line breaks from <br> kept). */
const INLINE_SPACE_RUNS = /[\t\f\v\r][ \t\f\v\r]*| [ \t\f\v\r]+/g;

/** Text in document order, from element boundaries and text runs, whether they come from a DOM walk or a parser. */
function blockCollector(): BlockCollector {
  const blocks: string[] = [];
  let current = '';
  let preDepth = 0;
  const flush = (): void => {
    const block = current.replace(INLINE_SPACE_RUNS, ' ').replace(/ ?\n ?/g, '\n').trim();
    if (block) blocks.push(block);
    current = '';
  };
  return {
    open(name) {
      if (name === 'br') {
        current += '\n';
        return;
      }
      if (name === 'td' || name === 'th') current += ' ';
      if (name === 'pre') {
        flush();
        preDepth += 1;
      } else if (BLOCKS.has(name)) flush();
    },
    close(name) {
      if (name === 'pre') {
        preDepth -= 1;
        blocks.push(current.replace(/^\n+|\s+$/g, ''));
        current = '';
      } else if (BLOCKS.has(name)) flush();
    },
    add(data) {
      current += preDepth > 0 ? data : data.replace(SPACE_RUNS, ' ');
    },
    finish() {
      flush();
      return blocks.filter((block) => block.length > 0).join('\n\n');
    },
  };
}
