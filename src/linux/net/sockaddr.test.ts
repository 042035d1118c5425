import { describe, expect, it } from 'vitest';
import { AF_INET, AF_INET6, AF_UNIX, bytesToIpv6, encodeSockaddr, ipv6ToBytes } from './sockaddr.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('socket addresses', () => {
  it('converts IPv6 text to bytes and back', () => {
    expect(hex(ipv6ToBytes('::1'))).toBe('00000000000000000000000000000001');
    expect(hex(ipv6ToBytes('::'))).toBe('0'.repeat(32));
    expect(hex(ipv6ToBytes('fe80::1:2'))).toBe('fe800000000000000000000000010002');
    expect(hex(ipv6ToBytes('::ffff:127.0.0.1'))).toBe('00000000000000000000ffff7f000001');
    expect(hex(ipv6ToBytes('1:2:3:4:5:6:7:8'))).toBe('00010002000300040005000600070008');
    for (const t of ['::1', '::', 'fe80::1:2', '::ffff:127.0.0.1', '1:2:3:4:5:6:7:8', '2001:db8::', '1::8']) {
      expect(bytesToIpv6(ipv6ToBytes(t))).toBe(t);
    }
  });
  it('encodes sockaddr_in, sockaddr_in6 and sockaddr_un as the kernel returns them', () => {
    expect(hex(encodeSockaddr({ family: AF_INET, address: '127.0.0.1', port: 0x1234 }))).toBe('020012347f0000010000000000000000');
    const in6 = encodeSockaddr({ family: AF_INET6, address: '::1', port: 80, flowinfo: 0, scopeId: 0 });
    expect(in6.length).toBe(28);
    expect(hex(in6.subarray(0, 8))).toBe('0a00005000000000');
    // a path comes back with its NUL; an abstract name without one; unnamed is the family alone
    expect(encodeSockaddr({ family: AF_UNIX, name: Buffer.from('/a'), abstract: false }).length).toBe(5);
    expect(hex(encodeSockaddr({ family: AF_UNIX, name: Buffer.from('xy'), abstract: true }))).toBe('0100007879');
    expect(hex(encodeSockaddr({ family: AF_UNIX, name: new Uint8Array(0), abstract: false }))).toBe('0100');
  });
});
