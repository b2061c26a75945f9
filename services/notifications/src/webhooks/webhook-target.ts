import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** Where webhooks may go besides the public internet: hosts by name, networks by CIDR (config). */
export interface TargetAllowList {
  hosts: readonly string[];
  cidrs: readonly string[];
}

/** A URL or an address a webhook must not be sent to; the message says why, for the subscriber. */
export class RefusedTargetError extends Error {
  override readonly name = 'RefusedTargetError';
}

/**
 * Loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast, unspecified and
 * reserved ranges, IPv4 and IPv6 (with IPv4-mapped IPv6): an outbound request there could reach
 * this platform's own services or a cloud's metadata endpoint.
 */
const FORBIDDEN = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  FORBIDDEN.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:127.0.0.1), else the address itself. */
function unmapped(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  return { address, family: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

function allowedNetworks(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network, prefix] = cidr.split('/');
    const family = isIP(network) === 6 ? 'ipv6' : 'ipv4';
    list.addSubnet(network, Number(prefix ?? (family === 'ipv6' ? 128 : 32)), family);
  }
  return list;
}

/** Whether an address is fine to connect to: public, or in an allowed network. */
export function addressAllowed(address: string, allow: TargetAllowList): boolean {
  const { address: plain, family } = unmapped(address);
  if (allowedNetworks(allow.cidrs).check(plain, family)) return true;
  return !FORBIDDEN.check(plain, family);
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();

/** Syntax only: an absolute http(s) URL, no credentials in it. */
export function parseTargetUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RefusedTargetError('url must be an absolute http or https URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new RefusedTargetError('url must be an absolute http or https URL');
  if (url.username || url.password) throw new RefusedTargetError('url must not carry credentials');
  return url;
}

export type Resolve = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolve: Resolve = (host) => dnsLookup(host, { all: true, verbatim: true });

/**
 * The addresses a request to `url` may connect to. Every address the name resolves to must be
 * allowed (a name with one public and one private address is refused), unless the host itself is
 * on the allow-list. Called when a subscription is saved and again at each delivery, with the
 * connection then made to the very address checked, so a name re-pointed meanwhile (DNS
 * rebinding) gains nothing.
 */
export async function resolveTarget(
  url: URL,
  allow: TargetAllowList,
  resolve: Resolve = systemResolve,
): Promise<Array<{ address: string; family: number }>> {
  const host = hostOf(url);
  const hostAllowed = allow.hosts.some((allowed) => allowed.toLowerCase() === host);
  let addresses: Array<{ address: string; family: number }>;
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      throw new RefusedTargetError(`host ${host} does not resolve`);
    }
    if (addresses.length === 0) throw new RefusedTargetError(`host ${host} does not resolve`);
  }
  if (hostAllowed) return addresses;
  const refused = addresses.filter(({ address }) => !addressAllowed(address, allow));
  if (refused.length > 0)
    throw new RefusedTargetError(
      `host ${host} resolves to ${refused.map(({ address }) => address).join(', ')}, a loopback, private, link-local, multicast or reserved address`,
    );
  return addresses;
}
