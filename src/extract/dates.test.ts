import { describe, expect, it } from 'vitest';
import { dateFromUrl, parseDate } from './dates.js';

const check = { now: new Date('2024-06-01T12:00:00Z') };

describe('parseDate', () => {
  it.each([
    ['2021-11-29T14:03:00Z', '2021-11-29T14:03:00Z'],
    ['2021-11-29T14:03:00+09:00', '2021-11-29T14:03:00+09:00'],
    ['2021-11-29T14:03:00.250-0500', '2021-11-29T14:03:00.250-05:00'],
    ['2021-11-29 14:03:00.389000+00:00', '2021-11-29T14:03:00.389Z'],
    ['2021-11-29', '2021-11-29T00:00:00Z'],
    ['20211129T140300Z', '2021-11-29T14:03:00Z'],
    ['Mon, 29 Nov 2021 14:03:00 +0100', '2021-11-29T14:03:00+01:00'],
    ['Mon, 29 Nov 2021 14:03:00 GMT', '2021-11-29T14:03:00Z'],
    ['1638194580', '2021-11-29T14:03:00Z'],
    ['November 29, 2021', '2021-11-29T00:00:00Z'],
    ['Nov. 29, 2021 2:03 PM EST', '2021-11-29T14:03:00-05:00'],
    ['Published 29 November 2021, 14:03 UTC', '2021-11-29T14:03:00Z'],
    ['Posted on Monday, November 29th, 2021', '2021-11-29T00:00:00Z'],
    ['29. November 2021, 14:03 Uhr', '2021-11-29T14:03:00Z'],
    ['Veröffentlicht am 29.11.2021 um 14:03', '2021-11-29T14:03:00Z'],
    ['29 novembre 2021 à 14h03', '2021-11-29T14:03:00Z'],
    ['le 3 févr. 2022', '2022-02-03T00:00:00Z'],
    ['29 de noviembre de 2021', '2021-11-29T00:00:00Z'],
    ['2021年11月29日 14時03分', '2021-11-29T14:03:00+09:00'],
    ['2021年11月29日', '2021-11-29T00:00:00+09:00'],
    ['11/29/2021', '2021-11-29T00:00:00Z'],
    ['2021/11/29', '2021-11-29T00:00:00Z'],
  ])('reads %s', (raw, expected) => {
    expect(parseDate(raw, check)).toBe(expected);
  });

  it('reads zone-less dates in the zone of the page language when it has one', () => {
    expect(parseDate('2019/04/04', { ...check, defaultOffsetMinutes: 540 })).toBe('2019-04-04T00:00:00+09:00');
    expect(parseDate('2019-04-04T10:00:00Z', { ...check, defaultOffsetMinutes: 540 })).toBe('2019-04-04T10:00:00Z');
  });

  it.each([
    ['a date in the future', '2031-01-01T00:00:00Z'],
    ['a date before 1995', '1994-12-31T23:00:00Z'],
    ['an impossible day', '2021-02-30'],
    ['words', 'yesterday afternoon'],
    ['an empty string', ''],
  ])('rejects %s', (_label, raw) => {
    expect(parseDate(raw, check)).toBeNull();
  });
});

describe('dateFromUrl', () => {
  it.each([
    ['https://example.com/2021/11/29/acme-breach/', '2021-11-29T00:00:00Z'],
    ['https://example.com/news/2021-11-29-acme-breach', '2021-11-29T00:00:00Z'],
    ['https://example.com/archive/20211129/acme', '2021-11-29T00:00:00Z'],
  ])('reads %s', (url, expected) => {
    expect(dateFromUrl(url, check)).toBe(expected);
  });

  it('finds nothing in a month-only or date-free path', () => {
    expect(dateFromUrl('https://example.com/2021/11/acme-breach', check)).toBeNull();
    expect(dateFromUrl('https://example.com/article/acme-breach-12345', check)).toBeNull();
  });
});
