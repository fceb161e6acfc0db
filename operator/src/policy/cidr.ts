/**
 * Which addresses a NetworkPolicy ipBlock opens: the gate lets egress reach public addresses only,
 * never private, loopback, link-local (cloud metadata), multicast, documentation or the cluster's
 * own ranges, whatever `except` list tries to carve them back out.
 */

interface Range {
  readonly v6: boolean;
  readonly start: bigint;
  readonly end: bigint;
  readonly text: string;
}

function ipv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function ipv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]{2,45}$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): bigint[] | undefined => {
    if (half === '') return [];
    const out: bigint[] = [];
    const pieces = half.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = ipv4(piece);
        if (v4 === undefined) return undefined;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) out.push(BigInt(`0x${piece}`));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return undefined;
  return [...head, ...Array<bigint>(missing).fill(0n), ...tail].reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** The range a CIDR covers, or undefined when it is not one. */
export function parseCidr(text: string): Range | undefined {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!match) return undefined;
  const v6 = match[1]!.includes(':');
  const address = v6 ? ipv6(match[1]!) : ipv4(match[1]!);
  const bits = v6 ? 128n : 32n;
  const prefix = BigInt(match[2]!);
  if (address === undefined || prefix > bits) return undefined;
  const size = 1n << (bits - prefix);
  const start = address - (address % size);
  return { v6, start, end: start + size - 1n, text };
}

/** Address ranges that are not the public internet (IANA special-purpose registries). */
export const NOT_PUBLIC_CIDRS: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  '::ffff:0:0/96',
  '64:ff9b::/96',
  '64:ff9b:1::/48',
  '100::/64',
  '2001::/32',
  '2001:db8::/32',
  '2002::/16',
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
];
const NOT_PUBLIC = NOT_PUBLIC_CIDRS.map((cidr) => parseCidr(cidr)!);

/** Whether the union of `parts` covers [start, end]. */
function covered(start: bigint, end: bigint, parts: readonly Range[]): boolean {
  let next = start;
  for (const part of [...parts].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))) {
    if (part.start > next) return false;
    if (part.end >= next) next = part.end + 1n;
    if (next > end) return true;
  }
  return next > end;
}

/**
 * The first non-public range that `cidr` minus `except` still reaches, or undefined when only
 * public addresses remain. `extra` adds the cluster's own ranges.
 */
export function nonPublicReach(
  cidr: Range,
  except: readonly Range[],
  extra: readonly Range[],
): string | undefined {
  for (const reserved of [...NOT_PUBLIC, ...extra]) {
    if (reserved.v6 !== cidr.v6) continue;
    const start = reserved.start > cidr.start ? reserved.start : cidr.start;
    const end = reserved.end < cidr.end ? reserved.end : cidr.end;
    if (start > end) continue;
    if (
      !covered(
        start,
        end,
        except.filter((e) => e.v6 === cidr.v6),
      )
    )
      return reserved.text;
  }
  return undefined;
}
