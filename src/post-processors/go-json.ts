// JSON text byte-for-byte like Go's json.MarshalIndent: same indentation, and the HTML-safe
// escapes Go applies inside strings (<, >, &, U+2028, U+2029).

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** Serialises `value` as Go's json.MarshalIndent(value, "", indent) would (no trailing newline). */
export function goMarshalIndent(value: unknown, indent = '  '): string {
  // These characters can only occur inside JSON strings, so a global replace is safe.
  return JSON.stringify(value, null, indent).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c] ?? c);
}
