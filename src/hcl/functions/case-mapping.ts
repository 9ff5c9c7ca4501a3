// Unicode case mapping as Go's unicode package does it: one code point to one code point (simple
// case mapping, no SpecialCasing expansions, no final-sigma or locale rules), and strings.Title's
// word rule with titlecase letters for the Latin digraphs.

// Code points whose full (JS) mapping expands but whose simple mapping is another single code point.
const SIMPLE_LOWER: Record<string, string> = { '\u0130': 'i' };

// Titlecase forms (unicode.ToTitle) that differ from the uppercase ones.
const TITLE: Record<string, string> = {
  '\u01C4': '\u01C5', '\u01C5': '\u01C5', '\u01C6': '\u01C5',
  '\u01C7': '\u01C8', '\u01C8': '\u01C8', '\u01C9': '\u01C8',
  '\u01CA': '\u01CB', '\u01CB': '\u01CB', '\u01CC': '\u01CB',
  '\u01F1': '\u01F2', '\u01F2': '\u01F2', '\u01F3': '\u01F2',
};

/** unicode.ToUpper of one code point. */
export function upperRune(c: string): string {
  const m = c.toUpperCase();
  return Array.from(m).length === 1 ? m : c;
}

/** unicode.ToLower of one code point. */
export function lowerRune(c: string): string {
  const simple = SIMPLE_LOWER[c];
  if (simple) return simple;
  const m = c.toLowerCase();
  return Array.from(m).length === 1 ? m : c;
}

/** unicode.ToTitle of one code point. */
export function titleRune(c: string): string {
  return TITLE[c] ?? upperRune(c);
}

/** strings.ToUpper. */
export function goUpper(s: string): string {
  return Array.from(s, upperRune).join('');
}

/** strings.ToLower. */
export function goLower(s: string): string {
  return Array.from(s, lowerRune).join('');
}

/** strings.Title's separator rule: ASCII letters, digits and _ join words; other ASCII separates; beyond ASCII, letters and digits join and spaces separate. */
function isSeparator(c: string): boolean {
  const cp = c.codePointAt(0) as number;
  if (cp <= 0x7f) return !/[A-Za-z0-9_]/.test(c);
  if (/[\p{L}\p{Nd}]/u.test(c)) return false;
  return /\s/u.test(c);
}

/** strings.Title: the first letter of each word in titlecase. */
export function goTitle(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    out += isSeparator(prev) ? titleRune(c) : c;
    prev = c;
  }
  return out;
}
