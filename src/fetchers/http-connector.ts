import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOneOptions } from 'node:dns';
import { buildConnector } from 'undici';
import { blockedAddressError, hostPortKey, ipLiteral, isBlockedAddress } from './address-guard.js';

type LookupOptions = LookupOneOptions | LookupAllOptions;
type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A DNS lookup for `net.connect` that refuses private answers: the socket connects to the address checked here,
 * so there is no gap between check and connect. Node 20 calls it with `{all: true}` (happy eyeballs) and then
 * expects an array; older call sites ask for one address.
 */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, []);
      return;
    }
    const blocked = addresses.find((entry) => isBlockedAddress(entry.address));
    if (blocked !== undefined) {
      callback(blockedAddressError(hostname, blocked.address) as NodeJS.ErrnoException, []);
      return;
    }
    if (options.all === true) {
      callback(null, addresses);
      return;
    }
    const first = addresses[0];
    if (first === undefined) callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    else callback(null, first.address, first.family);
  });
}

export interface GuardedConnectorOptions {
  /** Normalised `host:port` keys (see `normaliseAllowList`) that may be private. */
  allowed: ReadonlySet<string>;
  connectTimeoutMs: number;
}

/**
 * The connect function of secwire's undici Agent. Every new connection, on the first request and on every
 * redirect hop, passes here: IP literals are judged directly (net.connect never calls lookup for them) and DNS
 * names through `guardedLookup`. Allowed `host:port` entries connect without the address rules.
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const base = { timeout: options.connectTimeoutMs, keepAlive: true };
  const unguarded = buildConnector(base);
  const guarded = buildConnector({ ...base, lookup: guardedLookup });
  return (connectOptions, callback) => {
    const { hostname, port, protocol } = connectOptions;
    const key = hostPortKey(hostname, port, protocol);
    if (options.allowed.has(key)) {
      unguarded(connectOptions, callback);
      return;
    }
    const literal = ipLiteral(hostname);
    if (literal !== null) {
      if (isBlockedAddress(literal)) {
        callback(blockedAddressError(hostname, literal), null);
        return;
      }
      unguarded(connectOptions, callback);
      return;
    }
    guarded(connectOptions, callback);
  };
}
