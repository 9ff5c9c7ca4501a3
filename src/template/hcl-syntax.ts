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
  return { file, body: parsed.body, locate: (path: KeyPath) => locateInBody(tree, path), diagnostics: [] };
}
