// Our own small interface over the HCL syntax layer (@cdktn/hcl2json, loaded lazily because it
// starts a WASM runtime), so the package can be swapped. `.pkr.json` files are HCL's JSON syntax and
// go through our JSON reader instead; both give the same shape: blocks as `type -> labels -> [bodies]`.

import { error, type Diagnostic, type SourcePos } from '../diagnostics.js';
import type { KeyPath } from './model.js';
import { Codes } from './codes.js';
import { locateInBody, scanHcl } from './hcl-scanner.js';
import { parseJsonSource } from './json-source.js';
import { readCachedParse, writeCachedParse } from './hcl-parse-cache.js';

export interface ParsedFile {
  file: string;
  /** hcl2json-shaped body; undefined after a syntax error. */
  body?: Record<string, unknown>;
  /** Position of a key path inside `body`; undefined when unknown. */
  locate(path: KeyPath): SourcePos | undefined;
  diagnostics: Diagnostic[];
}

type ParseFn = (filename: string, contents: string) => Promise<Record<string, unknown>>;
let parser: Promise<ParseFn> | undefined;

async function loadParser(): Promise<ParseFn> {
  parser ??= import('@cdktn/hcl2json').then((m) => m.parse as ParseFn);
  return parser;
}

/** Parses one `.pkr.hcl`/`.pkrvars.hcl` (native syntax) or `.pkr.json`/`.pkrvars.json` (JSON syntax) file. */
export async function parseHclFile(file: string, text: string): Promise<ParsedFile> {
  if (file.endsWith('.json')) {
    const doc = parseJsonSource(file, text);
    const diagnostics = [...doc.diagnostics];
    const isObject = typeof doc.value === 'object' && doc.value !== null && !Array.isArray(doc.value);
    if (doc.value !== undefined && !isObject) {
      diagnostics.push(error(Codes.syntax, `"${file}" must contain a JSON object at the top level`, { pos: doc.locate([]) }));
    }
    return { file, body: isObject ? (doc.value as Record<string, unknown>) : undefined, locate: doc.locate, diagnostics };
  }
  const scanned = scanHcl(file, text);
  const locate = (path: KeyPath): SourcePos | undefined => locateInBody(scanned, path);
  const cached = readCachedParse(text);
  if (cached) return { file, body: restoreNumberLiterals(cached, text, locate), locate, diagnostics: [] };
  try {
    const parse = await loadParser();
    const body = await parse(file, text);
    writeCachedParse(text, body);
    return { file, body: restoreNumberLiterals(body, text, locate), locate, diagnostics: [] };
  } catch (e) {
    return { file, locate, diagnostics: syntaxDiagnostics(file, e instanceof Error ? e.message : String(e)) };
  }
}

/** Turns hcl2json's `FILE:LINE,COL-[ENDLINE,]ENDCOL: Summary; Detail` messages into diagnostics. */
export function syntaxDiagnostics(file: string, message: string): Diagnostic[] {
  const body = message.replace(/^parse config: \[/, '').replace(/\]\s*$/, '');
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const head = new RegExp(`(?:^|\\s)${escaped}:(\\d+),(\\d+)-(?:\\d+,)?\\d+: `, 'g');
  const starts: { index: number; end: number; line: number; column: number }[] = [];
  for (let m = head.exec(body); m; m = head.exec(body)) {
    starts.push({ index: m.index, end: m.index + m[0].length, line: Number(m[1]), column: Number(m[2]) });
  }
  if (starts.length === 0) {
    return [error(Codes.syntax, `cannot parse "${file}": ${message}`, { pos: { file, line: 1, column: 1 } })];
  }
  // An unterminated string makes the parser report every later line as wrong too: after such an
  // error, only the errors of its own line are shown. Other errors are independent and all shown.
  const firstLine = Math.min(...starts.map((s) => s.line));
  const shown = starts.map((s, n) => {
    const text = body.slice(s.end, starts[n + 1]?.index ?? body.length).trim();
    const cut = text.indexOf('; ');
    const summary = cut === -1 ? text : text.slice(0, cut);
    const detail = cut === -1 ? undefined : text.slice(cut + 2);
    return error(Codes.syntax, summary, { pos: { file, line: s.line, column: s.column }, ...(detail ? { detail } : {}) });
  });
  const cascades = shown.some((d) => d.pos?.line === firstLine && /Unterminated|Invalid multi-line string/.test(d.summary));
  if (!cascades) return shown;
  const first = shown.filter((d) => d.pos?.line === firstLine);
  const later = shown.length - first.length;
  if (later > 0) {
    const last = first[first.length - 1]!;
    last.detail = `${last.detail ? `${last.detail}\n` : ''}(${later} more syntax error(s) on later lines may follow from this one; fix it and validate again)`;
  }
  return first;
}

const NUMBER_ATTRIBUTE = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*=[ \t]*(-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)[ \t]*(?=$|[\r\n#,}]|\/[/*])/;

/**
 * hcl2json hands number literals over as JavaScript doubles (`12345678901234567890` arrives as
 * 12345678901234567000). HCL reads them at 512 bits: where the source text of an attribute's
 * number says more than the double, the value becomes the expression `${<literal>}`, which the
 * evaluator reads exactly. Returns a copy only when something changed.
 */
function restoreNumberLiterals(body: Record<string, unknown>, text: string, locate: (path: KeyPath) => SourcePos | undefined): Record<string, unknown> {
  let lineStarts: number[] | undefined;
  const offsetOf = (pos: SourcePos): number => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
    }
    return (lineStarts[pos.line - 1] ?? text.length) + pos.column - 1;
  };
  const walk = (v: unknown, path: KeyPath): unknown => {
    if (Array.isArray(v)) {
      let changed = false;
      const out = v.map((x, i) => {
        const y = typeof x === 'number' ? x : walk(x, [...path, i]);
        if (y !== x) changed = true;
        return y;
      });
      return changed ? out : v;
    }
    if (typeof v !== 'object' || v === null) return v;
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      let y: unknown = x;
      if (typeof x === 'number' && !Number.isSafeInteger(x)) {
        const pos = locate([...path, k]);
        const m = pos ? NUMBER_ATTRIBUTE.exec(text.slice(offsetOf(pos), offsetOf(pos) + 400)) : null;
        if (m && m[1] === k && String(Number(m[2])) !== m[2]) y = `\${${m[2]}}`;
      } else {
        y = walk(x, [...path, k]);
      }
      if (y !== x) {
        out ??= { ...(v as Record<string, unknown>) };
        out[k] = y;
      }
    }
    return out ?? v;
  };
  return walk(body, []) as Record<string, unknown>;
}
