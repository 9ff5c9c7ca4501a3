// CIDR functions (cidrhost, cidrnetmask, cidrsubnet, cidrsubnets) for IPv4 and IPv6 prefixes.

import { isIPv4, isIPv6 } from 'node:net';
import type { HclFunction } from '../context.js';
import { argError, defineFunction, jsNumber, NUMBER, STRING } from './define.js';

interface Prefix {
  v6: boolean;
  /** Network address as an integer of 32 or 128 bits. */
  addr: bigint;
  len: number;
}

const bits = (p: { v6: boolean }): number => (p.v6 ? 128 : 32);

function parsePrefix(s: string): Prefix {
  const [ip = '', lenText = ''] = s.split('/');
  const len = Number(lenText);
  const v6 = isIPv6(ip);
  if ((!v6 && !isIPv4(ip)) || !/^\d+$/.test(lenText) || len > (v6 ? 128 : 32)) {
    throw argError('prefix', `invalid CIDR address: ${s}`);
  }
  const full = v6 ? ipv6ToBig(ip) : ip.split('.').reduce((a, o) => (a << 8n) | BigInt(o), 0n);
  const hostBits = BigInt((v6 ? 128 : 32) - len);
  return { v6, addr: (full >> hostBits) << hostBits, len };
}

function ipv6ToBig(ip: string): bigint {
  const [head = '', tail] = ip.split('::');
  const part = (x: string): string[] => (x ? x.split(':') : []);
  let groups = part(head);
  let rest = tail === undefined ? [] : part(tail);
  const last = (tail === undefined ? groups : rest).at(-1);
  if (last?.includes('.')) {
    // Embedded IPv4 tail: two 16-bit groups.
    const o = last.split('.').map(Number);
    const extra = [((o[0]! << 8) | o[1]!).toString(16), ((o[2]! << 8) | o[3]!).toString(16)];
    if (tail === undefined) groups = [...groups.slice(0, -1), ...extra];
    else rest = [...rest.slice(0, -1), ...extra];
  }
  const all = tail === undefined ? groups : [...groups, ...Array(8 - groups.length - rest.length).fill('0'), ...rest];
  return all.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function format(p: { v6: boolean }, addr: bigint): string {
  if (!p.v6) return [24n, 16n, 8n, 0n].map((s) => String((addr >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((addr >> BigInt(112 - i * 16)) & 0xffffn).toString(16));
  // Compress the longest run of zero groups, as Go's net.IP.String does (runs of two or more).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) (best = i), (bestLen = j - i);
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function subnet(p: Prefix, newbits: number, netnum: number): Prefix {
  const len = p.len + newbits;
  if (!Number.isInteger(newbits) || newbits < 0 || len > bits(p)) throw argError('newbits', `insufficient address space to extend prefix of ${p.len} by ${newbits}`);
  if (!Number.isInteger(netnum) || netnum < 0 || BigInt(netnum) >= 1n << BigInt(newbits)) {
    throw argError('netnum', `prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}`);
  }
  return { v6: p.v6, addr: p.addr | (BigInt(netnum) << BigInt(bits(p) - len)), len };
}

/** The CIDR functions, by name. */
export function networkFunctions(): Record<string, HclFunction> {
  return {
    cidrhost: defineFunction('cidrhost', {
      params: [{ name: 'prefix', type: STRING }, { name: 'hostnum', type: NUMBER }],
      impl: ([s, h]) => {
        const p = parsePrefix(s as string);
        const size = 1n << BigInt(bits(p) - p.len);
        const n = BigInt(Math.trunc(jsNumber(h)));
        const host = n < 0n ? size + n : n;
        if (host < 0n || host >= size) throw new Error(`prefix of ${p.len} does not accommodate a host numbered ${jsNumber(h)}`);
        return format(p, p.addr + host);
      },
    }),
    cidrnetmask: defineFunction('cidrnetmask', {
      params: [{ name: 'prefix', type: STRING }],
      impl: ([s]) => {
        const p = parsePrefix(s as string);
        if (p.v6) throw argError('prefix', 'IPv6 addresses cannot have a netmask');
        return format(p, ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - p.len)) - 1n));
      },
    }),
    cidrsubnet: defineFunction('cidrsubnet', {
      params: [{ name: 'prefix', type: STRING }, { name: 'newbits', type: NUMBER }, { name: 'netnum', type: NUMBER }],
      impl: ([s, nb, nn]) => {
        const r = subnet(parsePrefix(s as string), jsNumber(nb), jsNumber(nn));
        return `${format(r, r.addr)}/${r.len}`;
      },
    }),
    cidrsubnets: defineFunction('cidrsubnets', {
      params: [{ name: 'prefix', type: STRING }],
      variadic: { name: 'newbits', type: NUMBER },
      impl: ([s, ...nbs]) => {
        const p = parsePrefix(s as string);
        let next = p.addr;
        return nbs.map((x) => jsNumber(x)).map((nb) => {
          const len = p.len + nb;
          if (nb < 1 || len > bits(p)) throw argError('newbits', `would extend prefix to ${len} bits, which is too long for an IPv${p.v6 ? 6 : 4} address`);
          const step = 1n << BigInt(bits(p) - len);
          const start = ((next + step - 1n) / step) * step; // align to the subnet size
          if (start + step > p.addr + (1n << BigInt(bits(p) - p.len))) throw argError('newbits', `not enough remaining address space for a subnet with a prefix of ${len} bits`);
          next = start + step;
          return `${format(p, start)}/${len}`;
        });
      },
    }),
  };
}
