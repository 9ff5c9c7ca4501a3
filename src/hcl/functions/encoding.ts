// Encoding and hashing functions: JSON, base64, URL, CSV, simple YAML, hashes and UUIDs.

import { createHash, randomUUID } from 'node:crypto';
import type { HclFunction } from '../context.js';
import { BigFloat, formatNumber, type HclObject, type HclValue, isObject } from '../values.js';
import { argError, defineFunction, NUMBER, STRING, stringFunction } from './define.js';
import { jsonDecode, jsonEncode } from './json.js';
import { yamlDecode, yamlEncode } from './yaml.js';
import bcrypt from 'bcryptjs';

const hash = (name: string, algo: string): HclFunction => stringFunction(name, (s) => createHash(algo).update(s, 'utf8').digest('hex'));

/** The encoding functions, by name. */
export function encodingFunctions(): Record<string, HclFunction> {
  return {
    jsonencode: defineFunction('jsonencode', { params: [{ name: 'val', allowNull: true }], impl: ([v]) => jsonEncode(v as HclValue) }),
    jsondecode: stringFunction('jsondecode', jsonDecode),
    base64encode: stringFunction('base64encode', (s) => Buffer.from(s, 'utf8').toString('base64')),
    base64decode: stringFunction('base64decode', (s) => {
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw new Error(`failed to decode base64 data '${s}'`);
      const bytes = Buffer.from(s, 'base64');
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw argError('str', 'the result of decoding the provided string is not valid UTF-8');
      }
    }),
    md5: hash('md5', 'md5'),
    sha1: hash('sha1', 'sha1'),
    sha256: hash('sha256', 'sha256'),
    sha512: hash('sha512', 'sha512'),
    urlencode: stringFunction('urlencode', urlEncode),
    csvdecode: stringFunction('csvdecode', csvDecode),
    yamlencode: defineFunction('yamlencode', { params: [{ name: 'value', allowNull: true }], impl: ([v]) => yamlEncode(v as HclValue) }),
    yamldecode: stringFunction('yamldecode', yamlDecode),
    bcrypt: defineFunction('bcrypt', {
      params: [{ name: 'str', type: STRING }],
      variadic: { name: 'cost', type: NUMBER },
      impl: ([s, ...cost]) => bcryptHash(s as string, cost as BigFloat[]),
    }),
    uuidv4: defineFunction('uuidv4', { params: [], impl: () => randomUUID() }),
    uuidv5: defineFunction('uuidv5', {
      params: [{ name: 'namespace', type: STRING }, { name: 'name', type: STRING }],
      impl: ([ns, name]) => uuidV5(ns as string, name as string),
    }),
  };
}

/** Go's url.QueryEscape: unreserved characters kept, spaces as "+", the rest %XX. */
function urlEncode(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'), (b) => {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
    if (c === ' ') return '+';
    return '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }).join('');
}

/** RFC 4180 CSV; the first row names the attributes of each following row. */
function csvDecode(text: string): HclValue {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (quoted) throw new Error('extraneous or missing " in quoted-field');
  if (field !== '' || row.length) row.push(field), rows.push(row);
  const [head, ...body] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  if (!head) throw new Error('missing header line');
  return body.map((r, n) => {
    if (r.length !== head.length) throw new Error(`record on line ${n + 2}: wrong number of fields`);
    const o: HclObject = {};
    head.forEach((h, i) => (o[h] = r[i] as string));
    return o;
  });
}

const NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};

function uuidV5(ns: string, name: string): string {
  const nsId = NAMESPACES[ns] ?? ns;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(nsId)) {
    throw argError('namespace', `must be "dns", "url", "oid", "x500" or a UUID, got ${JSON.stringify(ns)}`);
  }
  const h = createHash('sha1').update(Buffer.from(nsId.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x50;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Go's bcrypt.GenerateFromPassword: cost 10 by default and below 4, at most 31, "$2a$" hashes. */
function bcryptHash(s: string, cost: BigFloat[]): string {
  if (cost.length > 1) throw new Error(`Function "bcrypt" expects at most 2 arguments`);
  let c = cost[0] ? Math.trunc(cost[0].toFloat64()) : 10;
  if (c > 31) throw new Error(`error occured generating password crypto/bcrypt: cost ${c} is outside allowed range (4,31)`);
  if (c < 4) c = 10;
  // bcryptjs, like Go's bcrypt, uses the first 72 bytes of the UTF-8 password.
  return bcrypt.hashSync(s, c).replace(/^\$2b\$/, '$2a$');
}
