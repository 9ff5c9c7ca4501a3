// Key-path shape checks: the facts a published REST example states about a response body,
// written as `path -> JSON type` (e.g. "properties.targetRegions[].name": "string").
// `[]` after a segment means "every element of a non-empty array"; a leading `[]` is a bare array body.

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'date';

/** Key paths a body must have, with the JSON type of each. */
export type Shape = Readonly<Record<string, JsonType>>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function matches(value: unknown, want: JsonType): boolean {
  switch (want) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'date':
      // ARM dates are ISO 8601 strings; a client parses them with Date.
      return typeof value === 'string' && !Number.isNaN(Date.parse(value));
    default:
      return typeOf(value) === want;
  }
}

/** Values found at a key path (several when the path crosses `[]`); problems go to `problems`. */
function resolvePath(root: unknown, path: string, problems: string[]): unknown[] {
  let current: Array<{ value: unknown; at: string }> = [{ value: root, at: '' }];
  for (const raw of path.split('.')) {
    const each = raw.endsWith('[]');
    const key = each ? raw.slice(0, -2) : raw;
    const next: Array<{ value: unknown; at: string }> = [];
    for (const { value, at } of current) {
      const here = at ? `${at}.${key}` : key;
      // An empty key before `[]` is the value itself (a bare array body: "[].name").
      const self = key === '' && each;
      if (!self && (typeOf(value) !== 'object' || !Object.prototype.hasOwnProperty.call(value, key))) {
        problems.push(`${path}: "${here}" is missing`);
        continue;
      }
      const child = self ? value : (value as Record<string, unknown>)[key];
      if (!each) {
        next.push({ value: child, at: here });
        continue;
      }
      if (!Array.isArray(child) || child.length === 0) {
        problems.push(`${path}: "${here}" should be a non-empty array, got ${JSON.stringify(child)}`);
        continue;
      }
      child.forEach((v, i) => next.push({ value: v, at: `${here}[${i}]` }));
    }
    current = next;
  }
  return current.map((c) => c.value);
}

/** Every mismatch between `body` and `shape`, as readable lines (empty when the body conforms). */
export function shapeProblems(body: unknown, shape: Shape): string[] {
  const problems: string[] = [];
  for (const [path, want] of Object.entries(shape)) {
    for (const value of resolvePath(body, path, problems)) {
      if (!matches(value, want)) problems.push(`${path}: expected ${want}, got ${typeOf(value)} ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

/** Merges shapes (later ones win on the same path). */
export function shapeOf(...parts: Shape[]): Shape {
  return Object.assign({}, ...parts) as Shape;
}

/** Prefixes every path of `shape` with `prefix.` (e.g. to check list items under "value[]"). */
export function under(prefix: string, shape: Shape): Shape {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [`${prefix}.${k}`, v]));
}
