import { load } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';

/**
 * HTML -> plain text: blocks separated by blank lines, line breaks kept, other whitespace collapsed,
 * `pre` kept verbatim. Hand-rolled because the converters at hand (turndown) produce Markdown, not text.
 */

const BLOCKS = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'table', 'tr', 'ul', 'caption', 'details', 'summary',
]);
/** Never text: the same tags the sanitizer drops with their content, so both paths agree. */
const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'textarea', 'option', 'iframe', 'svg', 'button', 'select', 'nav']);

type Step = { node: AnyNode } | { close: string };

export function htmlToText(html: string): string {
  const document = load(html, null, false).root()[0];
  return document ? nodesToText(document.children) : '';
}

/** The text of already-parsed nodes, as htmlToText gives it for their HTML. */
export function nodesToText(nodes: readonly AnyNode[]): string {
  const blocks: string[] = [];
  let current = '';
  const flush = (): void => {
    const block = current.replace(/[ \t\f\v\r]+/g, ' ').replace(/ ?\n ?/g, '\n').trim();
    if (block) blocks.push(block);
    current = '';
  };
  let preDepth = 0;
  const stack: Step[] = [...nodes].reverse().map((node) => ({ node }));
  while (stack.length > 0) {
    const step = stack.pop() as Step;
    if ('close' in step) {
      if (step.close === 'pre') {
        preDepth -= 1;
        blocks.push(current.replace(/^\n+|\s+$/g, ''));
        current = '';
      } else flush();
      continue;
    }
    const { node } = step;
    if (node.type === 'text') {
      current += preDepth > 0 ? node.data : node.data.replace(/\s+/g, ' ');
      continue;
    }
    if (node.type !== 'tag') continue;
    const name = node.name;
    if (SKIP.has(name)) continue;
    if (name === 'br') {
      current += '\n';
      continue;
    }
    if (name === 'td' || name === 'th') current += ' ';
    if (name === 'pre') {
      flush();
      preDepth += 1;
    } else if (BLOCKS.has(name)) flush();
    if (BLOCKS.has(name)) stack.push({ close: name });
    for (let index = node.children.length - 1; index >= 0; index -= 1) stack.push({ node: node.children[index] as AnyNode });
  }
  flush();
  return blocks.filter((block) => block.length > 0).join('\n\n');
}
