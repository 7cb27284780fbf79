/** One word of the text: a run of letters and digits, with where it sits. */
export interface Token {
  text: string;
  lower: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    tokens.push({ text: match[0], lower: match[0].toLowerCase(), start: match.index, end: match.index + match[0].length });
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
