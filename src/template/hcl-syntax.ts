// Our own small interface over the HCL syntax layer: `.pkr.hcl`/`.pkrvars.hcl` files go through
// our body parser (hcl-body-parser.ts), `.pkr.json` files (HCL's JSON syntax) through our JSON
// reader; both give the same shape: blocks as `type -> labels -> [bodies]`.

import { error, type Diagnostic, type SourcePos } from '../diagnostics.js';
import type { KeyPath } from './model.js';
import { Codes } from './codes.js';
import { locateInBody } from './hcl-scanner.js';
import { parseHclBody } from './hcl-body-parser.js';
import { parseJsonSource } from './json-source.js';
import { hclNestingDiagnostic } from './limits.js';

export interface ParsedFile {
  file: string;
  /** hcl2json-shaped body; undefined after a syntax error. */
  body?: Record<string, unknown>;
  /** Position of a key path inside `body`; undefined when unknown. */
  locate(path: KeyPath): SourcePos | undefined;
  diagnostics: Diagnostic[];
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
  // Checked on the text first: the parser would overflow its stack on deep nesting.
  const deep = hclNestingDiagnostic(file, text);
  if (deep) return { file, locate: () => undefined, diagnostics: [deep] };
  const parsed = parseHclBody(file, text);
  if (!parsed.ok) {
    const diagnostics = parsed.errors.map(({ summary, detail, pos }) => error(Codes.syntax, summary, { pos, ...(detail ? { detail } : {}) }));
    return { file, locate: () => undefined, diagnostics };
  }
  const tree = parsed.tree;
  const locate = (path: KeyPath): SourcePos | undefined => locateInBody(tree, path);
  return { file, body: restoreNumberLiterals(parsed.body, text, locate), locate, diagnostics: [] };
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
