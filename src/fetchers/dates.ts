/**
 * Feed dates to UTC instants.
 *
 * Hand-rolled on purpose: `Date.parse` is implementation-defined for anything but ISO 8601, does not know
 * EDT/PDT-style zones reliably, reads "02 Jul 2025 13:14:54" as local time and takes no two-digit-year rule.
 * Feeds in the wild send RFC 822/1123 with named, military or numeric zones, two-digit years, missing
 * seconds or weekdays, wrong weekdays, localised month names, "Jul 24, 2025 05:47:25+0000", 12-hour clocks
 * and ISO 8601 with or without an offset. Words are looked up in the tables below; a word that is in
 * none of them makes the date unparseable (null) rather than guessed.
 *
 * A date with no zone at all is read as UTC: feeds that omit it (Proofpoint, date-only ISO) give no better
 * clue, and the error is bounded to the zone offset.
 */

const MONTH_NAMES: ReadonlyArray<readonly [number, readonly string[]]> = [
  [1, ['jan', 'january', 'janv', 'janvier', 'januar', 'ene', 'enero', 'janeiro', 'gen', 'gennaio']],
  [2, ['feb', 'february', 'févr', 'fevr', 'fév', 'fev', 'février', 'fevrier', 'februar', 'febrero', 'fevereiro', 'febbraio']],
  [3, ['mar', 'march', 'mars', 'mär', 'maer', 'mrz', 'märz', 'maerz', 'marzo', 'março', 'marco']],
  [4, ['apr', 'april', 'avr', 'avril', 'abr', 'abril', 'aprile']],
  [5, ['may', 'mai', 'mayo', 'maio', 'mag', 'maggio']],
  [6, ['jun', 'june', 'juin', 'juni', 'junio', 'junho', 'giu', 'giugno']],
  [7, ['jul', 'july', 'juil', 'juillet', 'juli', 'julio', 'julho', 'lug', 'luglio']],
  [8, ['aug', 'august', 'août', 'aout', 'ago', 'agosto']],
  [9, ['sep', 'sept', 'september', 'septembre', 'set', 'septiembre', 'setembro', 'settembre']],
  [10, ['oct', 'october', 'octobre', 'okt', 'oktober', 'octubre', 'out', 'outubro', 'ott', 'ottobre']],
  [11, ['nov', 'november', 'novembre', 'noviembre', 'novembro']],
  [12, ['dec', 'december', 'déc', 'décembre', 'decembre', 'dez', 'dezember', 'dic', 'diciembre', 'dezembro', 'dicembre']],
];

const MONTHS: ReadonlyMap<string, number> = new Map(MONTH_NAMES.flatMap(([month, names]) => names.map((name) => [name, month] as const)));

/** Weekdays are read and ignored: feeds often get them wrong, and the date alone decides. */
const WEEKDAYS: ReadonlySet<string> = new Set([
  ...['sun', 'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat'],
  ...['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'],
  ...['lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim'], // fr
  ...['mo', 'di', 'mi', 'do', 'fr', 'sa', 'so', 'mon', 'die', 'mit', 'don', 'fre', 'son'], // de
  ...['mié', 'mie', 'jue', 'vie', 'sáb', 'sab', 'dom'], // es
  ...['seg', 'ter', 'qua', 'qui', 'sex'], // pt
  ...['gio'], // it
]);

/** Words that carry no date information: "24 de julho de 2025", "Jul 24 at 10:00". */
const FILLER_WORDS: ReadonlySet<string> = new Set(['de', 'at', 'on', 'the', 'of', 'le', 'am']);

const HOUR = 60;

/**
 * Named zones in minutes east of UTC: RFC 822 names plus the ones real feeds use.
 * IST is read as India (+05:30), by far its most common meaning in news feeds.
 */
const NAMED_ZONES: ReadonlyMap<string, number> = new Map([
  ['z', 0], ['ut', 0], ['utc', 0], ['gmt', 0], ['wet', 0],
  ['est', -5 * HOUR], ['edt', -4 * HOUR], ['cst', -6 * HOUR], ['cdt', -5 * HOUR],
  ['mst', -7 * HOUR], ['mdt', -6 * HOUR], ['pst', -8 * HOUR], ['pdt', -7 * HOUR],
  ['akst', -9 * HOUR], ['akdt', -8 * HOUR], ['hst', -10 * HOUR], ['ast', -4 * HOUR], ['adt', -3 * HOUR],
  ['bst', 1 * HOUR], ['west', 1 * HOUR], ['cet', 1 * HOUR], ['met', 1 * HOUR], ['cest', 2 * HOUR], ['mest', 2 * HOUR],
  ['eet', 2 * HOUR], ['eest', 3 * HOUR], ['msk', 3 * HOUR], ['ist', 5 * HOUR + 30],
  ['sgt', 8 * HOUR], ['hkt', 8 * HOUR], ['awst', 8 * HOUR], ['jst', 9 * HOUR], ['kst', 9 * HOUR],
  ['acst', 9 * HOUR + 30], ['aest', 10 * HOUR], ['aedt', 11 * HOUR], ['nzst', 12 * HOUR], ['nzdt', 13 * HOUR],
]);

/**
 * Military single letters, with the meaning used by the military (A = UTC+1 ... M = UTC+12, N = UTC-1 ...
 * Y = UTC-12). RFC 822 printed the signs reversed and RFC 2822 calls them unreliable; the military meaning
 * is the one a feed author writing them intends.
 */
const MILITARY_ZONES: ReadonlyMap<string, number> = new Map(
  [...'abcdefghiklm'].map((letter, index) => [letter, (index + 1) * HOUR] as const)
    .concat([...'nopqrstuvwxy'].map((letter, index) => [letter, -(index + 1) * HOUR] as const))
    .concat([['z', 0]]),
);

const ISO_PATTERN =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:[t ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*([a-z]{1,5}|[+-]\d{2}(?::?\d{1,2})?)?$/;

const TIME_PATTERN = /(?<![+\-\d])(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([ap])\.?m\.?(?![a-z]))?/;

/** "+0200", "-05:00", "+5", "GMT+2", "UTC-03:30": the zone word before the sign is optional. */
const OFFSET_PATTERN = /(?:^|\s)(?:(?:gmt|utc|ut)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?(?=\s|$)/;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC. */
  offset: number;
}

export function parseFeedDate(value: string | null | undefined, now: Date = new Date()): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim().replace(/\s+/g, ' ').toLowerCase();
  if (text === '') return null;
  const parts = parseIso(text) ?? parseTextual(text, now);
  return parts ? toInstant(parts) : null;
}

function parseIso(text: string): Parts | null {
  const match = ISO_PATTERN.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  const offset = zone === undefined ? 0 : zoneOffset(zone);
  if (offset === null) return null;
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millisecond: fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0,
    offset,
  };
}

function zoneOffset(zone: string): number | null {
  const named = NAMED_ZONES.get(zone) ?? MILITARY_ZONES.get(zone);
  if (named !== undefined) return named;
  const match = /^([+-])(\d{1,2})(?::?(\d{1,2}))?$/.exec(zone);
  if (!match) return null;
  return signedMinutes(match[1] ?? '+', match[2] ?? '0', match[3]);
}

function signedMinutes(sign: string, hours: string, minutes: string | undefined): number | null {
  const total = Number(hours) * HOUR + Number(minutes ?? 0);
  if (Number(hours) > 14 || Number(minutes ?? 0) > 59) return null;
  return sign === '-' ? -total : total;
}

function parseTextual(text: string, now: Date): Parts | null {
  // "24-Jul-2025" and "Jul. 24, 2025": separators carry nothing once words and numbers are apart.
  let rest = ` ${text.replace(/(\d{1,2})-([a-zà-ÿ]{3,})\.?-(\d{2,4})/g, '$1 $2 $3').replace(/,/g, ' ')} `;

  let hour = 0;
  let minute = 0;
  let second = 0;
  let hasTime = false;
  const time = TIME_PATTERN.exec(rest);
  if (time) {
    hasTime = true;
    hour = Number(time[1]);
    minute = Number(time[2]);
    second = Number(time[3] ?? 0);
    const meridiem = time[4];
    if (meridiem !== undefined) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (meridiem === 'p' ? 12 : 0);
    }
    rest = `${rest.slice(0, time.index)} ${rest.slice(time.index + time[0].length)}`;
  }

  let offset: number | null = null;
  const numericZone = OFFSET_PATTERN.exec(rest);
  if (numericZone) {
    offset = signedMinutes(numericZone[1] ?? '+', numericZone[2] ?? '0', numericZone[3]);
    if (offset === null) return null;
    rest = `${rest.slice(0, numericZone.index)} ${rest.slice(numericZone.index + numericZone[0].length)}`;
  }

  const monthWords: string[] = [];
  const numbers: string[] = [];
  let ymd: [number, number, number] | null = null;
  for (const rawToken of rest.split(' ')) {
    const token = rawToken.replace(/\.$/, '');
    if (token === '') continue;
    if (/^\d+$/.test(token)) {
      numbers.push(token);
    } else if (/^\d{1,2}(st|nd|rd|th)$/.test(token)) {
      numbers.push(token.slice(0, -2));
    } else if (/^\d{4}[/.]\d{1,2}[/.]\d{1,2}$/.test(token)) {
      const [y, m, d] = token.split(/[/.]/).map(Number);
      ymd = [y ?? 0, m ?? 0, d ?? 0];
    } else if (MONTHS.has(token)) {
      monthWords.push(token);
    } else if (WEEKDAYS.has(token) || FILLER_WORDS.has(token)) {
      continue;
    } else if (offset === null && (NAMED_ZONES.has(token) || MILITARY_ZONES.has(token))) {
      offset = NAMED_ZONES.get(token) ?? MILITARY_ZONES.get(token) ?? 0;
    } else {
      return null;
    }
  }

  // "mar" is both March and a French/Spanish/Italian Tuesday: with two month words, the weekday goes.
  const months = monthWords.length > 1 ? monthWords.filter((word) => !WEEKDAYS.has(word)) : monthWords;
  if (months.length > 1) return null;

  let year: number;
  let month: number;
  let day: number;
  if (ymd) {
    if (months.length > 0 || numbers.length > 0) return null;
    [year, month, day] = ymd;
  } else {
    const monthWord = months[0];
    if (monthWord === undefined) return null;
    month = MONTHS.get(monthWord) ?? 0;
    // "03 Apr 02 1500 GMT": RFC 822 order day, month, year, then a time without its colon.
    if (!hasTime && numbers.length === 3 && /^\d{3,4}$/.test(numbers[2] ?? '')) {
      const hhmm = (numbers.pop() ?? '').padStart(4, '0');
      hour = Number(hhmm.slice(0, 2));
      minute = Number(hhmm.slice(2));
    }
    if (numbers.length === 2) {
      const [first = '', second_ = ''] = numbers;
      const yearFirst = first.length === 4;
      day = Number(yearFirst ? second_ : first);
      const yearText = yearFirst ? first : second_;
      if (yearText.length === 2) year = expandTwoDigitYear(Number(yearText), now);
      else if (yearText.length === 4) year = Number(yearText);
      else return null;
    } else if (numbers.length === 1) {
      day = Number(numbers[0]);
      year = yearWithoutYear(month, day, now);
    } else {
      return null;
    }
  }

  return { year, month, day, hour, minute, second, millisecond: 0, offset: offset ?? 0 };
}

/** RFC 2822 4.3 says 00-49 is 20xx; with a clock at hand, the century that lands nearest to now. */
function expandTwoDigitYear(twoDigits: number, now: Date): number {
  const century = Math.floor(now.getUTCFullYear() / 100) * 100;
  const candidates = [century - 100 + twoDigits, century + twoDigits, century + 100 + twoDigits];
  return candidates.reduce((best, candidate) =>
    Math.abs(candidate - now.getUTCFullYear()) < Math.abs(best - now.getUTCFullYear()) ? candidate : best,
  );
}

/** "Jul 24 10:00": this year, unless that lands more than a day in the future. */
function yearWithoutYear(month: number, day: number, now: Date): number {
  const thisYear = now.getUTCFullYear();
  const candidate = Date.UTC(thisYear, month - 1, day);
  return candidate > now.getTime() + 24 * 3600 * 1000 ? thisYear - 1 : thisYear;
}

function toInstant(parts: Parts): string | null {
  const { year, month, day, hour, minute, millisecond, offset } = parts;
  const second = Math.min(parts.second, 59); // a leap second is kept in its minute
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || parts.second > 60) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(local);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return new Date(local - offset * 60_000).toISOString();
}
