/**
 * Date strings as pages write them -> ISO 8601 instants with offset. Hand-rolled on purpose: Date.parse
 * reads offset-less strings in the machine's zone and knows no non-English month names, and the
 * well-kept date libraries (date-fns, luxon) need a known format per string; pages give free text.
 */

export const EARLIEST_PLAUSIBLE = Date.UTC(1995, 0, 1);
/** A page's clock and zone may run ahead of ours: tolerate this much "future". */
export const FUTURE_TOLERANCE_MS = 36 * 60 * 60 * 1000;

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC, or null when the string gave no zone (read as UTC). */
  offsetMinutes: number | null;
}

const MONTHS: Record<string, number> = {};
function addMonths(names: string[][]): void {
  names.forEach((variants, index) => {
    for (const variant of variants) MONTHS[variant] = index + 1;
  });
}
// English, German, French, Spanish, Italian, Dutch, Portuguese: full names and common abbreviations.
addMonths([
  ['january', 'jan', 'januar', 'jänner', 'janvier', 'janv', 'enero', 'ene', 'gennaio', 'gen', 'januari', 'janeiro'],
  ['february', 'feb', 'februar', 'février', 'fevrier', 'févr', 'fevr', 'febrero', 'febbraio', 'februari', 'fevereiro', 'fev'],
  ['march', 'mar', 'märz', 'maerz', 'mars', 'marzo', 'maart', 'março', 'marco', 'mär', 'mrt'],
  ['april', 'apr', 'avril', 'avr', 'abril', 'abr', 'aprile'],
  ['may', 'mai', 'mayo', 'maggio', 'mag', 'mei', 'maio'],
  ['june', 'jun', 'juni', 'juin', 'junio', 'giugno', 'giu', 'junho'],
  ['july', 'jul', 'juli', 'juillet', 'juil', 'julio', 'luglio', 'lug', 'julho'],
  ['august', 'aug', 'août', 'aout', 'agosto', 'ago', 'augustus'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre', 'settembre', 'set', 'setembro'],
  ['october', 'oct', 'oktober', 'okt', 'octobre', 'octubre', 'ottobre', 'ott', 'outubro', 'out'],
  ['november', 'nov', 'novembre', 'noviembre', 'novembro'],
  ['december', 'dec', 'dezember', 'dez', 'décembre', 'decembre', 'déc', 'diciembre', 'dic', 'dicembre', 'dezembro'],
]);

const ZONES: Record<string, number> = {
  utc: 0, gmt: 0, z: 0, ut: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  bst: 60, cet: 60, cest: 120, mez: 60, mesz: 120, eet: 120, eest: 180, jst: 540, ist: 330, aest: 600, aedt: 660,
};

function pad(value: number, width = 2): string {
  return String(Math.abs(value)).padStart(width, '0');
}

function toInstant(parts: DateParts): number {
  const local = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millisecond);
  return local - (parts.offsetMinutes ?? 0) * 60_000;
}

function isValid(parts: DateParts): boolean {
  const check = new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
  return (
    parts.month >= 1 && parts.month <= 12 && check.getUTCDate() === parts.day && check.getUTCMonth() === parts.month - 1 &&
    parts.hour <= 24 && parts.minute <= 59 && parts.second <= 60
  );
}

/** ISO 8601 with the page's own offset ("+02:00"), or "Z" when the page gave UTC or no zone. */
function format(parts: DateParts): string {
  const offset = parts.offsetMinutes ?? 0;
  const ms = parts.millisecond ? `.${pad(parts.millisecond, 3)}` : '';
  const zone = offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${parts.year}-${pad(parts.month)}-${pad(parts.day)}T${pad(parts.hour)}:${pad(parts.minute)}:${pad(parts.second)}${ms}${zone}`;
}

function partsFromInstant(ms: number): DateParts {
  const date = new Date(ms);
  return {
    year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(),
    hour: date.getUTCHours(), minute: date.getUTCMinutes(), second: date.getUTCSeconds(),
    millisecond: date.getUTCMilliseconds(), offsetMinutes: 0,
  };
}

function parseOffset(zone: string | undefined): number | null {
  if (!zone) return null;
  const lower = zone.toLowerCase();
  if (lower in ZONES) return ZONES[lower] ?? null;
  const match = /^(?:gmt|utc)?([+-])(\d{1,2}):?(\d{2})?$/.exec(lower);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:T?(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME = /(\d{1,2})[:h.](\d{2})(?::(\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?(?:\s*uhr)?(?:\s*\(?\s*([A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\)?)?/i;

function withTime(parts: Omit<DateParts, 'hour' | 'minute' | 'second' | 'millisecond' | 'offsetMinutes'>, rest: string): DateParts {
  const base: DateParts = { ...parts, hour: 0, minute: 0, second: 0, millisecond: 0, offsetMinutes: null };
  const time = TIME.exec(rest);
  if (!time) return base;
  let hour = Number(time[1]);
  const meridiem = time[4]?.toLowerCase().replace(/\./g, '');
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  return { ...base, hour, minute: Number(time[2]), second: Number(time[3] ?? 0), offsetMinutes: parseOffset(time[5]) };
}

function monthNumber(name: string): number | undefined {
  return MONTHS[name.toLowerCase().replace(/\.$/, '')];
}

const MONTH_WORD = '([A-Za-zÀ-ÿ]{3,10}\\.?)';
const DAY_MONTH_YEAR = new RegExp(`(\\d{1,2})(?:st|nd|rd|th|er|\\.|º)?\\s+(?:de\\s+)?${MONTH_WORD},?\\s+(?:de\\s+)?(\\d{4})`, 'i');
const MONTH_DAY_YEAR = new RegExp(`${MONTH_WORD}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})`, 'i');
const JAPANESE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:[^\d]{0,6}(\d{1,2})\s*[時:]\s*(\d{1,2}))?/;
const NUMERIC_DMY = /\b(\d{1,2})[./](\d{1,2})[./](\d{4})\b/;
const NUMERIC_YMD = /\b(\d{4})[./](\d{1,2})[./](\d{1,2})\b/;

/** Reads free text (a byline, a date line) in the formats news pages use. Null when none is found. */
function parseTextParts(text: string): DateParts | null {
  const japanese = JAPANESE.exec(text);
  if (japanese) {
    const parts = { year: Number(japanese[1]), month: Number(japanese[2]), day: Number(japanese[3]) };
    const hour = japanese[4] ? Number(japanese[4]) : 0;
    const minute = japanese[5] ? Number(japanese[5]) : 0;
    // Japanese pages write local time; without a zone on the page JST is the honest reading.
    return { ...parts, hour, minute, second: 0, millisecond: 0, offsetMinutes: 540 };
  }
  const dmy = DAY_MONTH_YEAR.exec(text);
  if (dmy) {
    const month = monthNumber(dmy[2] ?? '');
    if (month) return withTime({ year: Number(dmy[3]), month, day: Number(dmy[1]) }, text.slice(dmy.index + dmy[0].length));
  }
  const mdy = MONTH_DAY_YEAR.exec(text);
  if (mdy) {
    const month = monthNumber(mdy[1] ?? '');
    if (month) {
      const after = text.slice(mdy.index + mdy[0].length);
      const before = text.slice(0, mdy.index);
      return withTime({ year: Number(mdy[3]), month, day: Number(mdy[2]) }, TIME.test(after) ? after : before);
    }
  }
  const ymd = NUMERIC_YMD.exec(text);
  if (ymd) return withTime({ year: Number(ymd[1]), month: Number(ymd[2]), day: Number(ymd[3]) }, text.slice(ymd.index + ymd[0].length));
  const numeric = NUMERIC_DMY.exec(text);
  if (numeric) {
    // Day first: the European order. A US "11/29/2021" (second field > 12) is read month first.
    let day = Number(numeric[1]);
    let month = Number(numeric[2]);
    if (month > 12 && day <= 12) [day, month] = [month, day];
    return withTime({ year: Number(numeric[3]), month, day }, text.slice(numeric.index + numeric[0].length));
  }
  return null;
}

function parseParts(raw: string): DateParts | null {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (!text || text.length > 300) return null;
  const iso = ISO.exec(text) ?? COMPACT.exec(text);
  if (iso) {
    const fraction = iso[7] && iso[0].includes(':') ? Number(`0.${iso[7]}`) : 0;
    return {
      year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]),
      hour: Number(iso[4] ?? 0), minute: Number(iso[5] ?? 0), second: Number(iso[6] ?? 0),
      millisecond: Math.round(fraction * 1000) % 1000,
      offsetMinutes: parseOffset(iso[8]),
    };
  }
  if (/^\d{10}(\d{3})?$/.test(text)) {
    return partsFromInstant(text.length === 13 ? Number(text) : Number(text) * 1000);
  }
  // RFC 2822 and friends ("Mon, 29 Nov 2021 14:03:00 +0000") carry their zone: Date.parse is exact then.
  if (/\b\d{1,2}:\d{2}(:\d{2})?\s*(gmt|utc|ut|z|[+-]\d{4}|[ecmp][sd]t)\b/i.test(text) && /^[a-z]{3},?\s/i.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) {
      const zone = /([+-]\d{2}):?(\d{2})\s*$/.exec(text);
      const offset = zone ? parseOffset(`${zone[1]}${zone[2]}`) : 0;
      return { ...partsFromInstant(ms + (offset ?? 0) * 60_000), offsetMinutes: offset ?? 0 };
    }
  }
  return parseTextParts(text);
}

export interface DateCheck {
  now: Date;
  /** Zone for strings that name none (minutes east of UTC); UTC when absent. */
  defaultOffsetMinutes?: number;
}

/**
 * Where a page's language has one zone without daylight saving, its zone-less dates are read in it.
 * Elsewhere (Europe, the Americas) the zone is ambiguous, and UTC is the honest reading.
 */
const LANGUAGE_OFFSETS: Record<string, number> = { ja: 540, ko: 540, zh: 480 };

export function offsetForLanguage(lang: string | null): number | undefined {
  return lang ? LANGUAGE_OFFSETS[lang.split('-')[0] ?? ''] : undefined;
}

/** Parses and checks plausibility (not before 1995, not in the future). Null when neither holds. */
export function parseDate(raw: string | null | undefined, check: DateCheck): string | null {
  if (!raw) return null;
  const parsed = parseParts(raw);
  if (!parsed || !isValid(parsed)) return null;
  const parts = parsed.offsetMinutes === null && check.defaultOffsetMinutes !== undefined ? { ...parsed, offsetMinutes: check.defaultOffsetMinutes } : parsed;
  const instant = toInstant(parts);
  if (Number.isNaN(instant) || instant < EARLIEST_PLAUSIBLE || instant > check.now.getTime() + FUTURE_TOLERANCE_MS) return null;
  return format(parts);
}

/** Year/month/day from a URL path ("/2021/11/29/", "/2021-11-29-", "/20211129/"), or null. */
export function dateFromUrl(url: string, check: DateCheck): string | null {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return null;
  }
  const match = /(?:^|\/|[-_])((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[/_-]|\.html?|$)/.exec(path) ??
    /\/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_-]|$)/.exec(path);
  if (!match) return null;
  return parseDate(`${match[1]}-${pad(Number(match[2]))}-${pad(Number(match[3]))}`, check);
}

export function instantOf(iso: string): number {
  return Date.parse(iso);
}
