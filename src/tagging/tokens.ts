/** One word of the text: a run of letters and digits, with where it sits. */
export interface Token {
  /** The word lower-cased; the word as written is text.slice(start, end). */
  readonly lower: string;
  /** wordKey(lower): what the gazetteer's trie is keyed by. */
  readonly key: number;
  readonly start: number;
  readonly end: number;
}

/**
 * A word whose lower case is built when first asked for: the trie needs only the key of most words, and
 * only words near a hit are ever read (slicing every word was a tenth of the tagger's time). One class
 * for all words keeps the property reads monomorphic.
 */
class WordToken implements Token {
  constructor(
    private readonly text: string,
    readonly key: number,
    readonly start: number,
    readonly end: number,
    private readonly capitals: boolean,
    private lowered: string | undefined,
  ) {}

  get lower(): string {
    if (this.lowered === undefined) {
      const word = this.text.slice(this.start, this.end);
      this.lowered = this.capitals ? word.toLowerCase() : word;
    }
    return this.lowered;
  }
}

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
/**
 * Whether each BMP code unit is a letter or digit, worked out a block of 256 at a time when a text first
 * uses that block (all 65,536 at load cost about 0.1 s of start-up).
 */
const BMP_WORD_CHARS = new Uint8Array(0x10000);
const BMP_BLOCKS_KNOWN = new Uint8Array(0x100);

function isBmpWordChar(code: number): boolean {
  const block = code >> 8;
  if (BMP_BLOCKS_KNOWN[block] === 0) {
    for (let unit = block << 8; unit < (block + 1) << 8; unit += 1) BMP_WORD_CHARS[unit] = WORD_CHAR.test(String.fromCharCode(unit)) ? 1 : 0;
    BMP_BLOCKS_KNOWN[block] = 1;
  }
  return BMP_WORD_CHARS[code] === 1;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Keys stay small integers (V8 Smis): maps keyed by them skip string hashing and comparison. */
const KEY_MASK = 0x3fffffff;

/**
 * A number for a lower-case word (FNV-1a over its UTF-16 units). Two words may share one; the trie checks
 * the word itself on a hit.
 */
export function wordKey(lower: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < lower.length; i += 1) hash = Math.imul(hash ^ lower.charCodeAt(i), FNV_PRIME);
  return hash & KEY_MASK;
}

/**
 * The words of a text: runs of letters and digits (Unicode), with their lower case and offsets.
 *
 * A hand-written scan rather than /[\p{L}\p{N}]+/gu, and lower-casing only words that have a capital:
 * the regex and String#toLowerCase (slow on any text with a curly quote, V8's two-byte strings) were most
 * of the tagger's time (bench/tag.ts).
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const length = text.length;
  let index = 0;
  while (index < length) {
    const start = index;
    let capitals = false;
    let wide = false;
    // The key of the lower-case word, while it stays ASCII (else computed from the lower case after).
    let hash = FNV_OFFSET;
    while (index < length) {
      const code = text.charCodeAt(index);
      if (code < 0x80) {
        if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
          hash = Math.imul(hash ^ code, FNV_PRIME);
          index += 1;
        } else if (code >= 65 && code <= 90) {
          hash = Math.imul(hash ^ (code + 32), FNV_PRIME);
          capitals = true;
          index += 1;
        } else break;
      } else if (code >= 0xd800 && code <= 0xdbff) {
        const point = text.codePointAt(index) as number;
        if (point <= 0xffff || !WORD_CHAR.test(String.fromCodePoint(point))) break;
        wide = true;
        index += 2;
      } else if (isBmpWordChar(code)) {
        wide = true;
        index += 1;
      } else break;
    }
    if (index === start) {
      index += 1;
      continue;
    }
    if (wide) {
      const lower = text.slice(start, index).toLowerCase();
      tokens.push(new WordToken(text, wordKey(lower), start, index, capitals, lower));
    } else {
      tokens.push(new WordToken(text, hash & KEY_MASK, start, index, capitals, undefined));
    }
  }
  return tokens;
}

/** The words of a name, in their written case ("APT 40" -> ["APT", "40"]). */
export function nameTokens(name: string): string[] {
  return name.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** True when the token opens a sentence (nothing but spaces and quotes since the last full stop or line). */
export function startsSentence(text: string, token: Token): boolean {
  for (let i = token.start - 1; i >= 0; i -= 1) {
    const char = text[i];
    if (char === ' ' || char === '\t' || char === '"' || char === '“' || char === '‘' || char === "'" || char === '(') continue;
    return char === '.' || char === '!' || char === '?' || char === '\n' || char === ':';
  }
  return true;
}
