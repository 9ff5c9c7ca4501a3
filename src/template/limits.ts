// Bounds on template input, so that any file, however broken, is answered with a diagnostic in a
// few seconds: the size of one file, and how deeply brackets nest (checked on the text before the
// HCL parser sees it, and by the JSON reader as it reads).

import { error, type Diagnostic } from '../diagnostics.js';
import { Codes } from './codes.js';

/** Largest template, variable or var file azchroot reads (bytes). README: "Limits". */
export const MAX_TEMPLATE_BYTES = 512 * 1024;

/** Deepest nesting of brackets, blocks, strings and interpolations in one file. */
export const MAX_NESTING = 100;

/**
 * Most `$`/`%` characters and interpolations one string may hold: the HCL parser's time grows with
 * the square of their number (20,000 take over 15 s), so more are refused before parsing.
 */
export const MAX_STRING_SEGMENTS = 2000;

/** Most characters HCL rejects outside strings (`$`, `\\`, `;`...) before the file is refused unparsed: the parser reports each one, slowly. */
export const MAX_INVALID_CHARACTERS = 500;

/** A diagnostic for a file above MAX_TEMPLATE_BYTES. */
export function tooLarge(path: string, bytes: number): Diagnostic {
  return error(Codes.read, `"${path}" is ${bytes} bytes, larger than the ${MAX_TEMPLATE_BYTES} bytes (512 KiB) azchroot reads from a template or variable file`, {
    pos: { file: path, line: 1, column: 1 },
    detail: 'templates are small; move large data into files the provisioners upload, or read it with file()',
  });
}

/** The nesting diagnostic at `offset` of `text`. */
export function tooDeep(file: string, text: string, offset: number): Diagnostic {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset; k++) if (text.charCodeAt(k) === 10) (line += 1), (lineStart = k + 1);
  return error(Codes.syntax, `nested deeper than ${MAX_NESTING} levels`, {
    pos: { file, line, column: offset - lineStart + 1 },
    detail: 'brackets, blocks, strings and interpolations nest too deeply here; flatten the structure (locals help)',
  });
}

const INVALID_IN_CODE = '$@^`;\'\\';

type Frame = 'bracket' | 'string' | 'interp' | { heredoc: string };

/** Where the nesting of HCL `text` first goes deeper than MAX_NESTING; undefined when it never does. */
export function hclNestingDiagnostic(file: string, text: string): Diagnostic | undefined {
  const stack: Frame[] = [];
  // `$`/`%` characters and interpolations of the innermost string or heredoc, and where it starts.
  const segments: { count: number; at: number }[] = [];
  let i = 0;
  const n = text.length;
  const push = (f: Frame, at: number): Diagnostic | undefined => {
    stack.push(f);
    if (f !== 'bracket' && f !== 'interp') segments.push({ count: 0, at });
    return stack.length > MAX_NESTING ? tooDeep(file, text, at) : undefined;
  };
  const pop = (): void => {
    const f = stack.pop();
    if (f !== undefined && f !== 'bracket' && f !== 'interp') segments.pop();
  };
  const segment = (): Diagnostic | undefined => {
    const s = segments[segments.length - 1];
    if (!s || ++s.count <= MAX_STRING_SEGMENTS) return undefined;
    const d = tooDeep(file, text, s.at);
    return { ...d, summary: `a string with more than ${MAX_STRING_SEGMENTS} "$" and "%" characters and interpolations`, detail: 'the HCL parser slows down with the square of their number; read such text with file() instead' };
  };
  let invalid = 0;
  let firstInvalid = -1;
  while (i < n) {
    const top = stack[stack.length - 1];
    const ch = text[i]!;
    if (top === 'string' || (typeof top === 'object')) {
      if (typeof top === 'object' && (i === 0 || text[i - 1] === '\n')) {
        const end = text.indexOf('\n', i);
        if (text.slice(i, end === -1 ? n : end).trim() === top.heredoc) {
          pop();
          i = end === -1 ? n : end + 1;
          continue;
        }
      }
      if (top === 'string' && ch === '\\') i += 2;
      else if (top === 'string' && (ch === '"' || ch === '\n')) (pop(), (i += 1));
      else if (ch === '$' || ch === '%') {
        const d = segment();
        if (d) return d;
        if (text[i + 1] === ch && text[i + 2] === '{') i += 3;
        else if (text[i + 1] === '{') {
          const dd = push('interp', i);
          if (dd) return dd;
          i += 2;
        } else i += 1;
      } else i += 1;
      continue;
    }
    // Code (top level, inside brackets or an interpolation).
    if (INVALID_IN_CODE.includes(ch) || (ch < ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r')) {
      if (firstInvalid < 0) firstInvalid = i;
      if (++invalid > MAX_INVALID_CHARACTERS) {
        const d = tooDeep(file, text, firstInvalid);
        return { ...d, summary: `more than ${MAX_INVALID_CHARACTERS} characters that HCL does not accept outside strings; the first is here`, detail: 'this does not look like an HCL file; check that the right file was given' };
      }
      i += 1;
    } else if (ch === '#' || (ch === '/' && text[i + 1] === '/')) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (ch === '"') {
      const d = push('string', i);
      if (d) return d;
      i += 1;
    } else if (ch === '<' && text[i + 1] === '<') {
      const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(text.slice(i, i + 200));
      if (m) {
        const d = push({ heredoc: m[1]! }, i);
        if (d) return d;
        i += m[0].length;
      } else i += 2;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      const d = push('bracket', i);
      if (d) return d;
      i += 1;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      if (top !== undefined) pop();
      i += 1;
    } else i += 1;
  }
  return undefined;
}

/**
 * The last line of defence: a RangeError (stack overflow, a string or array past V8's limits) while
 * loading or checking a template becomes a diagnostic instead of an internal error.
 */
export function exhaustedDiagnostic(err: unknown, file: string): Diagnostic | undefined {
  if (!(err instanceof RangeError)) return undefined;
  return error(Codes.syntax, `the template is too large or nested too deeply to evaluate (${err.message})`, {
    pos: { file, line: 1, column: 1 },
    detail: `keep expressions and values nested less than ${MAX_NESTING} levels deep, and generated strings and lists reasonably small`,
  });
}
