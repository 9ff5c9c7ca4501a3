// Top-level structure of HCL2 files: allowed blocks, the `packer {}` block, and `source` blocks.

import { error, warning, type Diagnostic } from '../../diagnostics.js';
import { PACKER_COMPAT_VERSION } from '../../version.js';
import { satisfies } from '../version-constraint.js';
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
      checkRequiredVersion(block, diagnostics);
      checkRequiredPlugins(block, diagnostics);
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

/** `required_version` is checked against the Packer template-language version azchroot implements. */
function checkRequiredVersion(block: BlockRef, diagnostics: Diagnostic[]): void {
  const value = block.body.required_version;
  if (value === undefined) return;
  const at = { pos: block.locate(['required_version']), path: 'packer.required_version' };
  if (typeof value !== 'string' || value.includes('${')) {
    diagnostics.push(error(Codes.packerVersion, 'Invalid required_version', { ...at, detail: 'required_version must be a constant string such as ">= 1.7.0"' }));
    return;
  }
  let ok: boolean;
  try {
    ok = satisfies(PACKER_COMPAT_VERSION, value);
  } catch (e) {
    diagnostics.push(error(Codes.packerVersion, 'Invalid required_version', { ...at, detail: `${(e as Error).message}; use go-version constraints such as ">= 1.7.0, < 2" or "~> 1.7"` }));
    return;
  }
  if (!ok) {
    diagnostics.push(error(Codes.packerVersion, 'Unsupported Packer Core version', {
      ...at,
      detail: `this template requires Packer ${JSON.stringify(value)}, but azchroot implements the template language of Packer ${PACKER_COMPAT_VERSION}; relax required_version if the template works with ${PACKER_COMPAT_VERSION}`,
    }));
  }
}

/** `required_plugins` names plugins for `packer init`; azchroot has the azure-chroot builder built in, so they are ignored with a note. */
function checkRequiredPlugins(block: BlockRef, diagnostics: Diagnostic[]): void {
  const raw = block.body.required_plugins;
  if (raw === undefined) return;
  const bodies = (Array.isArray(raw) ? raw : [raw]).filter((b): b is Record<string, unknown> => typeof b === 'object' && b !== null);
  for (const body of bodies) {
    for (const [name, spec] of Object.entries(body)) {
      const source = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>).source : undefined;
      const isAzure = name === 'azure' || (typeof source === 'string' && /(^|\/)hashicorp\/azure$/.test(source));
      diagnostics.push(warning(Codes.pluginIgnored, `required_plugins "${name}" is ignored`, {
        pos: block.locate(['required_plugins']),
        path: `packer.required_plugins.${name}`,
        detail: isAzure
          ? 'azchroot implements the azure-chroot builder itself; no plugin is installed or needed'
          : 'azchroot has no plugins: only the azure-chroot builder and its built-in provisioners and post-processors are available',
      }));
    }
  }
}
