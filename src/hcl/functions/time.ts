// Time functions: timestamp, formatdate (cty's verbs), timeadd (Go durations).

import type { HclFunction } from '../context.js';
import { argError, defineFunction, STRING } from './define.js';
import { formatGoLayout, formatStrftime } from '../../interpolate/time-format.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A parsed RFC 3339 timestamp: the instant and the offset it was written with. */
export interface Stamp {
  ms: number;
  /** Offset east of UTC in minutes; undefined for "Z". */
  offset?: number;
}

/** Parses an RFC 3339 timestamp or throws the "time" parameter error. */
export function parseStamp(s: string, param = 'time'): Stamp {
  const m = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) {
    const why = /^\d{4}-\d{2}-\d{2}$/.test(s) ? "missing required time introducer 'T'" : `cannot parse ${JSON.stringify(s)}`;
    throw argError(param, `not a valid RFC3339 timestamp: ${why}`);
  }
  const [, y, mo, d, h, mi, se, frac = '', zone = 'Z'] = m;
  const offset = /^[Zz]$/.test(zone) ? undefined : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se), frac ? Math.floor(Number(frac) * 1000) : 0);
  return { ms: local - (offset ?? 0) * 60000, offset };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function zone(offset: number | undefined, colon: boolean): string {
  const o = offset ?? 0;
  const a = Math.abs(o);
  return `${o < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}

/** Formats a stamp in its own offset as RFC 3339 without fractional seconds. */
export function formatStamp(t: Stamp): string {
  const d = new Date(t.ms + (t.offset ?? 0) * 60000);
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return base + (t.offset === undefined ? 'Z' : zone(t.offset, true));
}

/** cty formatdate: YYYY YY MMMM MMM MM M DD D EEEE EEE hh h HH H mm m ss s AA aa ZZZZZ ZZZZ ZZZ Z, 'quoted' text. */
export function formatDate(spec: string, t: Stamp): string {
  const d = new Date(t.ms + (t.offset ?? 0) * 60000);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  let out = '';
  let i = 0;
  while (i < spec.length) {
    const c = spec[i] as string;
    if (c === "'") {
      const end = spec.indexOf("'", i + 1);
      if (end < 0) throw argError('format', 'unterminated literal \'');
      out += end === i + 1 ? "'" : spec.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let j = i;
    while (spec[j] === c) j++;
    const tok = spec.slice(i, j);
    i = j;
    const bad = (why: string): never => {
      throw argError('format', `invalid date format verb ${JSON.stringify(tok)}${why ? ': ' + why : ''}`);
    };
    const n = tok.length;
    switch (c) {
      case 'Y': out += n === 4 ? pad(d.getUTCFullYear(), 4) : n === 2 ? pad(d.getUTCFullYear() % 100) : bad('year must either be "YY" or "YYYY"'); break;
      case 'M': out += n === 4 ? MONTHS[d.getUTCMonth()] : n === 3 ? MONTHS[d.getUTCMonth()]!.slice(0, 3) : n === 2 ? pad(d.getUTCMonth() + 1) : n === 1 ? String(d.getUTCMonth() + 1) : bad('month must be "M", "MM", "MMM", or "MMMM"'); break;
      case 'D': out += n === 2 ? pad(d.getUTCDate()) : n === 1 ? String(d.getUTCDate()) : bad('day of month must either be "D" or "DD"'); break;
      case 'E': out += n === 4 ? DAYS[d.getUTCDay()] : n === 3 ? DAYS[d.getUTCDay()]!.slice(0, 3) : bad('day of week must either be "EEE" or "EEEE"'); break;
      case 'h': out += n === 2 ? pad(h) : n === 1 ? String(h) : bad('24-hour must either be "h" or "hh"'); break;
      case 'H': out += n === 2 ? pad(h12) : n === 1 ? String(h12) : bad('12-hour must either be "H" or "HH"'); break;
      case 'm': out += n === 2 ? pad(d.getUTCMinutes()) : n === 1 ? String(d.getUTCMinutes()) : bad('minute must either be "m" or "mm"'); break;
      case 's': out += n === 2 ? pad(d.getUTCSeconds()) : n === 1 ? String(d.getUTCSeconds()) : bad('second must either be "s" or "ss"'); break;
      case 'A': out += n === 2 ? (h < 12 ? 'AM' : 'PM') : bad('must be "AA"'); break;
      case 'a': out += n === 2 ? (h < 12 ? 'am' : 'pm') : bad('must be "aa"'); break;
      case 'Z':
        if (n === 1) out += t.offset === undefined ? 'Z' : zone(t.offset, true);
        else if (n === 3) out += t.offset === undefined ? 'UTC' : zone(t.offset, false);
        else if (n === 4) out += zone(t.offset, false);
        else if (n === 5) out += zone(t.offset, true);
        else bad('timezone must be Z, ZZZZ, or ZZZZZ');
        break;
      default:
        bad('');
    }
  }
  return out;
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };

/** Parses a Go duration ("1h30m", "-1.5s") into milliseconds. */
export function parseDuration(s: string): number {
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.exec(s);
  if (!m && s !== '0') throw new Error(`time: invalid duration ${JSON.stringify(s)}`);
  if (s === '0') return 0;
  let total = 0;
  for (const part of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * (UNITS[part[2] as string] as number);
  return s.startsWith('-') ? -total : total;
}

/** The time functions; `now` fixes the clock for tests. */
export function timeFunctions(now: () => Date): Record<string, HclFunction> {
  // legacy_isotime/legacy_strftime (Packer 1.7.1+) format the time the run started, like {{isotime}}.
  const start = now();
  return {
    legacy_isotime: defineFunction('legacy_isotime', {
      params: [],
      variadic: { name: 'format', type: STRING },
      impl: (f) => {
        if (f.length > 1) throw new Error('too many values, 1 needed');
        return f.length === 0 ? formatStamp({ ms: Math.floor(start.getTime() / 1000) * 1000 }) : formatGoLayout(start, f[0] as string);
      },
    }),
    legacy_strftime: defineFunction('legacy_strftime', {
      params: [{ name: 'format', type: STRING }],
      impl: ([f]) => formatStrftime(start, f as string),
    }),
    timestamp: defineFunction('timestamp', { params: [], impl: () => formatStamp({ ms: Math.floor(now().getTime() / 1000) * 1000 }) }),
    formatdate: defineFunction('formatdate', {
      params: [{ name: 'format', type: STRING }, { name: 'time', type: STRING }],
      impl: ([f, t]) => formatDate(f as string, parseStamp(t as string)),
    }),
    timeadd: defineFunction('timeadd', {
      params: [{ name: 'timestamp', type: STRING }, { name: 'duration', type: STRING }],
      impl: ([t, d]) => {
        const s = parseStamp(t as string, 'timestamp');
        return formatStamp({ ms: s.ms + parseDuration(d as string), offset: s.offset });
      },
    }),
  };
}
