/** Small text helpers shared by the fixture site's feed and page templates. */
import type { FixtureBlock } from './fixture-data.js';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function blocksToHtml(blocks: FixtureBlock[]): string {
  return blocks
    .map((block) => {
      if (block.kind === 'h2') return `<h2>${escapeHtml(block.text)}</h2>`;
      if (block.kind === 'quote') return `<blockquote><p>${escapeHtml(block.text)}</p></blockquote>`;
      return `<p>${escapeHtml(block.text)}</p>`;
    })
    .join('\n');
}

/** The first `words` words of the body's paragraphs, the way WordPress truncates feed descriptions. */
export function excerpt(blocks: FixtureBlock[], words: number): string {
  const all = blocks
    .filter((block) => block.kind === 'p')
    .map((block) => block.text)
    .join(' ')
    .split(/\s+/);
  return all.length <= words ? all.join(' ') : `${all.slice(0, words).join(' ')} [&#8230;]`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

/** Minutes east of UTC from the end of an ISO instant or a bare offset ("+09:00"); `Z` is 0. */
function offsetMinutes(isoOrOffset: string): number {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(isoOrOffset);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** Wall-clock fields of an instant at a given offset. */
function wallClock(iso: string, offset: number): Date {
  return new Date(Date.parse(iso) + offset * 60_000);
}

/** Named US zones as real feeds still write them ("EDT"); numeric otherwise. */
const NAMED_ZONES = new Map([
  [-240, 'EDT'],
  [-300, 'EST'],
  [-420, 'PDT'],
  [-480, 'PST'],
]);

/**
 * RFC 822 date. `zone`: `gmt` converts to GMT, `offset` keeps the ISO string's offset as `+0200`,
 * `named` keeps it and writes US zone names where one exists.
 */
export function rfc822(iso: string, zone: 'gmt' | 'offset' | 'named'): string {
  const offset = zone === 'gmt' ? 0 : offsetMinutes(iso);
  const wall = wallClock(iso, offset);
  const stamp = `${DAYS[wall.getUTCDay()]}, ${pad(wall.getUTCDate())} ${MONTHS[wall.getUTCMonth()]} ${wall.getUTCFullYear()} ${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  if (zone === 'gmt') return `${stamp} GMT`;
  const named = zone === 'named' ? NAMED_ZONES.get(offset) : undefined;
  if (named) return `${stamp} ${named}`;
  const sign = offset < 0 ? '-' : '+';
  return `${stamp} ${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
}

export function utcIso(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().replace('.000Z', 'Z');
}

/** HTTP-date for Last-Modified. */
export function httpDate(iso: string): string {
  return new Date(Date.parse(iso)).toUTCString();
}

/** "27 October 2026" in the outlet's local time. */
export function longEnglishDate(iso: string, offset: string): string {
  const wall = wallClock(iso, offsetMinutes(offset));
  return `${wall.getUTCDate()} ${MONTH_NAMES[wall.getUTCMonth()]} ${wall.getUTCFullYear()}`;
}

/** "2026年10月27日 14時05分" in the outlet's local time. */
export function japaneseDate(iso: string, offset: string, withTime: boolean): string {
  const wall = wallClock(iso, offsetMinutes(offset));
  const date = `${wall.getUTCFullYear()}年${wall.getUTCMonth() + 1}月${wall.getUTCDate()}日`;
  return withTime ? `${date} ${pad(wall.getUTCHours())}時${pad(wall.getUTCMinutes())}分` : date;
}

/** "Oct 27, 2026 at 08:15" in the outlet's local time. */
export function shortEnglishDateTime(iso: string, offset: string): string {
  const wall = wallClock(iso, offsetMinutes(offset));
  return `${MONTHS[wall.getUTCMonth()]} ${wall.getUTCDate()}, ${wall.getUTCFullYear()} at ${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}`;
}
