// File and path functions. Relative paths resolve against the template's base directory
// (file, fileexists, fileset, templatefile) or the working directory (abspath), as Packer does.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { HclFunction } from '../context.js';
import { parseTemplateSource } from '../template-parser.js';
import { evaluateParts } from '../evaluate.js';
import { type HclValue, HclError, isObject } from '../values.js';
import { argError, defineFunction, STRING, stringFunction } from './define.js';

export interface FileOptions {
  baseDir: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The function table templatefile() evaluates with. */
  functions: () => Record<string, HclFunction>;
}

function readText(path: string, full: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(full);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw argError('path', `no file exists at ${path}; this function works only with files that are distributed as part of the configuration source code`);
    throw argError('path', `failed to read ${path}: ${(err as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw argError('path', `contents of ${path} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead`);
  }
}

/** Go's filepath.Base. */
export function goBase(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** Go's filepath.Dir: everything before the last slash, cleaned. */
export function goDir(p: string): string {
  const i = p.lastIndexOf('/');
  const d = i < 0 ? '' : p.slice(0, i + 1);
  return cleanPath(d === '' ? '.' : d);
}

function cleanPath(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !abs) out.push(part);
  }
  const s = out.join('/');
  return abs ? '/' + s : s || '.';
}

/** A glob pattern (*, **, ?, [..], {a,b}) as an anchored regular expression over "/" paths. */
export function globToRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw argError('pattern', `failed to glob pattern (${pattern}): syntax error in pattern`);
      re += '[' + pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
      i = end;
    } else if (c === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end < 0) throw argError('pattern', `failed to glob pattern (${pattern}): syntax error in pattern`);
      re += '(?:' + pattern.slice(i + 1, end).split(',').map((a) => globToRegex(a).source.slice(1, -1)).join('|') + ')';
      i = end;
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += '\\' + pattern[++i];
    } else re += c.replace(/[.+^$()|\]\\]/g, '\\$&');
  }
  return new RegExp('^' + re + '$');
}

function walk(dir: string, prefix: string, out: string[]): void {
  for (const ent of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
    const full = join(dir, ent.name);
    const isDir = ent.isDirectory() || (ent.isSymbolicLink() && statSync(full, { throwIfNoEntry: false })?.isDirectory());
    if (isDir) walk(full, rel, out);
    else out.push(rel);
  }
}

/** The file and path functions, by name. */
export function fileFunctions(o: FileOptions): Record<string, HclFunction> {
  const fromBase = (p: string): string => (isAbsolute(p) ? p : resolve(o.baseDir, p));
  return {
    file: stringFunction('file', (p) => readText(p, fromBase(p))),
    filebase64: stringFunction('filebase64', (p) => {
      if (!existsSync(fromBase(p))) throw argError('path', `no file exists at ${p}`);
      return readFileSync(fromBase(p)).toString('base64');
    }),
    fileexists: stringFunction('fileexists', (p) => {
      const st = statSync(fromBase(p), { throwIfNoEntry: false });
      if (!st) return false;
      if (!st.isFile()) throw argError('path', `${p} is not a regular file, but ${st.isDirectory() ? 'a directory' : 'another kind of file'}`);
      return true;
    }),
    fileset: defineFunction('fileset', {
      params: [{ name: 'path', type: STRING }, { name: 'pattern', type: STRING }],
      impl: ([p, pat]) => {
        const root = fromBase(p as string);
        const re = globToRegex(pat as string);
        const files: string[] = [];
        if (statSync(root, { throwIfNoEntry: false })?.isDirectory()) walk(root, '', files);
        return files.filter((f) => re.test(f)).sort();
      },
    }),
    abspath: stringFunction('abspath', (p) => resolve(o.cwd, p)),
    basename: stringFunction('basename', goBase),
    dirname: stringFunction('dirname', goDir),
    pathexpand: stringFunction('pathexpand', (p) => {
      if (p !== '~' && !p.startsWith('~/')) return p;
      const home = o.env['HOME'];
      if (!home) throw new Error('cannot expand "~": HOME is not set');
      return home + p.slice(1);
    }),
    templatefile: defineFunction('templatefile', {
      params: [{ name: 'path', type: STRING }, { name: 'vars' }],
      impl: ([p, vars]) => {
        if (!isObject(vars as HclValue)) throw argError('vars', 'an object or map of template variables is required');
        const text = readText(p as string, fromBase(p as string));
        const { templatefile: _self, ...functions } = o.functions();
        try {
          return evaluateParts(parseTemplateSource(text), { variables: vars as Record<string, HclValue>, functions });
        } catch (err) {
          if (err instanceof HclError) throw new HclError(err.summary, `in template file ${p}: ${err.detail ?? ''}`.trim());
          throw err;
        }
      },
    }),
  };
}
