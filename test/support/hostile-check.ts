import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { stringify } from 'yaml';
import { loadConfig, type Config } from '../../src/config/load.js';

export interface ConfigSource {
  id: string;
  url: string;
  articles?: boolean;
}

/** A real secwire.yaml in a temp dir for the given sources, with the loopback origins allowed. */
export function writeSourcesConfig(sources: ConfigSource[], allowHosts: string[], fetch: Record<string, unknown> = {}): { file: string; dir: string; config: Config } {
  const dir = mkdtempSync(join(tmpdir(), 'secwire-hostile-'));
  const yaml = {
    database: join(dir, 'secwire.db'),
    server: { host: '127.0.0.1', port: 0, baseUrl: 'http://127.0.0.1:8080' },
    fetch: { allowPrivateHosts: allowHosts, ...fetch },
    sources: sources.map((s) => ({ id: s.id, name: s.id, url: s.url, articles: s.articles ?? false })),
    log: { level: 'silent' },
  };
  const file = join(dir, 'secwire.yaml');
  writeFileSync(file, stringify(yaml));
  return { file, dir, config: loadConfig({ configPath: file, env: {} }) };
}

/** Elements that run code, load active content, navigate, or change how the rest of the page resolves. */
const FORBIDDEN_ELEMENTS = ['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math', 'style', 'base', 'form', 'input', 'button', 'textarea', 'select', 'video', 'audio', 'source', 'details', 'noscript', 'template'];
const URL_ATTRIBUTES = ['href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'background', 'srcset', 'data'];
// An item without a usable link is known by a `urn:secwire:` id: inert, nothing follows it.
const SAFE_URL = /^(?:https?:\/\/|\/|#|\?|mailto:|urn:)/i;

export interface Finding {
  where: string;
  what: string;
}

/**
 * What in an HTML document or fragment a browser would run or follow on its own. `page` allows what the web page's
 * own layout uses: a charset and viewport `<meta>`, stylesheet and alternate `<link>`s, and the search form.
 */
export function executableContent(html: string, where: string, options: { page?: boolean } = {}): Finding[] {
  const $ = cheerio.load(html);
  const findings: Finding[] = [];
  const report = (what: string): void => void findings.push({ where, what });
  $('*').each((_, element) => {
    const name = element.tagName.toLowerCase();
    const attribs = element.attribs;
    const isLayoutForm = options.page && ((name === 'form' && attribs['action'] === '/search') || (name === 'input' && attribs['name'] === 'q') || (name === 'button' && attribs['type'] === 'submit' && !attribs['formaction']));
    if (FORBIDDEN_ELEMENTS.includes(name) && !isLayoutForm) report(`<${name}>`);
    if (name === 'meta' && (attribs['http-equiv'] !== undefined || !(options.page && (attribs['charset'] || attribs['name'] === 'viewport')))) report(`<meta ${JSON.stringify(attribs)}>`);
    if (name === 'link' && !(options.page && ['stylesheet', 'alternate'].includes(attribs['rel'] ?? '') && SAFE_URL.test(attribs['href'] ?? ''))) report(`<link ${JSON.stringify(attribs)}>`);
    for (const [attribute, value] of Object.entries(attribs)) {
      const lower = attribute.toLowerCase();
      if (lower.startsWith('on')) report(`<${name} ${attribute}="${value}">`);
      if (lower === 'style') report(`<${name} style="${value}">`);
      if (URL_ATTRIBUTES.includes(lower) && !SAFE_URL.test(value.trim())) report(`<${name} ${attribute}="${value}">`);
    }
  });
  return findings;
}

/**
 * Feed entries' HTML-bearing fields, as a reader renders them (XML-decoded). Titles are plain text by contract
 * (Atom type="text", JSON Feed `title`) and written escaped: a headline about `<svg onload>` keeps its words.
 */
export function feedHtmlFields(xml: string, format: 'rss' | 'atom'): { where: string; html: string }[] {
  const $ = cheerio.load(xml, { xml: true });
  const fields: { where: string; html: string }[] = [];
  if (format === 'rss') {
    $('item').each((i, item) => {
      for (const tag of ['description', 'content\\:encoded']) $(item).children(tag).each((_, el) => void fields.push({ where: `rss item ${i} ${tag}`, html: $(el).text() }));
    });
  } else {
    $('entry').each((i, entry) => {
      for (const tag of ['content', 'summary', 'title']) {
        $(entry).children(tag).each((_, el) => {
          const type = $(el).attr('type') ?? 'text';
          // type="text" is shown as text by every reader; html and xhtml are rendered.
          if (type === 'html') fields.push({ where: `atom entry ${i} ${tag}`, html: $(el).text() });
          if (type === 'xhtml') fields.push({ where: `atom entry ${i} ${tag}`, html: $(el).html() ?? '' });
        });
      }
      $(entry).children('link').each((_, el) => void fields.push({ where: `atom entry ${i} link`, html: `<a href="${$(el).attr('href') ?? ''}"></a>` }));
    });
  }
  return fields;
}

/** Keys of the JSON API and JSON Feed whose string values are HTML or URLs a client will render or follow. */
const JSON_HTML_KEYS = /^(?:html|content_html)$/;
const JSON_URL_KEYS = /^(?:url|external_url|image|banner_image|canonicalUrl|home_page_url|feed_url|icon|favicon)$/;

export function jsonFindings(value: unknown, where: string): Finding[] {
  const findings: Finding[] = [];
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${path}[${i}]`));
    if (node === null || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      if (typeof child === 'string' && JSON_HTML_KEYS.test(key)) findings.push(...executableContent(child, `${where} ${path}.${key}`));
      else if (typeof child === 'string' && JSON_URL_KEYS.test(key) && !SAFE_URL.test(child)) findings.push({ where: `${where} ${path}.${key}`, what: child });
      else walk(child, `${path}.${key}`);
    }
  };
  walk(value, '');
  return findings;
}
