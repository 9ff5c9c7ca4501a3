// Top-level structure of HCL2 files: allowed blocks, the `packer {}` block, and `source` blocks.

import { error, type Diagnostic } from '../../diagnostics.js';
import { blocksOf, type BlockRef, type BodyRef } from '../blocks.js';
import { Codes } from '../codes.js';
import type { ParsedFile } from '../hcl-syntax.js';
import { suggestionDetail } from '../../suggest.js';

const TOP_LEVEL_BLOCKS = ['packer', 'source', 'variable', 'variables', 'locals', 'local', 'build'];
const PACKER_KEYS = ['required_version', 'required_plugins'];

export interface SourceDef {
  type: string;
  name: string;
  block: BlockRef;
}

/** The BodyRef of a whole file. */
export function fileRef(file: ParsedFile): BodyRef | undefined {
  return file.body ? { file: file.file, body: file.body, rawPath: [], fileLocate: file.locate } : undefined;
}

/** Reports unknown top-level blocks and attributes, and bad keys in `packer {}`. */
export function checkTopLevel(files: readonly ParsedFile[], diagnostics: Diagnostic[]): void {
  for (const file of files) {
    const ref = fileRef(file);
    if (!ref) continue;
    for (const [key, value] of Object.entries(ref.body)) {
      if (TOP_LEVEL_BLOCKS.includes(key)) continue;
      const isBlock = typeof value === 'object' && value !== null;
      diagnostics.push(error(Codes.unknownBlock, isBlock ? `unsupported block type "${key}"` : `unsupported argument "${key}" at the top level`, {
        pos: file.locate([key]),
        path: key,
        detail: isBlock ? suggestionDetail(key, TOP_LEVEL_BLOCKS) : `top-level attributes are not allowed; blocks allowed here: ${TOP_LEVEL_BLOCKS.join(', ')}`,
      }));
    }
    for (const block of blocksOf(ref, 'packer', 0, diagnostics)) {
      for (const key of Object.keys(block.body)) {
        if (!PACKER_KEYS.includes(key)) {
          diagnostics.push(error(Codes.unknownKey, `unsupported argument "${key}" in the packer block`, { pos: block.locate([key]), path: `packer.${key}`, detail: suggestionDetail(key, PACKER_KEYS) }));
        }
      }
    }
  }
}

/** Every `source "TYPE" "NAME"` of all files, keyed `TYPE.NAME`; duplicates are diagnostics. */
export function collectSources(files: readonly ParsedFile[], diagnostics: Diagnostic[]): Map<string, SourceDef> {
  const sources = new Map<string, SourceDef>();
  for (const file of files) {
    const ref = fileRef(file);
    if (!ref) continue;
    for (const block of blocksOf(ref, 'source', 2, diagnostics)) {
      const [type, name] = block.labels as [string, string];
      const key = `${type}.${name}`;
      const first = sources.get(key);
      if (first) {
        const p = first.block.pos;
        diagnostics.push(error(Codes.sourceDuplicate, `duplicate source block "${key}"`, {
          pos: block.pos,
          path: `source.${key}`,
          detail: `source "${type}" "${name}" is already defined${p ? ` at ${p.file}:${p.line}:${p.column}` : ''}; give each source a unique name`,
        }));
        continue;
      }
      sources.set(key, { type, name, block });
    }
  }
  return sources;
}

/** Splits a source reference: `source.T.N`, `sources.T.N` or `T.N`; undefined when malformed. */
export function parseSourceRef(ref: string): { type: string; name: string } | undefined {
  const parts = ref.split('.');
  if (parts.length === 3 && (parts[0] === 'source' || parts[0] === 'sources')) parts.shift();
  if (parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { type: parts[0], name: parts[1] };
}
