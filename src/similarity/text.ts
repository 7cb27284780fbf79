/**
 * Words for comparing articles. Hand-rolled on purpose: a tokenizer/stemmer package would change what two
 * articles share between versions, and clustering must stay deterministic across upgrades.
 */

/** Function words and newsroom filler that say nothing about which event a headline is about. */
const STOPWORDS = new Set(
  `a about after again against all also am an and any are as at be because been before being between both but by can
could did do does doing down during each few for from further had has have having he her here hers him his how i if in
into is it its itself just may me might more most must my new no nor not now of off on once only or other our out over
own per said same says she should so some such than that the their them then there these they this those through to
too under until up very via was we were what when where which while who whom why will with would you your yet
amid report reports reported says warn warns warned update updated updates latest news new week today breaking
exclusive how why what analysis`.split(/\s+/),
);

/** Security-news vocabulary: in half of all headlines, so sharing it says nothing about the event. */
const NEWS_WORDS = new Set(
  `vulnerability vulnerabilities flaw flaws bug bugs attack attacks attacked attacker attackers hacker hackers hack hacked
exploit exploits exploited exploiting exploitation critical patch patches patched patching fix fixes fixed zero-day 0-day
zero day malware ransomware security cyber cybersecurity cyberattack cyberattacks let lets allow allows allowing enable
enables enabling actively active abuse abused abuses abusing target targets targeted targeting use used uses using
data breach breaches users user rce remote code execution arbitrary execute campaign campaigns phishing warn warns
threat threats actor actors group groups gang new now via urgent emergency released releases release steal steals
stealing deploy deploys deploying compromise compromised compromising access unauthenticated researchers research
discovered discover found uncovered linked million thousands systems devices servers organizations organisations
customers credentials raas ransomware-as-a-service maas malware-as-a-service`.split(/\s+/),
);

/** Capitalised words that are not names of anything specific to one event. */
const GENERIC_NAMES = new Set(
  `january february march april may june july august september october november december monday tuesday wednesday
thursday friday saturday sunday the a an in on at for of and but as it its this that these those we they he she our
their after before while when where what who how why new update updated press release read more according however
also security cyber news report researchers research ceo cto ciso inc ltd corp company group team key takeaways
summary overview known agency infrastructure department ministry cisa kev fbi nsa ncsc cert government police cvss`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’._-]*[\p{L}\p{N}]|[\p{L}\p{N}]/gu;

/** Lower-cased words, possessives dropped, punctuation at the edges trimmed ("Kiyohara's" -> "kiyohara"). */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const match of text.normalize('NFKC').matchAll(WORD)) {
    out.push(match[0].toLowerCase().replace(/['’]s$/u, ''));
  }
  return out;
}

/**
 * 32-bit FNV-1a hashes (as int32) of the same words as `words` gives, without building the strings: MinHash
 * needs only the hashes, and a 3 KB article has ~500 words. A word is a run of letters, digits and inner
 * ' ’ . _ - (trimmed to start and end on a letter or digit); ASCII is classified by code, the rest by regex.
 */
export function wordHashes(text: string): Int32Array {
  const lower = normalised(text).toLowerCase();
  const out: number[] = [];
  let start = -1;
  let lastWordChar = -1;
  const emit = (): void => {
    let end = lastWordChar + 1;
    // Possessive: "kiyohara's" -> "kiyohara".
    const quote = lower.charCodeAt(end - 2);
    if (lower.charCodeAt(end - 1) === 0x73 && (quote === 0x27 || quote === 0x2019) && end - 2 > start) end -= 2;
    let hash = 0x811c9dc5 | 0;
    for (let i = start; i < end; i += 1) hash = Math.imul(hash ^ lower.charCodeAt(i), 0x01000193);
    out.push(hash);
  };
  for (let i = 0; i < lower.length; i += 1) {
    const kind = charKind(lower, i);
    if (kind === WORD_CHAR) {
      if (start < 0) start = i;
      lastWordChar = i;
    } else if (kind === OTHER && start >= 0) {
      emit();
      start = -1;
    }
  }
  if (start >= 0) emit();
  return Int32Array.from(out);
}

const WORD_CHAR = 0;
const JOINER = 1;
const OTHER = 2;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Letter or digit, joiner inside a word (' ’ . _ -), or anything else; surrogate pairs by their lead unit. */
function charKind(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) {
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a)) return WORD_CHAR;
    return c === 0x27 || c === 0x2e || c === 0x5f || c === 0x2d ? JOINER : OTHER;
  }
  if (c === 0x2019) return JOINER;
  if (c >= 0xdc00 && c <= 0xdfff) return i > 0 && charKind(text, i - 1) === WORD_CHAR ? WORD_CHAR : OTHER;
  return LETTER_OR_DIGIT.test(String.fromCodePoint(text.codePointAt(i)!)) ? WORD_CHAR : OTHER;
}

/** Content words of a title: what a headline is about (minus everyday security vocabulary), in order, without repeats. */
export function contentWords(text: string): string[] {
  const seen = new Set<string>();
  for (const word of words(text)) {
    if (STOPWORDS.has(word) || NEWS_WORDS.has(word) || (word.length < 2 && !/\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}/u.test(word))) continue;
    seen.add(word);
  }
  return [...seen];
}

/** Nationalities and big regions: in every other article, not names of one event. */
const PLACE_WORDS = new Set(
  `american british chinese russian iranian japanese korean north south european eu us uk usa america china russia iran
japan korea europe asia africa german germany french france israeli israel indian india ukrainian ukraine western
nordic danish swedish finnish norwegian icelandic dutch spanish italian canadian australian taiwanese swiss
brazilian mexican polish czech turkish vietnamese thai singapore pakistani indonesian united states kingdom emirates`.split(/\s+/),
);

/** "Osaka-based", "Kremlin-linked": the name is the part before the suffix. */
const NAME_SUFFIX = /-(based|linked|backed|owned|headquartered|affiliated|sponsored|related|style)$/u;

const CAPITAL = /^\p{Lu}/u;
const LETTER = /^\p{L}/u;

/** ASCII by code (most words), the rest by regex: these run on every token of every article. */
function startsWithCapital(word: string): boolean {
  const c = word.charCodeAt(0);
  return c < 0x80 ? c >= 0x41 && c <= 0x5a : CAPITAL.test(word);
}

function startsWithLetter(word: string): boolean {
  const c = word.charCodeAt(0);
  return c < 0x80 ? (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) : LETTER.test(word);
}

/** NFKC leaves ASCII as it is: skip the pass when there is nothing else. */
function normalised(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFKC') : text;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Most words of a Title Case Headline are capitalised: there, capitals say nothing about names. */
function isTitleCase(text: string): boolean {
  const list = text.split(/\s+/).filter((w) => w.length > 3 && startsWithLetter(w));
  const capitalised = list.filter(startsWithCapital).length;
  return list.length >= 4 && capitalised / list.length > 0.7;
}

/**
 * Proper names in a text: capitalised words ("Kiyohara", "SmokeLoader") and runs of them ("kiyohara electric"),
 * lower-cased, generic ones removed. A victim organisation is rarely in a gazetteer, but it is almost always
 * capitalised in every outlet's text. A capitalised word that starts a sentence counts only inside a run
 * ("Kiyohara Electric said"), as a lone word it is as likely an ordinary word ("Attackers ...").
 */
export function properNames(text: string): string[] {
  const names = new Set<string>();
  for (const line of normalised(text).split(/\n+/)) {
    if (isTitleCase(line)) continue;
    for (const sentence of line.split(/(?<=[.!?:;])\s+/u)) {
      const tokens = sentence.split(/[\s,()"“”‘]+/u).filter(Boolean);
      let run: string[] = [];
      const flush = (): void => {
        const startsSentence = run.length > 0 && run[0] === tokens[0];
        const clean = run.map(normaliseName).filter((w) => w.length >= 3 && !w.startsWith('cve-') && !GENERIC_NAMES.has(w) && !STOPWORDS.has(w) && !NEWS_WORDS.has(w) && !PLACE_WORDS.has(w));
        if (clean.length >= 2) names.add(clean.join(' '));
        if (clean.length >= 2 || !startsSentence) for (const word of clean) names.add(word);
        run = [];
      };
      for (const token of tokens) {
        if (startsWithCapital(token)) run.push(token);
        else flush();
      }
      flush();
    }
  }
  return [...names];
}

function normaliseName(token: string): string {
  // A footnote digit glued to a word ("Takeaways1") is not part of it.
  return token.toLowerCase().replace(/[.!?:;'’]+$/u, '').replace(/(\p{L})\d$/u, '$1').replace(/['’]s$/u, '').replace(NAME_SUFFIX, '');
}

/** |A ∩ B| / min(|A|, |B|): headlines of different lengths about one event still score high. */
export function overlapCoefficient(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const small = a.length <= b.length ? a : b;
  const large = new Set(a.length <= b.length ? b : a);
  let shared = 0;
  for (const item of new Set(small)) if (large.has(item)) shared += 1;
  return shared / Math.min(new Set(a).size, new Set(b).size);
}

export function intersection(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return [...new Set(a)].filter((item) => other.has(item));
}

/**
 * How much of a text changed, from 0 (same words) to 1 (nothing in common): words added plus words removed,
 * counted with multiplicity, over the longer version's length. A typo fix in a 300-word article is ~0.007;
 * a new paragraph or a rewritten headline is several percent.
 */
export function changeRatio(before: string, after: string): number {
  const counts = new Map<string, number>();
  const a = words(before);
  const b = words(after);
  for (const word of a) counts.set(word, (counts.get(word) ?? 0) + 1);
  for (const word of b) counts.set(word, (counts.get(word) ?? 0) - 1);
  let changed = 0;
  for (const count of counts.values()) changed += Math.abs(count);
  const length = Math.max(a.length, b.length);
  return length === 0 ? 0 : Math.min(1, changed / length);
}
