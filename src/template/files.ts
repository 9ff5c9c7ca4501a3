// Which files a template argument means, and reading them as strict UTF-8.

import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { error, type Diagnostic } from '../diagnostics.js';
import type { TemplateKind } from './model.js';
import { Codes } from './codes.js';
import { MAX_TEMPLATE_BYTES, tooLarge } from './limits.js';

export interface TemplateInputs {
  kind: TemplateKind;
  /** Config files (`.pkr.hcl`, `.pkr.json`, or the one legacy `.json`), lexical order for a directory. */
  configFiles: string[];
  /** `*.auto.pkrvars.hcl|json` of a directory argument; none for a single file. */
  autoVarFiles: string[];
  /** `path.root`: the directory argument as given, or the file's directory. */
  root: string;
  /** Absolute directory of the template. */
  templateDir: string;
}

export interface SourceFile {
  path: string;
  text: string;
}

/** Resolves a template argument (file or directory) into the files to read; undefined plus a diagnostic when it cannot. */
export async function discoverInputs(arg: string, cwd: string): Promise<{ inputs?: TemplateInputs; diagnostics: Diagnostic[] }> {
  const abs = resolve(cwd, arg);
  let isDir: boolean;
  try {
    isDir = (await stat(abs)).isDirectory();
  } catch (e) {
    return { diagnostics: [error(Codes.read, `cannot read template "${arg}": ${describe(e)}`, { detail: 'give a .pkr.hcl/.pkr.json file, a legacy .json template, or a directory of .pkr.hcl files' })] };
  }
  if (!isDir) {
    const kind: TemplateKind = arg.endsWith('.pkr.hcl') || arg.endsWith('.pkr.json') ? 'hcl2' : 'json';
    const root = dirname(arg);
    return { inputs: { kind, configFiles: [arg], autoVarFiles: [], root, templateDir: dirname(abs) }, diagnostics: [] };
  }
  const names = (await readdir(abs)).sort();
  const configFiles = names.filter((n) => n.endsWith('.pkr.hcl') || n.endsWith('.pkr.json')).map((n) => join(arg, n));
  const autoVarFiles = names.filter((n) => n.endsWith('.auto.pkrvars.hcl') || n.endsWith('.auto.pkrvars.json')).map((n) => join(arg, n));
  if (configFiles.length === 0) {
    return { diagnostics: [error(Codes.read, `no .pkr.hcl or .pkr.json files in directory "${arg}"`, { detail: 'put the template files in that directory, or give the template file itself' })] };
  }
  return { inputs: { kind: 'hcl2', configFiles, autoVarFiles, root: arg, templateDir: abs }, diagnostics: [] };
}

/** Reads a file as strict UTF-8; a diagnostic naming the file when it is unreadable or not UTF-8. */
export async function readSource(path: string, cwd: string): Promise<{ file?: SourceFile; diagnostic?: Diagnostic }> {
  let bytes: Buffer;
  try {
    // Non-blocking open and a size check first: a FIFO, a device or a huge file is refused, never read.
    const fh = await open(resolve(cwd, path), constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = await fh.stat();
      if (!st.isFile()) return { diagnostic: error(Codes.read, `cannot read "${path}": not a regular file`, { detail: 'give a template or variable file' }) };
      if (st.size > MAX_TEMPLATE_BYTES) return { diagnostic: tooLarge(path, st.size) };
      bytes = await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch (e) {
    return { diagnostic: error(Codes.read, `cannot read "${path}": ${describe(e)}`) };
  }
  if (bytes.length > MAX_TEMPLATE_BYTES) return { diagnostic: tooLarge(path, bytes.length) };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { file: { path, text } };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return {
      diagnostic: error(Codes.encoding, `invalid character encoding in "${basename(path)}": not UTF-8 (byte 0x${(bytes[at.offset] ?? 0).toString(16)})`, {
        pos: { file: path, line: at.line, column: at.column },
        detail: 'save the file as UTF-8',
      }),
    };
  }
}

/** Line/column of the first byte that makes the buffer invalid UTF-8 (a plain structural scan). */
function firstInvalidUtf8(bytes: Buffer): { offset: number; line: number; column: number } {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) break;
    let ok = true;
    for (let k = 1; k < len; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) ok = false;
    if (!ok) break;
    i += len;
  }
  const lines = bytes.subarray(0, i).toString('utf8').split('\n');
  return { offset: i, line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function describe(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
