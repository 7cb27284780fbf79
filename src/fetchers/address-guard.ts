import { BlockList, isIP } from 'node:net';
import { SecwireError } from '../errors.js';

/**
 * The SSRF rules: which addresses secwire refuses to connect to unless the exact `host:port` is allowed.
 * Enforced at connect time by the connector in `http-connector.ts` (every DNS answer and every IP literal).
 */

const BLOCKED_IPV4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", incl. the unspecified address
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT, RFC 6598
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, incl. cloud metadata 169.254.169.254
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, incl. broadcast 255.255.255.255
];

const BLOCKED_IPV6: Array<[string, number]> = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local, RFC 4193
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local, still routed inside some networks
  ['ff00::', 8], // multicast
];

const blockList = new BlockList();
for (const [network, prefix] of BLOCKED_IPV4) blockList.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of BLOCKED_IPV6) blockList.addSubnet(network, prefix, 'ipv6');

/**
 * IPv6 forms that carry an IPv4 address: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96).
 * They reach the embedded IPv4 host, so they are judged by it.
 */
function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  if (groups === null) return null;
  const prefix = groups.slice(0, 6);
  const isMapped = prefix.slice(0, 5).every((g) => g === 0) && prefix[5] === 0xffff;
  const isCompatible = prefix.every((g) => g === 0);
  const isNat64 = prefix[0] === 0x64 && prefix[1] === 0xff9b && prefix.slice(2).every((g) => g === 0);
  if (!isMapped && !isCompatible && !isNat64) return null;
  const high = groups[6] ?? 0;
  const low = groups[7] ?? 0;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** Eight 16-bit groups of an IPv6 address, or null when it is not one. */
function expandIpv6(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1] !== undefined) {
    const bytes = dotted[1].split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = bytes;
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const all = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return all.length === 8 ? all.map((g) => parseInt(g, 16)) : null;
}

/** True when connecting to this IP (v4 or v6, no brackets) needs an explicit allowPrivateHosts entry. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) throw new SecwireError('BadUrl', `not an IP address: ${address}`);
  if (family === 4) return blockList.check(address, 'ipv4');
  const bare = address.replace(/%.*$/, '');
  const inner = embeddedIpv4(bare);
  if (inner !== null && blockList.check(inner, 'ipv4')) return true;
  return blockList.check(bare, 'ipv6');
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * `host:port` as WHATWG URL normalises it (lower case, IPv4 spellings folded to dotted quads, IPv6 bracketed and
 * compressed), with the default port made explicit, so `2130706433:80` and `127.0.0.1:80` are one key.
 */
export function hostPortKey(hostname: string, port: string | number, protocol = 'http:'): string {
  const url = new URL(`${protocol}//${hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname}`);
  const explicitPort = String(port) === '' ? (DEFAULT_PORTS[protocol] ?? '') : String(port);
  return `${url.hostname.replace(/\.$/, '')}:${explicitPort}`;
}

/** Normalises configured `allowPrivateHosts` entries ("127.0.0.1:8081", "[::1]:8080", "localhost:3000"). */
export function normaliseAllowList(entries: readonly string[]): Set<string> {
  const keys = new Set<string>();
  for (const entry of entries) {
    let url: URL;
    try {
      url = new URL(`http://${entry}`);
    } catch {
      throw new SecwireError('ConfigError', `fetch.allowPrivateHosts: "${entry}" is not a host:port`, { key: 'fetch.allowPrivateHosts' });
    }
    if (url.port === '' && !/:80$/.test(entry)) {
      throw new SecwireError('ConfigError', `fetch.allowPrivateHosts: "${entry}" needs an explicit port (host:port)`, {
        key: 'fetch.allowPrivateHosts',
      });
    }
    keys.add(hostPortKey(url.hostname, url.port === '' ? '80' : url.port));
  }
  return keys;
}

/** The IP literal of a URL hostname ("[::1]" -> "::1"), or null for a DNS name. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? null : bare;
}

/** `target` is the URL when known, else the host name; the HTTP client names the URL in the end. */
export function blockedAddressError(target: string, address: string): SecwireError {
  return new SecwireError(
    'BlockedAddress',
    `refused to fetch ${target}: it resolves to ${address}, a private, loopback or link-local address (allow its host:port in fetch.allowPrivateHosts)`,
    { url: target, address },
  );
}
