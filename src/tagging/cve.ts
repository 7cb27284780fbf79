/**
 * CVE IDs in every spelling news uses ("CVE-2024-3400", "cve 2024 3400", en/em dashes, non-breaking spaces),
 * validated and returned as `CVE-YYYY-NNNN`.
 */
const DASH = '[-\u2010\u2011\u2012\u2013\u2014_:]';
const GAP = `[\\s\u00a0]*${DASH}?[\\s\u00a0]*`;
const CVE_PATTERN = new RegExp(`\\bCVE${GAP}(\\d{4})${GAP}(\\d{4,7})(?![\\d\\p{L}])`, 'giu');

/** The first CVE year (the programme started in 1999). */
const FIRST_YEAR = 1999;

export function isValidCve(year: number, sequence: string, now: Date = new Date()): boolean {
  if (year < FIRST_YEAR || year > now.getUTCFullYear() + 1) return false;
  // Four digits may be zero-padded (CVE-2014-0160); longer sequences never are.
  if (sequence.length > 4 && sequence.startsWith('0')) return false;
  return Number(sequence) > 0;
}

export interface CveHit {
  id: string;
  surface: string;
}

/** "cve" in any case: without it there is nothing for the costlier pattern to find. */
const CVE_WORD = /cve/i;

export function findCves(text: string, now: Date = new Date()): CveHit[] {
  const hits: CveHit[] = [];
  if (!CVE_WORD.test(text)) return hits;
  CVE_PATTERN.lastIndex = 0;
  for (let match = CVE_PATTERN.exec(text); match !== null; match = CVE_PATTERN.exec(text)) {
    const [surface, year, sequence] = match;
    if (year === undefined || sequence === undefined) continue;
    if (isValidCve(Number(year), sequence, now)) hits.push({ id: `CVE-${year}-${sequence}`, surface });
  }
  return hits;
}
