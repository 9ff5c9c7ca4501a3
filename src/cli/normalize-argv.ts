// Packer users type single-dash long flags (`-var k=v`, `-only=x`, `-syntax-only`). Commander
// understands only `--long`, so known Packer-style flags are rewritten before parsing.

const BOOLEAN_FLAGS = ['syntax-only', 'force', 'debug', 'trace', 'machine-readable', 'json', 'all', 'help', 'version', 'color', 'timestamp-ui'];
/** Flags followed by a value (`-var k=v` or `-var=k=v`). */
const VALUE_FLAGS = new Set([
  'var', 'var-file', 'only', 'except', 'on-error', 'log-file', 'build-id', 'state-dir', 'state', 'urn',
  'format', 'arm-listen', 'imds-listen', 'devroot', 'latency', 'latency-scale', 'faults', 'hyperv-generation',
  'location', 'zone', 'parallel-builds', 'azure-mode', 'seed', 'link-delay', 'timeout', 'expect', 'firmware', 'accel', 'memory', 'log',
]);
/** Flags whose value is optional (`--emulator` or `--emulator DIR`). */
const OPTIONAL_VALUE_FLAGS = new Set(['emulator']);
const KNOWN_FLAGS = new Set([...BOOLEAN_FLAGS, ...VALUE_FLAGS, ...OPTIONAL_VALUE_FLAGS]);
/** How many positional arguments each command takes (for optional-value flags). */
const POSITIONALS: Readonly<Record<string, number>> = { build: 1, cleanup: 0, 'boot-test': 1 };

/**
 * Rewrites `-name` / `-name=value` for known long flags into `--name` / `--name=value`; stops at `--`.
 * A bare optional-value flag takes the next argument as its value only when the command still gets
 * all of its own arguments (`build --emulator DIR t.pkr.hcl`), so that it never swallows the template
 * (`build --emulator t.pkr.hcl`); otherwise it becomes `--emulator=` (empty: the default).
 */
export function normalizeArgv(args: readonly string[]): string[] {
  const out: string[] = [];
  const command = args.find((a) => !a.startsWith('-'));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const m = /^--?([a-z][a-z-]+)(=.*)?$/.exec(arg);
    const name = m?.[1];
    if (!m || !name || !KNOWN_FLAGS.has(name)) {
      out.push(arg);
    } else if (m[2] === undefined && OPTIONAL_VALUE_FLAGS.has(name)) {
      const next = args[i + 1];
      const takesNext = next !== undefined && !next.startsWith('-') && positionalsIn(args.slice(i + 1)) > (POSITIONALS[command ?? ''] ?? 0);
      out.push(`--${name}=${takesNext ? next : ''}`);
      if (takesNext) i += 1;
    } else {
      out.push(`--${name}${m[2] ?? ''}`);
    }
  }
  return out;
}

/** Positional arguments in `args`, not counting the values of value flags. */
function positionalsIn(args: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return count + args.length - i - 1;
    const m = /^--?([a-z][a-z-]+)(=.*)?$/.exec(a);
    if (m) {
      if (m[2] === undefined && m[1] && VALUE_FLAGS.has(m[1])) i += 1;
      continue;
    }
    count += 1;
  }
  return count;
}

/** Splits a `-var` value `k=v` at the first `=`. */
export function parseVarFlag(value: string): [string, string] {
  const i = value.indexOf('=');
  if (i <= 0) throw new Error(`-var expects NAME=VALUE, got "${value}"`);
  return [value.slice(0, i), value.slice(i + 1)];
}
