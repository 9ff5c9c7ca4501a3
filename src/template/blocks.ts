// Walking hcl2json-shaped bodies: blocks are `type -> label... -> [bodies]` (HCL JSON syntax also
// allows a single body object, or an array of label objects to keep order). Each block found keeps
// its raw key path so positions can be looked up.

import { error, type Diagnostic, type SourcePos } from '../diagnostics.js';
import type { KeyPath } from './model.js';
import { Codes } from './codes.js';

export type Body = Record<string, unknown>;

export interface BlockRef {
  file: string;
  type: string;
  labels: string[];
  body: Body;
  /** Key path of the body inside its file's data. */
  rawPath: KeyPath;
  /** Position of a key below the body; falls back to the block itself. */
  locate(sub: KeyPath): SourcePos | undefined;
  pos?: SourcePos;
}

export interface BodyRef {
  file: string;
  body: Body;
  rawPath: KeyPath;
  fileLocate(path: KeyPath): SourcePos | undefined;
}

/** True for a plain object (not an array, not null). */
export function isBody(v: unknown): v is Body {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The blocks of `type` with `labelCount` labels directly inside `parent`; malformed shapes become diagnostics. */
export function blocksOf(parent: BodyRef, type: string, labelCount: number, diagnostics: Diagnostic[]): BlockRef[] {
  const out: BlockRef[] = [];
  const raw = parent.body[type];
  if (raw === undefined) return out;
  const walk = (value: unknown, labels: string[], path: KeyPath): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, labels, [...path, i]));
      return;
    }
    if (!isBody(value)) {
      diagnostics.push(error(Codes.badBlock, `"${type}" must be a block, found ${typeof value === 'string' ? `the string ${JSON.stringify(value)}` : JSON.stringify(value)}`, {
        pos: parent.fileLocate(path),
        detail: `write it as ${type}${' "LABEL"'.repeat(labelCount)} { ... }`,
      }));
      return;
    }
    if (labels.length < labelCount) {
      for (const [label, v] of Object.entries(value)) walk(v, [...labels, label], [...path, label]);
      return;
    }
    const pos = parent.fileLocate(path);
    out.push({
      file: parent.file,
      type,
      labels,
      body: value,
      rawPath: path,
      pos,
      locate: (sub) => parent.fileLocate([...path, ...sub]) ?? pos,
    });
  };
  walk(raw, [], [...parent.rawPath, type]);
  return out;
}

/** Formats a display path: `source.azure-chroot.example` + `os_disk_size_gb` -> dotted, numbers as [i]. */
export function joinPath(base: string, sub: KeyPath): string {
  let out = base;
  for (const part of sub) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/** Orders by source position; entries without one keep their relative order after positioned ones of the same file. */
export function comparePos(a: SourcePos | undefined, b: SourcePos | undefined): number {
  if (!a || !b) return 0;
  if (a.file !== b.file) return 0;
  return a.line - b.line || a.column - b.column;
}
