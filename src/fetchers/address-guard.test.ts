import { describe, expect, it } from 'vitest';
import { hostPortKey, ipLiteral, isBlockedAddress, normaliseAllowList } from './address-guard.js';

/** What the client connects to for a URL: WHATWG URL folds every IPv4 spelling before the guard sees it. */
function hostOf(url: string): string {
  const literal = ipLiteral(new URL(url).hostname);
  if (literal === null) throw new Error(`${url} has no IP literal`);
  return literal;
}

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:a00:1',
    '64:ff9b::a9fe:a9fe',
    '::127.0.0.1',
  ])('refuses %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '100.128.0.1', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://017700000001/', '127.0.0.1'],
    ['http://0xA9FEA9FE/', '169.254.169.254'],
    ['http://0300.0250.1.1/', '192.168.1.1'],
    ['http://[0:0:0:0:0:0:0:1]/', '::1'],
    ['http://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
  ])('every spelling of a private IP is folded and refused: %s', (url, folded) => {
    expect(hostOf(url)).toBe(folded);
    expect(isBlockedAddress(hostOf(url))).toBe(true);
  });
});

describe('allow list keys', () => {
  it('normalises entries so that spellings of one host:port match', () => {
    const allowed = normaliseAllowList(['127.0.0.1:8081', '[::1]:8080', 'LocalHost:3000', '127.0.0.1:80']);
    expect(allowed.has(hostPortKey('2130706433', '8081'))).toBe(true);
    expect(allowed.has(hostPortKey('::1', '8080'))).toBe(true);
    expect(allowed.has(hostPortKey('localhost', '3000'))).toBe(true);
    expect(allowed.has(hostPortKey('127.0.0.1', ''))).toBe(true);
    expect(allowed.has(hostPortKey('127.0.0.1', '8082'))).toBe(false);
    expect(allowed.has(hostPortKey('127.0.0.1', '', 'https:'))).toBe(false);
  });

  it('rejects entries without a port', () => {
    expect(() => normaliseAllowList(['127.0.0.1'])).toThrow(/explicit port/);
  });
});
