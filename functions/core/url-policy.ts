/**
 * SSRF policy for webhook endpoints (docs/design.md §3.5). The URL is checked when an endpoint is created and
 * every resolved address is checked again at connect time (see adapters/http-sender.ts), so DNS
 * rebinding cannot reach an internal address.
 */
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
// IPv4: unspecified/"this network", private, CGNAT, loopback, link-local (incl. 169.254.169.254),
// IETF/test/benchmark ranges, multicast, reserved and broadcast.
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
// IPv6: unspecified, loopback, ULA, link-local, site-local, multicast, documentation, discard,
// NAT64 local-use (RFC 8215: translates to whatever IPv4 the operator's network chooses, private
// ones included) and Teredo (2001::/32: a tunnel whose IPv4 server and client addresses are encoded
// obfuscated, so the address says nothing of where a request ends up).
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  ['2001:db8::', 32],
  ['100::', 64],
  ['64:ff9b:1::', 48],
  ['2001::', 32],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * An IPv4 address carried in an IPv6 one: IPv4-mapped (::ffff:a.b.c.d), its SIIT "translated" form
 * (::ffff:0:a.b.c.d) and the deprecated IPv4-compatible form (::a.b.c.d), which docs/design.md §3.5 blocks as
 * a class; NAT64 (64:ff9b::/96) and 6to4 (2002::/16), which are routable and judged by the IPv4
 * address inside.
 */
type Embedded = { kind: 'mapped' | 'routable'; ipv4: string };

function embeddedIPv4(address: string): Embedded | null {
  const groups = expandIPv6(address.toLowerCase());
  if (!groups) return null;
  const zero = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  const ipv4 = toDotted(groups[6]!, groups[7]!);
  if (zero(0, 5) && groups[5] === 0xffff) return { kind: 'mapped', ipv4 };
  if (zero(0, 4) && groups[4] === 0xffff && groups[5] === 0) return { kind: 'mapped', ipv4 };
  // ::a.b.c.d, but not :: and ::1 themselves (unspecified and loopback, listed below).
  if (zero(0, 6) && !(groups[6] === 0 && groups[7]! <= 1)) return { kind: 'mapped', ipv4 };
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zero(2, 6)) return { kind: 'routable', ipv4 };
  if (groups[0] === 0x2002) return { kind: 'routable', ipv4: toDotted(groups[1]!, groups[2]!) };
  return null;
}

function toDotted(hi: number, lo: number): string {
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

function expandIPv6(address: string): number[] | null {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const parts = v4[1]!.split('.').map(Number);
    text = `${text.slice(0, -v4[1]!.length)}${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const missing = 8 - h.length - t.length;
  if (tail === undefined && h.length !== 8) return null;
  const all = [...h, ...Array(Math.max(missing, 0)).fill('0'), ...t].map((g) => parseInt(g, 16));
  return all.length === 8 && all.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff) ? all : null;
}

export interface AddressPolicy {
  allowLoopback: boolean;
}

/** Why an address may not be contacted, or null when it may. */
export function blockedAddressReason(address: string, policy: AddressPolicy): string | null {
  const unbracketed = address.replace(/^\[|\]$/g, '');
  const family = isIP(unbracketed);
  if (family === 0) return `"${address}" is not an IP address`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (type === 'ipv6') {
    const embedded = embeddedIPv4(unbracketed);
    if (embedded?.kind === 'mapped') {
      // No public endpoint needs these forms; each only dresses up an IPv4 address. Local mode
      // still reaches loopback through them.
      if (policy.allowLoopback && loopback.check(embedded.ipv4, 'ipv4')) return null;
      return `${unbracketed} is an IPv4-mapped IPv6 address`;
    }
    if (embedded) return blockedAddressReason(embedded.ipv4, policy);
  }
  if (policy.allowLoopback && loopback.check(unbracketed, type)) return null;
  if (blocked.check(unbracketed, type)) return `${unbracketed} is a loopback, private, link-local or reserved address`;
  return null;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Static checks on an endpoint URL; the connect-time check covers what DNS resolves to. */
export function checkEndpointUrl(raw: string, policy: AddressPolicy): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'url must be an absolute URL such as https://example.com/webhooks' };
  }
  if (raw.length > 2048) return { ok: false, reason: 'url must be at most 2048 characters' };
  if (url.username || url.password) return { ok: false, reason: 'url must not contain credentials' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) !== 0;
  const isLoopbackName = host === 'localhost' || host.endsWith('.localhost');
  if (url.protocol === 'http:') {
    const loopbackHost =
      isLoopbackName ||
      (literal &&
        blockedAddressReason(host, { allowLoopback: true }) === null &&
        blockedAddressReason(host, { allowLoopback: false }) !== null);
    if (!(policy.allowLoopback && loopbackHost)) {
      return {
        ok: false,
        reason: policy.allowLoopback
          ? 'url must use https (http is allowed for loopback receivers in local mode only)'
          : 'url must use https',
      };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, reason: 'url must use https' };
  }
  if (literal) {
    const reason = blockedAddressReason(host, policy);
    if (reason) return { ok: false, reason: `url points at a blocked address: ${reason}` };
  } else if (isLoopbackName && !policy.allowLoopback) {
    return { ok: false, reason: 'url points at localhost' };
  } else if (!host.includes('.') && !isLoopbackName) {
    return { ok: false, reason: 'url host must be a fully qualified domain name' };
  }
  return { ok: true, url };
}
