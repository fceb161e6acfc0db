/**
 * IPv4 addresses and CIDRs as 32-bit numbers, for address ranges. Pods on the local cluster have
 * IPv4 addresses only; IPv6 text is reported as not IPv4 rather than guessed at.
 */
import type { Range } from './ranges.js';

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The address as a number, or undefined when the text is not a dotted-quad IPv4 address. */
export function parseIPv4(text: string): number | undefined {
  const octets = text.split('.');
  if (octets.length !== 4 || !octets.every((o) => OCTET.test(o))) return undefined;
  return octets.reduce((value, octet) => value * 256 + Number(octet), 0);
}

/** The addresses of an IPv4 CIDR (host bits ignored, as the API server's validation allows), or undefined. */
export function parseIPv4Cidr(text: string): Range | undefined {
  const [address, prefixText, extra] = text.split('/');
  if (address === undefined || prefixText === undefined || extra !== undefined) return undefined;
  const base = parseIPv4(address);
  if (base === undefined || !/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) return undefined;
  const size = 2 ** (32 - Number(prefixText));
  const first = base - (base % size);
  return [first, first + size - 1];
}

export function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** One address, a CIDR when the range is exactly one, else `first-last` (nftables' range syntax). */
export function formatIPv4Range([first, last]: Range): string {
  if (first === last) return formatIPv4(first);
  const size = last - first + 1;
  const prefix = 32 - Math.log2(size);
  if (Number.isInteger(prefix) && first % size === 0) return `${formatIPv4(first)}/${prefix}`;
  return `${formatIPv4(first)}-${formatIPv4(last)}`;
}
