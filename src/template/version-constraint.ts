// Version constraints as hashicorp/go-version reads them (packer { required_version }):
// comma-separated terms, each an optional operator (=, !=, >, <, >=, <=, ~>) and a version of up
// to three dot-separated numbers with optional pre-release and metadata parts.

export interface Version {
  segments: [number, number, number];
  /** How many segments were written (for ~>). */
  given: number;
  pre: string;
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;
const TERM = /^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$/;

/** Parses a version; undefined when malformed. */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const given = m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1;
  return { segments: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], given, pre: m[4] ?? '' };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const d = (a.segments[i] as number) - (b.segments[i] as number);
    if (d !== 0) return Math.sign(d);
  }
  // A pre-release sorts before its release.
  if (a.pre === b.pre) return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return a.pre < b.pre ? -1 : 1;
}

export interface Term {
  op: string;
  version: Version;
}

/** Parses a constraint string; throws an Error naming the bad term. */
export function parseConstraint(text: string): Term[] {
  const terms = text.split(',');
  return terms.map((t) => {
    const m = TERM.exec(t);
    const version = m ? parseVersion(m[2] as string) : undefined;
    if (!m || !version) throw new Error(`malformed constraint: ${t.trim() || '(empty)'}`);
    return { op: m[1] ?? '=', version };
  });
}

function satisfiesTerm(v: Version, { op, version: c }: Term): boolean {
  const d = compare(v, c);
  switch (op) {
    case '=': return d === 0;
    case '!=': return d !== 0;
    case '>': return d > 0;
    case '<': return d < 0;
    case '>=': return d >= 0;
    case '<=': return d <= 0;
    default: {
      // ~> 1.7 allows 1.x from 1.7; ~> 1.7.2 allows 1.7.x from 1.7.2.
      if (d < 0) return false;
      const fixed = Math.max(c.given - 1, 1);
      for (let i = 0; i < fixed; i++) if (v.segments[i] !== c.segments[i]) return false;
      return true;
    }
  }
}

/** Whether `version` meets every term of `constraint`. */
export function satisfies(version: string, constraint: string): boolean {
  const v = parseVersion(version);
  if (!v) throw new Error(`malformed version: ${version}`);
  return parseConstraint(constraint).every((t) => satisfiesTerm(v, t));
}
