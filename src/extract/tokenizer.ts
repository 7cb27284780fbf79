import { Tokenizer } from 'htmlparser2';

/**
 * htmlparser2's tokenizer with its skips done by the string search built into the engine. The stock one looks at
 * every character of text, attribute values and script/style bodies through its state machine; on article pages
 * (60-150 KB, most of it scripts, styles and prose) that walk was about half of the parse. Same tokens, same
 * callbacks, same positions: only the characters no state reacts to are passed over at once.
 */

/** The tokenizer's own fields and states this subclass reads or overrides (private in htmlparser2's types). */
interface TokenizerInternals {
  buffer: string;
  index: number;
  offset: number;
  readonly decodeEntities: boolean;
  stateText(c: number): void;
  fastForwardTo(c: number): boolean;
  handleInAttributeValue(c: number, quote: number): void;
}

const LT = 0x3c;
const AMP = 0x26;

// The base class is cast to its internals: its TypeScript types mark them private, and a subclass may not redeclare those.
const Base = Tokenizer as unknown as new (...args: ConstructorParameters<typeof Tokenizer>) => TokenizerInternals;

class SkippingTokenizer extends Base {
  /**
   * Where each character searched for next occurs (the buffer's length: nowhere), per buffer. Text runs end at
   * `<` far more often than at `&`: without this, every run would search to the next `&`, on many pages the end.
   */
  private nextAt = new Map<number, { from: number; at: number }>();
  private nextAtOffset = -1;

  /** The buffer index of the first `c` at or after `from`, or the buffer's length. */
  private nextOf(c: number, from: number): number {
    if (this.nextAtOffset !== this.offset) {
      this.nextAt.clear();
      this.nextAtOffset = this.offset;
    }
    const known = this.nextAt.get(c);
    if (known && known.from <= from && from <= known.at) return known.at;
    const found = this.buffer.indexOf(String.fromCharCode(c), from);
    const at = found < 0 ? this.buffer.length : found;
    this.nextAt.set(c, { from, at });
    return at;
  }

  /** Moves to just before the next `a` or `b` (or the end): the parse loop then steps onto it. */
  private skipToBefore(a: number, b: number): void {
    const from = this.index + 1 - this.offset;
    this.index = Math.min(this.nextOf(a, from), this.nextOf(b, from)) - 1 + this.offset;
  }

  override fastForwardTo(c: number): boolean {
    const found = this.buffer.indexOf(String.fromCharCode(c), this.index + 1 - this.offset);
    if (found >= 0) {
      this.index = found + this.offset;
      return true;
    }
    // As the stock loop: the parse loop increments past the end.
    this.index = this.buffer.length + this.offset - 1;
    return false;
  }

  override stateText(c: number): void {
    if (c === LT || c === AMP || !this.decodeEntities) {
      super.stateText(c);
      return;
    }
    // In text only `<` and (decoding entities) `&` change state.
    this.skipToBefore(LT, AMP);
  }

  override handleInAttributeValue(c: number, quote: number): void {
    if (c === quote || c === AMP || !this.decodeEntities) {
      super.handleInAttributeValue(c, quote);
      return;
    }
    this.skipToBefore(quote, AMP);
  }
}

/** For htmlparser2's `Tokenizer` parser option (cheerio passes its options through to the parser). */
export const FastTokenizer = SkippingTokenizer as unknown as typeof Tokenizer;
