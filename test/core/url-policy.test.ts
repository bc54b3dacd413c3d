import { describe, expect, it } from 'vitest';
import { blockedAddressReason, checkEndpointUrl } from '../../functions/core/url-policy.ts';

const prod = { allowLoopback: false };
const local = { allowLoopback: true };

describe('blockedAddressReason', () => {
  const blocked = [
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '169.254.0.1',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '198.18.0.1',
    '::',
    '::1',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.1.2.3',
    '::ffff:a9fe:a9fe',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '2002:c0a8:0101::1',
    '[::1]',
    // IPv4-mapped (and its translated and compatible forms) as a class, public inside or not
    '::ffff:8.8.8.8',
    '::FFFF:808:808',
    '::ffff:0:8.8.8.8',
    '::ffff:0:7f00:1',
    '::127.0.0.1',
    '::8.8.8.8',
    '0:0:0:0:0:ffff:5db8:d822',
    // NAT64 local-use (64:ff9b:1::/48) and Teredo (2001::/32), whatever IPv4 they carry
    '64:ff9b:1::a00:1',
    '64:ff9b:1::808:808',
    '64:ff9b:1:ffff:ffff:ffff:ffff:ffff',
    '2001::1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    '2001:0:ffff:ffff:ffff:ffff:ffff:ffff',
  ];
  for (const ip of blocked)
    it(`blocks ${ip} in production`, () => expect(blockedAddressReason(ip, prod)).not.toBeNull());
  it('names the IPv4-mapped class in its reason', () =>
    expect(blockedAddressReason('::ffff:8.8.8.8', prod)).toMatch(/IPv4-mapped/));

  // NAT64 and 6to4 are routable: judged by the IPv4 address inside.
  const allowed = [
    '2001:1::1',
    '2001:4860:4860::8888',
    '64:ff9b:2::1',
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '2606:2800:220:1:248:1893:25c8:1946',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ];
  for (const ip of allowed) it(`allows public ${ip}`, () => expect(blockedAddressReason(ip, prod)).toBeNull());

  it('local mode allows loopback and nothing else private', () => {
    for (const ip of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(blockedAddressReason(ip, local)).toBeNull();
    for (const ip of ['10.0.0.1', '169.254.169.254', '192.168.1.1', 'fd00::1', '::ffff:10.0.0.1', '::ffff:8.8.8.8'])
      expect(blockedAddressReason(ip, local)).not.toBeNull();
  });
  it('rejects things that are not addresses', () =>
    expect(blockedAddressReason('example.com', prod)).toMatch(/not an IP/));
});

describe('checkEndpointUrl', () => {
  it('accepts https URLs with public hosts', () => {
    expect(checkEndpointUrl('https://hooks.example.com/docuhook?x=1', prod)).toMatchObject({ ok: true });
    expect(checkEndpointUrl('https://93.184.216.34:8443/h', prod)).toMatchObject({ ok: true });
  });
  it('requires https in production, allows http to loopback in local mode only', () => {
    expect(checkEndpointUrl('http://hooks.example.com/', prod)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/https/),
    });
    expect(checkEndpointUrl('http://127.0.0.1:9999/h', prod)).toMatchObject({ ok: false });
    expect(checkEndpointUrl('http://127.0.0.1:9999/h', local)).toMatchObject({ ok: true });
    expect(checkEndpointUrl('http://localhost:9999/h', local)).toMatchObject({ ok: true });
    expect(checkEndpointUrl('http://[::1]:9999/h', local)).toMatchObject({ ok: true });
    expect(checkEndpointUrl('http://hooks.example.com/', local)).toMatchObject({ ok: false });
    expect(checkEndpointUrl('http://10.0.0.1/', local)).toMatchObject({ ok: false });
  });
  it('refuses credentials, other schemes, private literals, localhost and bare hostnames', () => {
    for (const url of [
      'https://u:p@hooks.example.com/',
      'ftp://example.com/',
      'file:///etc/passwd',
      'https://localhost/',
      'https://internal/',
      'https://169.254.169.254/',
      'https://[::ffff:7f00:1]/',
      'nonsense',
      `https://${'a'.repeat(2100)}.com/`,
    ]) {
      expect(checkEndpointUrl(url, prod).ok, url).toBe(false);
    }
  });
});
