import type { Element } from 'domhandler';
import { elementsUnder, hintString, isElement, normalizeSpace, textOf } from './dom.js';
import type { JsonLdArticle } from './jsonld.js';
import { absoluteHttpUrl } from './sanitize.js';
import type { SiteRules } from './rules.js';
import { hasAncestor, tagged, tokens, type PageIndex } from './page.js';

/** Page metadata read before the body is cut out: meta tags, link rels, the headline, the byline. */

export type MetaTags = Map<string, string[]>;

export function readMetaTags(page: PageIndex): MetaTags {
  const byProperty: MetaTags = new Map();
  const byOther: MetaTags = new Map();
  for (const element of tagged(page, 'meta')) {
    const property = element.attribs['property'];
    const keys = (property ?? element.attribs['name'] ?? element.attribs['itemprop'] ?? element.attribs['http-equiv'] ?? '')
      .trim().toLowerCase().split(/\s+/);
    // Some publishing pipelines write value= where the standard says content=.
    const content = (element.attribs['content'] ?? element.attribs['value'])?.trim();
    if (!content) continue;
    const metas = property === undefined ? byOther : byProperty;
    // "dc:title" and "dc.title" name the same thing; pages write both.
    for (const key of keys.filter(Boolean).map((entry) => entry.replace(/^(dc|dcterms?):/, (_, prefix: string) => `${prefix === 'dcterm' ? 'dcterms' : prefix}.`))) {
      const list = metas.get(key);
      if (list) list.push(content);
      else metas.set(key, [content]);
    }
  }
  // Open Graph and Dublin Core are RDFa, read from property=; a name= copy of the same key is a fallback.
  for (const [key, values] of byOther) byProperty.set(key, [...(byProperty.get(key) ?? []), ...values]);
  return byProperty;
}

export function firstMeta(metas: MetaTags, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = metas.get(key)?.[0];
    if (value) return value;
  }
  return null;
}

const TITLE_SEPARATOR = /\s+(?:[|\-–—·•»:/*]|::)\s+|\s*[｜：]\s*/;

function comparable(text: string): string {
  return text.toLowerCase().replace(/^www\./, '').replace(/[^\p{L}\p{N}]+/gu, '');
}

function siteLabels(siteName: string | null, url: string): string[] {
  const labels: string[] = [];
  if (siteName) labels.push(comparable(siteName));
  try {
    const host = new URL(url).hostname.replace(/^www\./, '');
    labels.push(comparable(host), comparable(host.split('.')[0] ?? ''));
  } catch {
    // An unparsable URL only loses the host hint.
  }
  return labels.filter((label) => label.length >= 2);
}

/** The segment is the site's name, or its name with a word or two ("Example News Online"). */
function isSiteLabel(segment: string, labels: string[]): boolean {
  const value = comparable(segment);
  return value.length > 0 && labels.some((label) => value === label || (label.length >= 4 && value.includes(label) && value.length <= label.length + 12));
}

/** Removes a leading or trailing " - Site Name" (or "Site | ..."): the site's name, or a short tail after the last separator. */
/** Separator marks, spaced or glued to the site's name ("Post title:Blog Name"); a hyphen only spaced, as it joins words. */
const GLUED_SEPARATOR = '(?:\\s*[:|–—_·•»/｜：]\\s*|\\s+-\\s+)';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Drops the site's own name (og:site_name) glued to the title's end or start by a separator mark. */
function dropGluedSiteName(title: string, siteName: string | null): string {
  const name = siteName ? normalizeSpace(siteName) : '';
  if (name.length < 2) return title;
  const site = escapeRegExp(name);
  const glued = new RegExp(`^(?:(.+?)${GLUED_SEPARATOR}${site}|${site}${GLUED_SEPARATOR}(.+))$`, 'iu').exec(title);
  return normalizeSpace(glued?.[1] ?? glued?.[2] ?? '') || title;
}

export function cleanTitle(raw: string, siteName: string | null, url: string, headings: string[]): string {
  const title = dropGluedSiteName(normalizeSpace(raw), siteName);
  if (!TITLE_SEPARATOR.test(title)) return title;
  const normalizedTitle = comparable(title);
  for (const heading of headings) {
    const wanted = comparable(heading);
    if (wanted.length < 10 || wanted === normalizedTitle) continue;
    // A suffix is the site's name; a prefix is a kicker or section ("Opinion | ", "Genetik: ").
    if (normalizedTitle.startsWith(wanted) || normalizedTitle.endsWith(wanted)) return normalizeSpace(heading);
  }
  const labels = siteLabels(siteName, url);
  const isSite = (segment: string): boolean => isSiteLabel(segment, labels);
  let segments = title.split(TITLE_SEPARATOR);
  const separators = title.match(new RegExp(TITLE_SEPARATOR.source, 'g')) ?? [];
  let changed = false;
  while (segments.length > 1 && isSite(segments[segments.length - 1] ?? '')) {
    segments = segments.slice(0, -1);
    separators.pop();
    changed = true;
  }
  while (segments.length > 1 && isSite(segments[0] ?? '')) {
    segments = segments.slice(1);
    separators.shift();
    changed = true;
  }
  if (changed) return rejoin(segments, separators);
  return title;
}

/**
 * A <title> with no site name found still often ends in " | Site": drop the part after the last
 * separator when at least three words remain (Readability's rule; short titles are left alone).
 */
function dropTitleTail(title: string): string {
  const match = /^(.*\S)\s+(?:[|\-–—»/]|::)\s+[^|\-–—»/]+$/.exec(title);
  const head = match?.[1];
  if (!head || head.split(/\s+/).length < 3) return title;
  return head;
}

function rejoin(segments: string[], separators: string[]): string {
  return segments.reduce((out, segment, index) => (index === 0 ? segment : `${out}${separators[index - 1] ?? ' - '}${segment}`), '');
}

export function headingTexts(page: PageIndex): string[] {
  return tagged(page, 'h1').slice(0, 3).map((element) => normalizeSpace(textOf(element))).filter((text) => text.length > 0);
}

/** Bounds of a plausible visible headline, in characters. */
const HEADLINE_MIN_CHARS = 10;
const HEADLINE_MAX_CHARS = 300;

const ARTICLE_SCOPES = new Set(['article', 'main']);
const SVG_SCOPES = new Set(['svg']);

/** The visible headline: the h1 of the article, or the page's only h1. */
function articleHeadline(page: PageIndex, isBanner: (text: string) => boolean = () => false): string | null {
  const all = tagged(page, 'h1').filter((element) => !isBanner(normalizeSpace(textOf(element))));
  const inArticle = all.filter((element) => hasAncestor(element, ARTICLE_SCOPES))
    .concat(page.withItemprop.filter((element) => tokens(element, 'itemprop').includes('headline') && element.name !== 'meta'));
  const pick = inArticle[0] ?? (all.length === 1 ? all[0] : undefined);
  if (!pick) return null;
  const text = normalizeSpace(pick.attribs['content'] ?? textOf(pick));
  return text.length >= HEADLINE_MIN_CHARS && text.length <= HEADLINE_MAX_CHARS ? text : null;
}

/** The visible headline is the other title behind a kicker: "Minderheit in Syrien - Drusen fordern ...". */
function hasKicker(headline: string, other: string): boolean {
  const [first, ...rest] = headline.split(TITLE_SEPARATOR);
  const kicker = comparable(first ?? '');
  return rest.length > 0 && kicker !== '' && comparable(headline) === kicker + comparable(other);
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The share of `text`'s words that `other` has too. */
function sharedWords(text: string, other: string): number {
  const words = wordsOf(text);
  const others = new Set(wordsOf(other));
  return words.length === 0 ? 0 : words.filter((word) => others.has(word)).length / words.length;
}

/**
 * The JSON-LD headline; its name instead when only that is given, or when the name agrees with another
 * title of the page and the headline with none: some pages put the kind of page in one ("Wikimedia list article").
 */
function jsonLdTitle(jsonld: JsonLdArticle | null, otherTitles: string[], clean: (title: string) => string): string | null {
  const headline = jsonld?.headline ?? null;
  const name = jsonld?.name ?? null;
  if (!headline || !name) return headline ?? name;
  const others = new Set(otherTitles.map(comparable));
  const agrees = (title: string): boolean => others.has(comparable(clean(title)));
  return !agrees(headline) && agrees(name) ? name : headline;
}

export function chooseTitle(page: PageIndex, metas: MetaTags, jsonld: JsonLdArticle | null, rules: SiteRules | null, siteName: string | null, url: string): string | null {
  const headings = headingTexts(page);
  for (const selector of rules?.title ?? []) {
    const text = normalizeSpace(page.$(selector).first().text());
    if (text) return text;
  }
  const titleElement = tagged(page, 'title').find((element) => !hasAncestor(element, SVG_SCOPES));
  const documentTitle = titleElement ? normalizeSpace(textOf(titleElement)) : '';
  // The JSON-LD headline is the article's own; og:title and twitter:title are often rewritten for social cards.
  const metaTitle = firstMeta(metas, ['dc.title', 'dcterms.title', 'og:title', 'twitter:title', 'parsely-title', 'sailthru.title', 'title']);
  const clean = (title: string): string => cleanTitle(title, siteName, url, headings);
  const otherTitles = [metaTitle ?? '', documentTitle, ...headings].map(clean);
  const fromJsonLd = jsonLdTitle(jsonld, otherTitles, clean);
  if (fromJsonLd && normalizeSpace(fromJsonLd)) return clean(fromJsonLd);
  // Without one, the article's visible h1 (speaking of the same thing: half its words in the <title> or the
  // meta title, or all the meta title's words in it) is the article's own too, before an og:title that may be
  // rewritten or shortened for social cards.
  if (metaTitle && normalizeSpace(metaTitle)) {
    const labels = siteLabels(siteName, url);
    // An h1 that the <title> puts beside the meta title ("Blog Name: Post title") is the site's name.
    const banner = (text: string): boolean => isSiteLabel(text, labels)
      || [comparable(text) + comparable(metaTitle), comparable(metaTitle) + comparable(text)].includes(comparable(documentTitle));
    const visible = articleHeadline(page, banner);
    const sameStory = visible !== null && (sharedWords(visible, documentTitle) >= 0.5 || sharedWords(visible, metaTitle) >= 0.5 || sharedWords(metaTitle, visible) === 1);
    if (visible && sameStory && !hasKicker(visible, metaTitle)) return visible;
    return clean(metaTitle);
  }
  // With no metadata title the <title> is the page's own word on what it is; a lone h1 may be the site's
  // banner or a section name, so it stands in only when the <title> is missing or names the site alone.
  const fromDocument = documentTitle ? dropTitleTail(clean(documentTitle)) : '';
  if (fromDocument && !isSiteLabel(fromDocument, siteLabels(siteName, url))) return fromDocument;
  return articleHeadline(page) ?? (fromDocument || null);
}

const BY_PREFIX = /^(?:(?:written|posted|reported|words|text|story|published|updated)\s+by|by|von|quelle|source|fuente|par|por|di|door|av|af|autor(?:in)?(?:\s*\/\s*autor(?:in)?)?|author|auteur|text|texto|de)\s*[:\-–]?\s+/i;
const ROLE = /\b(?:reporter|editor|writer|correspondent|contributor|journalist|columnist|staff|redakteur(?:in)?|redaktion|rédaction|redacción|analyst|senior|chief|director|photographer|news desk|agency)\b/i;

/** Texts of buttons and links beside bylines: "See all", "Follow", "View profile", "More stories". */
const CALL_TO_ACTION = /^(?:see|view|read|follow|show|more|subscribe|contact|share|load)\b/i;

/** Degrees written after a name ("Jane Doe, MA", "John Roe, PhD"), split off it by the comma. */
const DEGREE = /^(?:MA|MS|MSc|BA|BS|BSc|MD|RN|DO|JD|PhD|MBA|MPH|Esq|Dr|Prof)\.?$/;

/** Credits for pictures, not text: "Foto: Jane Doe", "Photo by Jane Doe", "Illustration: Jane Doe". */
const CREDIT = /^(?:fotos?|photos?|photograph(?:s|y)?|bild(?:er)?|images?|illustrations?|grafik|credit)(?:\s*:|\s+(?:by|von|de|par)\b)/i;

/** Korean and Japanese bylines put the job after the name: "신현주 기자" (reporter), "山田太郎記者", "특파원" (correspondent). */
const REPORTER_SUFFIX = /\s*(?:기자|특파원|記者|特派員)$/u;

/** A lower-case single word: a user name ("doumae"), an agency ("dpa"), a writer's initials ("amw"). */
const HANDLE = /^[\p{Ll}\p{N}_.-]+$/u;

/** A newsroom signing as a team: "AOL Staff", "BWW News Desk", "BR24 Redaktion"; not a job title ("Staff Writer"). */
const TEAM_CREDIT = /^(?<team>.+?)[\s-]+(?:staff|news desk|desk|newsroom|redaktion|rédaction|redacción)$/i;

function isTeamCredit(name: string): boolean {
  const team = TEAM_CREDIT.exec(name)?.groups?.['team'];
  return team !== undefined && !ROLE.test(team);
}

/**
 * Names from a byline: no "By", no dates, no URLs, no job titles, no site names (`siteKeys`, see siteLabels); split
 * on "and", commas, "&".
 */
export function cleanAuthors(raw: string[], siteKeys: ReadonlySet<string>, max: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const entry of raw) {
    // A link beside the name ("Jane Doe (https://example.org/jane/)") is no name, and its slashes are no separators;
    // "and" is split on in English, German, French, Spanish, Danish/Norwegian, Swedish, Dutch.
    const pieces = normalizeSpace(entry).replace(/https?:\/\/\S+/g, '').replace(BY_PREFIX, '').split(/\s*(?:,|;|&|\||\/|\s+(?:and|und|et|y|og|och|en)\s+)\s*/i);
    for (const [index, piece] of pieces.entries()) {
      if (CREDIT.test(piece)) continue;
      // An unclosed "(Bruxelles" left by the split is a dateline or note, not part of the name; so is a closing
      // "(AP)", "(obe)" after it: the agency or the writer's initials as the paper signs short items.
      const name = piece.replace(BY_PREFIX, '').replace(/\s*\([^)]*$/, '').replace(/\s*\([\p{L}.]{1,6}\)$/u, '').replace(REPORTER_SUFFIX, '').replace(/^[@\s]+|[\s.:|-]+$/g, '').trim();
      // Two characters make a name only as an agency code ("AP") or in Chinese, Japanese or Korean ("牛镛").
      if ((name.length < 3 && !/^(?:\p{Lu}{2}|\p{Lo}{2})$/u.test(name)) || name.length > 50 || name.split(' ').length > 5) continue;
      if (/\d|https?:|www\.|@|\.com\b/i.test(name) || DEGREE.test(name) || (ROLE.test(name) && !isTeamCredit(name))) continue;
      // A label left alone ("Von" in its own span) is no name, nor is a button's or link's call to action.
      if (!(/^\p{Lu}|^\p{Lo}/u.test(name) || HANDLE.test(name)) || BYLINE_LABEL.test(name) || CALL_TO_ACTION.test(name)) continue;
      const key = comparable(name);
      // An entry that opens with the site's name and a comma is its address ("example.org, Frankfurt, Germany"), not a
      // list of writers; "Example News and AFP" or "example/jd" still lists them.
      if (siteKeys.has(key) && index === 0 && /^[^,;&|/]+,/.test(entry)) break;
      if (!key || siteKeys.has(key) || seen.has(key)) continue;
      seen.add(key);
      out.push(name);
      if (out.length >= max) return out;
    }
  }
  return out;
}

/** Class tokens of byline elements, most specific first. */
const BYLINE_CLASSES = ['author-name', 'byline__name', 'article-author', 'post-author', 'author', 'byline'];
const BYLINE_HINT = /author|byline|writer/i;
const BYLINE_MAX_CHARS = 120;
/** "byline-name", "authorText", "authorname-txt", "writer", BEM "article__author", CSS-in-JS "css-1wkce1i-Byline". */
const BYLINE_COMPOUND = /^(?:[a-z0-9]+(?:-|_|__))*(?:author|byline|writer)(?:[-_]?(?:name|text|txt|info|link))*$/i;
/** Links to a writer's page: /author/jane-doe, /profile/jane-doe, /people/jane-doe, /about/editors/jane-doe. */
const AUTHOR_PAGE = /\/(?:authors?|profiles?|people|staff|writers?|editors?|contributors?|columnists?|reporters?|journalists?|autor(?:en)?|auteurs?)\/[^/?#]+\/?(?:[?#]|$)/i;
/** Bylines read per kind of evidence: a page lists its authors once, near the top. */
const BYLINE_MAX_ELEMENTS = 6;

/** A byline's text, its text nodes joined by spaces: "<span>By</span>Jane Doe" is "By Jane Doe", not "ByJane Doe". */
function bylineText(element: Element): string {
  return normalizeSpace(element.attribs['content'] ?? textOf(element, ' '));
}

/** Levels up from the first byline within which co-authors are sought; further away are teasers for other stories. */
const BYLINE_GROUP_LEVELS = 2;

function ancestors(element: Element, levels: number): Element[] {
  const out: Element[] = [];
  for (let current = element.parent; current && isElement(current) && out.length < levels; current = current.parent) out.push(current);
  return out;
}

const TEASER_SCOPES = new Set(['article', 'li']);
const TEASER_MAX_CHARS = 600;
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * The element sits in a teaser for another story: its nearest article or list item has a linked heading that is
 * not the page's title ("<article><h1><a href=/other>Other story</a></h1><a class=byline>...</a></article>").
 */
function inTeaser(element: Element, titleKey: string, teasers: Map<Element, boolean>): boolean {
  let scope = element.parent;
  while (scope && isElement(scope) && !TEASER_SCOPES.has(scope.name)) scope = scope.parent;
  if (!scope || !isElement(scope)) return false;
  let teaser = teasers.get(scope);
  if (teaser === undefined) {
    teaser = isTeaser(scope, titleKey);
    teasers.set(scope, teaser);
  }
  return teaser;
}

function isTeaser(scope: Element, titleKey: string): boolean {
  const heading = elementsUnder(scope).find((inner) => HEADINGS.has(inner.name));
  if (!heading || !elementsUnder(heading).some((inner) => inner.name === 'a' && inner.attribs['href'])) return false;
  // A teaser is a few lines; the story itself, with a headline linked to its own page, is longer.
  return textOf(scope).length < TEASER_MAX_CHARS && (titleKey === '' || comparable(textOf(heading)) !== titleKey);
}

function usable(elements: Element[], titleKey = '', teasers = new Map<Element, boolean>()): Element[] {
  // Whole words of class names: "withsidebar" is a layout that has a sidebar, not one.
  const kept = elements.filter((element) => !/(?:^|[\s_-])(?:comment|related|footer|sidebar)/.test(ancestorHints(element)) && !inTeaser(element, titleKey, teasers))
    .map((element) => ({ element, text: bylineText(element) }))
    .filter(({ text }) => text.length > 0 && text.length < BYLINE_MAX_CHARS);
  const first = kept[0]?.element;
  const group = new Set(first ? ancestors(first, BYLINE_GROUP_LEVELS) : []);
  return kept.filter(({ element }) => element === first || ancestors(element, BYLINE_GROUP_LEVELS).some((ancestor) => group.has(ancestor)))
    .slice(0, BYLINE_MAX_ELEMENTS)
    .map(({ element }) => element);
}

/**
 * Names from byline elements; when their whole texts give none ("By Jane Doe Example Daily Dec 13, 2019",
 * three names in sibling spans read as one eight-word name), the texts of their innermost elements.
 */
function bylineNames(elements: Element[], siteKeys: ReadonlySet<string>, max: number): string[] {
  const whole = cleanAuthors(elements.map(bylineText), siteKeys, max);
  if (whole.length > 0) return whole;
  const innermost = elements.flatMap((element) => elementsUnder(element).filter((inner) => inner.type === 'tag' && !inner.children.some(isElement)));
  const first = innermost.find((inner) => cleanAuthors([bylineText(inner)], siteKeys, 1).length > 0);
  return first ? cleanAuthors(listedWith(first).map(bylineText), siteKeys, max) : [];
}

/** Words and marks that join names in a list: "Jane Doe, John Roe and Max Mustermann". */
const NAME_JOINER = /^[\s,;&|·•/]*(?:(?:and|und|et|y|e|en|og|och)[\s,;&|·•/]*)?$/i;

/** The element and the like elements after it that only list joiners separate from it: co-authors in sibling spans. */
function listedWith(element: Element): Element[] {
  const out = [element];
  for (let node = element.next; node; node = node.next) {
    if (node.type === 'text' && NAME_JOINER.test(node.data)) continue;
    if (!isElement(node) || node.name !== element.name) break;
    out.push(node);
  }
  return out;
}

function authorsFromSelectors(page: PageIndex, selectors: readonly string[]): string[] {
  for (const selector of selectors) {
    const found = usable(page.$(selector).toArray().filter(isElement)).map(bylineText);
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * Byline elements by kind of evidence, most trusted first: microdata authors, rel="author" links, elements whose
 * class names a byline, links to a writer's page.
 */
function* authorsFromDom(page: PageIndex, titleKey: string): Generator<Element[]> {
  const microdata = page.withItemprop.filter((element) => tokens(element, 'itemprop').includes('author'));
  const microdataNames = microdata.flatMap((author) => elementsUnder(author).filter((inner) => tokens(inner, 'itemprop').includes('name')));
  const relAuthor = tagged(page, 'a').filter((element) => tokens(element, 'rel').includes('author'));
  const candidates: Element[][] = [microdataNames, microdata, relAuthor];
  const classed = page.elements.filter((element) => BYLINE_HINT.test(element.attribs['class'] ?? '') && element.name !== 'body' && element.name !== 'article');
  for (const name of BYLINE_CLASSES) candidates.push(classed.filter((element) => tokens(element, 'class').includes(name)));
  // Compound class names ("byline-name", "authorText", "article_byline"): the name part first.
  const compound = classed.filter((element) => tokens(element, 'class').some((token) => BYLINE_COMPOUND.test(token)));
  candidates.push(compound.filter((element) => tokens(element, 'class').some((token) => /name|text/i.test(token))), compound);
  candidates.push(tagged(page, 'a').filter((element) => AUTHOR_PAGE.test(element.attribs['href'] ?? '')));
  const teasers = new Map<Element, boolean>();
  for (const elements of candidates) {
    const found = usable(elements, titleKey, teasers);
    if (found.length > 0) yield found;
  }
  const labelled = usable(labelledBylines(page), titleKey, teasers);
  if (labelled.length > 0) yield labelled;
}

/** A text that is only a byline's label: "By", "Von", "Par", "Autorin/Autor:". */
const BYLINE_LABEL = /^\s*(?:(?:written|words)\s+by|by|von|par|por|door|av|autor(?:in)?(?:\s*\/\s*autor(?:in)?)?|author|auteur)\s*:?\s*$/i;

/**
 * Bylines marked by no class, only by their label: "<div>By <span>Jane Doe</span></div>",
 * "<li><strong>Autor</strong> Jane Doe</li>". The byline is the label's nearest element holding more than it.
 */
/** Program listings, where "BY" is a keyword ("PARTITION BY", "ORDER BY"). */
const CODE_SCOPES = new Set(['pre', 'code']);

function labelledBylines(page: PageIndex): Element[] {
  const out: Element[] = [];
  for (const element of page.elements) {
    if (element.type !== 'tag' || !element.children.some((child) => child.type === 'text' && BYLINE_LABEL.test(child.data))) continue;
    if (CODE_SCOPES.has(element.name) || hasAncestor(element, CODE_SCOPES)) continue;
    let byline: Element | null = element;
    while (byline && BYLINE_LABEL.test(textOf(byline, ' '))) byline = byline.parent && isElement(byline.parent) ? byline.parent : null;
    if (byline && !out.includes(byline)) out.push(byline);
  }
  return out;
}

function ancestorHints(element: Element): string {
  let hints = '';
  let current = element.parent;
  // The body's classes describe the whole page (WordPress's "comments-open"), not a part of it.
  for (let level = 0; level < 8 && current && isElement(current) && current.name !== 'body'; level += 1) {
    hints += ` ${hintString(current)}`;
    current = current.parent;
  }
  return hints;
}

/** A meta "author" that is the copyright holder or publisher names the company, not a writer. */
function isPublisher(name: string, metas: MetaTags): boolean {
  const key = comparable(name);
  if (key.length < 3) return false;
  return ['copyright', 'dc.rights', 'dcterms.rights', 'dc.publisher', 'dcterms.publisher', 'publisher']
    .flatMap((entry) => metas.get(entry) ?? [])
    .some((holder) => comparable(holder).includes(key));
}

/** twitter:labelN values that say twitter:dataN names the writer (WordPress SEO plugins write them in the site's language). */
const WRITTEN_BY_LABEL = /^(?:written by|author|verfasst von|geschrieben von|autor(?:in)?|écrit par|auteur|escrito por|scritto da|geschreven door|skrevet av|skrivet av)$/i;

function twitterLabelAuthors(metas: MetaTags): string[] {
  const out: string[] = [];
  for (let index = 1; metas.has(`twitter:label${index}`); index += 1) {
    const label = normalizeSpace(metas.get(`twitter:label${index}`)?.[0] ?? '');
    if (WRITTEN_BY_LABEL.test(label)) out.push(...(metas.get(`twitter:data${index}`) ?? []));
  }
  return out;
}

/** "Doe, Jane" as catalogues write it (Dublin Core, parsely): one surname word, a comma, one to three given names. */
const INVERTED_NAME = /^(\p{Lu}[\p{L}'’-]+),\s*(\p{Lu}[\p{L}'’.-]*(?:\s+[\p{L}'’.-]+){0,2})$/u;

function uninvertName(value: string): string {
  const inverted = INVERTED_NAME.exec(value.trim());
  return inverted ? `${inverted[2]} ${inverted[1]}` : value;
}

const META_AUTHOR_KEYS = ['dc.creator', 'dcterms.creator', 'author', 'article:author', 'parsely-author', 'sailthru.author', 'byl', 'citation_author'];

export function chooseAuthors(page: PageIndex, metas: MetaTags, jsonld: JsonLdArticle | null, rules: SiteRules | null, siteName: string | null, url: string, title: string | null, max: number): string[] {
  // The site's name, or its host's ("VnExpress" on vnexpress.net, "NTV" on ntv.com.tr), signs for the newsroom, not a writer.
  const siteKeys = new Set(siteLabels(siteName, url));
  if (rules && rules.author.length > 0) {
    const fromRules = cleanAuthors(authorsFromSelectors(page, rules.author), siteKeys, max);
    if (fromRules.length > 0) return fromRules;
  }
  const metaAuthors = META_AUTHOR_KEYS
    .flatMap((key) => metas.get(key) ?? [])
    .filter((value) => !/^https?:/.test(value))
    .map(uninvertName);
  // A blog's sole author is often its copyright holder too: the publisher goes only when a writer remains.
  const writers = metaAuthors.filter((value) => !isPublisher(value, metas));
  // A team credit ("Us Weekly Staff") or a user name ("mikecason") stands in for a writer whom a later source may
  // name in full: it is the byline only when none does.
  let stand: string[] = [];
  const isWriter = (names: string[]): boolean => {
    if (names.length === 0) return false;
    if (!names.every((name) => isTeamCredit(name) || HANDLE.test(name))) return true;
    if (stand.length === 0) stand = names;
    return false;
  };
  // A loop, not a generator of sources: with one, extraction of the whole page ran ~20% slower (more GC).
  const fromJsonLd = cleanAuthors(jsonld?.authors ?? [], siteKeys, max);
  if (isWriter(fromJsonLd)) return fromJsonLd;
  // One key's names: keys that disagree ("author" the site's template, "dc.creator" the writer) are not co-authors.
  for (const key of META_AUTHOR_KEYS) {
    const fromKey = cleanAuthors((metas.get(key) ?? []).map(uninvertName).filter((value) => writers.includes(value)), siteKeys, max);
    if (isWriter(fromKey)) return fromKey;
  }
  if (writers.length === 0) {
    const fromMeta = cleanAuthors(metaAuthors, siteKeys, max);
    if (isWriter(fromMeta)) return fromMeta;
  }
  // A kind of evidence whose every text is rejected as a name ("Follow", a date) gives way to the next kind.
  for (const elements of authorsFromDom(page, title ? comparable(title) : '')) {
    const fromByline = bylineNames(elements, siteKeys, max);
    if (isWriter(fromByline)) return fromByline;
  }
  // The account that posted the story, which the visible byline overrules when an editor posts for a writer.
  const fromAccount = cleanAuthors(twitterLabelAuthors(metas), siteKeys, max);
  return isWriter(fromAccount) ? fromAccount : stand;
}

export function chooseLanguage(page: PageIndex, metas: MetaTags, jsonld: JsonLdArticle | null): string | null {
  const raw = tagged(page, 'html')[0]?.attribs['lang'] ?? firstMeta(metas, ['content-language', 'dc.language', 'language']) ?? jsonld?.inLanguage ?? firstMeta(metas, ['og:locale']);
  if (!raw) return null;
  const match = /^([a-z]{2,3})(?:[-_]([a-z]{2,4}))?/i.exec(raw.trim());
  if (!match?.[1]) return null;
  const primary = match[1].toLowerCase();
  return match[2] ? `${primary}-${match[2].length === 2 ? match[2].toUpperCase() : match[2]}` : primary;
}

export function chooseImage(page: PageIndex, metas: MetaTags, jsonld: JsonLdArticle | null, baseUrl: string): string | null {
  const candidates = [
    firstMeta(metas, ['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src', 'thumbnailurl']),
    jsonld?.image ?? null,
    linkHref(page, 'image_src'),
  ];
  for (const candidate of candidates) {
    const url = absoluteHttpUrl(candidate ?? undefined, baseUrl);
    if (url) return url;
  }
  return null;
}

function linkHref(page: PageIndex, rel: string): string | null {
  return tagged(page, 'link').find((element) => tokens(element, 'rel').includes(rel))?.attribs['href'] ?? null;
}

export function chooseCanonical(page: PageIndex, metas: MetaTags, baseUrl: string): string | null {
  return absoluteHttpUrl(linkHref(page, 'canonical') ?? undefined, baseUrl) ?? absoluteHttpUrl(firstMeta(metas, ['og:url']) ?? undefined, baseUrl);
}
