import { describe, expect, it } from 'vitest';
import { SecwireError } from '../errors.js';
import { ftsExcluded, ftsMatch, parseQuery } from './search-query.js';

const now = new Date('2026-11-30T12:00:00Z');

describe('parseQuery', () => {
  it('ANDs words and quotes each for FTS5', () => {
    const q = parseQuery('ivanti zero-day', { now });
    expect(ftsMatch(q)).toBe('"ivanti" AND "zero day"');
  });

  it('groups OR and keeps phrases and prefixes', () => {
    const q = parseQuery('"connect secure" OR pulse ransom*', { now });
    expect(ftsMatch(q)).toBe('("connect secure" OR "pulse") AND "ransom"*');
  });

  it('collects exclusions separately', () => {
    const q = parseQuery('fortinet -phishing -"password spray"', { now });
    expect(ftsMatch(q)).toBe('"fortinet"');
    expect(ftsExcluded(q)).toBe('"phishing" OR "password spray"');
  });

  it('reads tag filters in long and short forms, normalising case', () => {
    const q = parseQuery('tag:actor:APT29 -tag:incident:phishing cve:cve-2024-3400 vendor:Fortinet technique:t1059.001', { now });
    expect(q.tags).toEqual(['actor:apt29', 'cve:CVE-2024-3400', 'vendor:fortinet', 'technique:T1059.001']);
    expect(q.excludedTags).toEqual(['incident:phishing']);
    expect(ftsMatch(q)).toBeNull();
  });

  it('reads sources, absolute and relative dates, and sort', () => {
    const q = parseQuery('source:BleepingComputer since:2024-01-01 until:7d sort:date', { now });
    expect(q.sources).toEqual(['bleepingcomputer']);
    expect(q.since).toBe('2024-01-01T00:00:00.000Z');
    expect(q.until).toBe('2026-11-23T12:00:00.000Z');
    expect(q.sort).toBe('date');
    expect(parseQuery('since:2024', { now }).since).toBe('2024-01-01T00:00:00.000Z');
    expect(parseQuery('since:2024-03', { now }).since).toBe('2024-03-01T00:00:00.000Z');
  });

  it('never lets FTS5 syntax through: NEAR, columns, parentheses, carets, lone stars', () => {
    const q = parseQuery('NEAR(a b) title:x ^start (c OR d) * + AND NOT', { now });
    const match = ftsMatch(q)!;
    // A token glued by punctuation is a phrase of its parts, as FTS5 indexed it; operators are only words.
    expect(match).toBe('"NEAR a" AND "b" AND "title x" AND "start" AND ("c" OR "d") AND "AND" AND "NOT"');
  });

  it('survives hostile input: quotes, NUL bytes, unbalanced quotes', () => {
    expect(ftsMatch(parseQuery('"unclosed phrase', { now }))).toBe('"unclosed phrase"');
    expect(ftsMatch(parseQuery('a\u0000b', { now }))).toBe('"a" AND "b"');
    expect(ftsMatch(parseQuery('say ""hi""', { now }))).toBe('"say" AND "hi"');
    expect(ftsMatch(parseQuery('', { now }))).toBeNull();
    expect(ftsMatch(parseQuery('*** --- """', { now }))).toBeNull();
  });

  it('rejects what it cannot mean with a QueryError naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['OR fortinet', /OR needs a word before/],
      ['fortinet OR', /OR needs a word after/],
      ['since:yesterday', /since: "yesterday" is not a date/],
      ['sort:popular', /sort: must be/],
      ['tag:colour:red', /unknown tag type "colour"/],
      ['cve:', /needs a value/],
      ['x'.repeat(10_000), /limit is 2000/],
      [Array.from({ length: 100 }, (_, i) => `w${i}`).join(' '), /more than 64 terms/],
    ];
    for (const [input, message] of cases) {
      let caught: unknown;
      try {
        parseQuery(input, { now });
      } catch (error) {
        caught = error;
      }
      expect(caught, input.slice(0, 40)).toBeInstanceOf(SecwireError);
      expect((caught as SecwireError).kind).toBe('QueryError');
      expect((caught as SecwireError).message).toMatch(message);
    }
  });
});
