import { describe, expect, it } from 'vitest';
import { formatIPv4, formatIPv4Range, parseIPv4, parseIPv4Cidr } from './ipv4.js';

describe('IPv4 addresses', () => {
  it('parse to 32-bit numbers and format back', () => {
    expect(parseIPv4('10.244.0.5')).toBe(10 * 2 ** 24 + 244 * 2 ** 16 + 5);
    expect(parseIPv4('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(formatIPv4(parseIPv4('192.168.1.20')!)).toBe('192.168.1.20');
  });

  it('refuse what is not a dotted quad', () => {
    for (const text of ['10.244.0', '10.244.0.256', '10.244.0.05', 'fd00::1', '10.0.0.1/32', ''])
      expect(parseIPv4(text)).toBeUndefined();
  });
});

describe('IPv4 CIDRs', () => {
  it('span their prefix, ignoring host bits as the API server allows', () => {
    expect(parseIPv4Cidr('10.244.0.0/24')).toEqual([parseIPv4('10.244.0.0'), parseIPv4('10.244.0.255')]);
    expect(parseIPv4Cidr('10.244.0.77/24')).toEqual(parseIPv4Cidr('10.244.0.0/24'));
    expect(parseIPv4Cidr('0.0.0.0/0')).toEqual([0, 2 ** 32 - 1]);
    expect(parseIPv4Cidr('10.0.0.1/32')).toEqual([parseIPv4('10.0.0.1'), parseIPv4('10.0.0.1')]);
  });

  it('are undefined for IPv6 and malformed text', () => {
    for (const text of ['fd00::/8', '10.0.0.0/33', '10.0.0.0', '10.0.0.0/8/8', '10.0.0.0/x'])
      expect(parseIPv4Cidr(text)).toBeUndefined();
  });

  it('format as an address, a CIDR when aligned, or a range', () => {
    const ip = (t: string) => parseIPv4(t)!;
    expect(formatIPv4Range([ip('10.0.0.1'), ip('10.0.0.1')])).toBe('10.0.0.1');
    expect(formatIPv4Range(parseIPv4Cidr('10.1.0.0/16')!)).toBe('10.1.0.0/16');
    expect(formatIPv4Range([ip('10.0.0.1'), ip('10.0.0.2')])).toBe('10.0.0.1-10.0.0.2');
    expect(formatIPv4Range([ip('10.0.0.0'), ip('10.0.0.2')])).toBe('10.0.0.0-10.0.0.2');
  });
});
