// Packer users type single-dash long flags (`-var k=v`, `-only=x`, `-syntax-only`). Commander
// understands only `--long`, so known Packer-style flags are rewritten before parsing.

const PACKER_STYLE_FLAGS = new Set([
  'var', 'var-file', 'only', 'except', 'syntax-only', 'force', 'on-error', 'debug',
  'machine-readable', 'json', 'color', 'timestamp-ui', 'emulator', 'log-file', 'build-id', 'all',
  'state', 'urn', 'format', 'arm-listen', 'imds-listen', 'devroot', 'latency', 'latency-scale',
  'faults', 'help', 'version', 'parallel-builds', 'hyperv-generation', 'location', 'zone',
]);

/** Rewrites `-name` / `-name=value` for known long flags into `--name` / `--name=value`; stops at `--`. */
export function normalizeArgv(args: readonly string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const arg of args) {
    if (passthrough || arg === '--') {
      passthrough = true;
      out.push(arg);
      continue;
    }
    const m = /^-([a-z][a-z-]+)(=.*)?$/.exec(arg);
    if (m && m[1] && PACKER_STYLE_FLAGS.has(m[1])) out.push(`--${m[1]}${m[2] ?? ''}`);
    else out.push(arg);
  }
  return out;
}

/** Splits a `-var` value `k=v` at the first `=`. */
export function parseVarFlag(value: string): [string, string] {
  const i = value.indexOf('=');
  if (i <= 0) throw new Error(`-var expects NAME=VALUE, got "${value}"`);
  return [value.slice(0, i), value.slice(i + 1)];
}
