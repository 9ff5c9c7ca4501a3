// The Go-template function table of Packer templates (templates.md §2.11, §3.3), plus the
// azure-chroot additions `vm` and `clean_resource_name`.

import { randomBytes } from 'node:crypto';
import type { TemplateFunc } from './go-template.js';
import { scanGoTemplate } from './go-template.js';
import { formatGoLayout, formatStrftime } from './time-format.js';
import type { VmLookup } from './vm-lookup.js';
import { PACKER_COMPAT_VERSION } from '../version.js';

/** Where a template is rendered: the JSON `variables` section, a config field at load time, or a step. */
export type FunctionPhase = 'variables' | 'config' | 'step';

export interface FunctionContext {
  kind: 'hcl2' | 'json';
  phase: FunctionPhase;
  /** JSON user variables (`user`); empty for HCL. */
  userVars: Readonly<Record<string, string>>;
  /** Environment for `env` (JSON variables section only). */
  env?: Readonly<Record<string, string | undefined>>;
  templateDir: string;
  /** Unix seconds of process start. */
  startTime: number;
  cwd: string;
  /** `build_name`: the source label (HCL) or builder name (JSON). */
  buildName?: string;
  buildType?: string;
  vm?: VmLookup;
  /** Generated build data at step time; without it `build` returns its own text so a later render fills it. */
  buildData?: Readonly<Record<string, string>>;
}

export const PACKER_VERSION = PACKER_COMPAT_VERSION;
export const VM_KEYS = ['name', 'subscription_id', 'resource_group', 'location', 'zone', 'resource_id'] as const;

/** Every function name a template may use (some fail depending on mode and phase). */
export const KNOWN_FUNCTIONS: readonly string[] = [
  'user', 'env', 'timestamp', 'isotime', 'strftime', 'uuid', 'build_name', 'build_type', 'template_dir', 'pwd',
  'split', 'replace', 'replace_all', 'upper', 'lower', 'clean_resource_name', 'packer_version', 'build', 'vm',
  'sed', 'consul_key', 'vault', 'aws_secretsmanager',
];

/** Time-ordered UUID as Packer makes it: 8 hex digits of Unix seconds, then 12 random bytes. */
export function timeOrderedUuid(now = Date.now()): string {
  const secs = (Math.floor(now / 1000) >>> 0).toString(16).padStart(8, '0');
  const r = randomBytes(12).toString('hex');
  return `${secs}-${r.slice(0, 4)}-${r.slice(4, 8)}-${r.slice(8, 12)}-${r.slice(12, 24)}`;
}

/** Replaces bytes outside [0-9A-Za-z._-] with "-" and trims trailing "-", "_" and "." (Azure resource names). */
export function cleanResourceName(s: string): string {
  // Byte-wise like the Go original: a multi-byte character becomes several dashes.
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (const b of bytes) out += /[0-9A-Za-z._-]/.test(String.fromCharCode(b)) && b < 128 ? String.fromCharCode(b) : '-';
  return out.replace(/[-_.]+$/, '');
}

/** Go strings.Replace: n < 0 replaces all; an empty `old` inserts before every character (up to n). */
function goReplace(src: string, old: string, rep: string, n: number): string {
  if (n === 0 || old === rep) return src;
  if (old === '') {
    const chars = [...src];
    let out = '';
    let count = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (n < 0 || count < n) { out += rep; count++; }
      out += chars[i] ?? '';
    }
    return out;
  }
  const parts = src.split(old);
  if (n < 0 || n >= parts.length - 1) return parts.join(rep);
  return parts.slice(0, n + 1).join(rep) + old + parts.slice(n + 1).join(old);
}

function toInt(value: string, fn: string): number {
  if (!/^[-+]?[0-9]+$/.test(value)) throw new Error(`${fn}: expected an integer, got ${JSON.stringify(value)}`);
  return Number.parseInt(value, 10);
}

function arity(fn: string, args: string[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    throw new Error(`wrong number of args for ${fn}: want ${min === max ? min : `${min} to ${max}`} got ${args.length}`);
  }
}

/** The function table for one rendering context. Functions throw plain Errors; the renderer adds the Go prefix. */
export function templateFunctions(ctx: FunctionContext): Record<string, TemplateFunc> {
  const start = new Date(ctx.startTime * 1000);
  const hcl = ctx.kind === 'hcl2';
  return {
    user: (...a) => {
      arity('user', a, 1);
      if (hcl) throw new Error(`user variables do not exist in HCL2 templates; use var.${a[0]} instead`);
      const value = ctx.userVars[a[0]!];
      if (value === undefined && ctx.phase === 'variables') throw new Error(`variable not set: ${a[0]}`);
      return value ?? '';
    },
    env: (...a) => {
      arity('env', a, 1);
      if (hcl || ctx.phase !== 'variables') throw new Error('env vars are not allowed here');
      return (ctx.env ?? process.env)[a[0]!] ?? '';
    },
    timestamp: (...a) => (arity('timestamp', a, 0), String(ctx.startTime)),
    isotime: (...a) => {
      arity('isotime', a, 0, 1);
      return a.length === 0 ? start.toISOString().replace(/\.\d{3}Z$/, 'Z') : formatGoLayout(start, a[0]!);
    },
    strftime: (...a) => (arity('strftime', a, 1), formatStrftime(start, a[0]!)),
    uuid: (...a) => (arity('uuid', a, 0), timeOrderedUuid()),
    build_name: (...a) => {
      arity('build_name', a, 0);
      if (!ctx.buildName) throw new Error('build_name not available');
      return ctx.buildName;
    },
    build_type: (...a) => {
      arity('build_type', a, 0);
      if (!ctx.buildType) throw new Error('build_type not available');
      return ctx.buildType;
    },
    template_dir: (...a) => {
      arity('template_dir', a, 0);
      if (hcl || !ctx.templateDir) throw new Error('template path not available; in HCL2 templates use path.root');
      return ctx.templateDir;
    },
    pwd: (...a) => (arity('pwd', a, 0), ctx.cwd),
    split: (...a) => {
      arity('split', a, 3);
      const parts = a[0]!.split(a[1]!);
      const i = toInt(a[2]!, 'split');
      if (i < 0 || i >= parts.length) {
        throw new Error(`the substring ${i} was unavailable using the separator value, ${a[1]}, only ${parts.length} values were found`);
      }
      return parts[i]!;
    },
    replace: (...a) => (arity('replace', a, 4), goReplace(a[3]!, a[0]!, a[1]!, toInt(a[2]!, 'replace'))),
    replace_all: (...a) => (arity('replace_all', a, 3), goReplace(a[2]!, a[0]!, a[1]!, -1)),
    upper: (...a) => (arity('upper', a, 1), a[0]!.toUpperCase()),
    lower: (...a) => (arity('lower', a, 1), a[0]!.toLowerCase()),
    clean_resource_name: (...a) => (arity('clean_resource_name', a, 1), cleanResourceName(a[0]!)),
    packer_version: (...a) => (arity('packer_version', a, 0), PACKER_VERSION),
    build: (...a) => {
      arity('build', a, 1);
      const key = a[0]!;
      // Before the step, keep the call as text: the re-render at step time (with build data) fills it in.
      if (!ctx.buildData) return `{{ build \`${key}\` }}`;
      const value = ctx.buildData[key];
      if (value === undefined) {
        throw new Error(`build data "${key}" is not available; available keys: ${Object.keys(ctx.buildData).sort().join(', ')}`);
      }
      return value;
    },
    vm: (...a) => {
      arity('vm', a, 1);
      if (!(VM_KEYS as readonly string[]).includes(a[0]!)) {
        throw new Error(`unknown metadata key: ${a[0]} (supported: ${VM_KEYS.join(', ')})`);
      }
      if (!ctx.vm) throw new Error('VM metadata is not available here');
      return ctx.vm(a[0]!);
    },
    sed: () => {
      throw new Error('sed is deprecated and no longer available; use replace or replace_all');
    },
    consul_key: () => unsupportedLookup('consul_key'),
    vault: () => unsupportedLookup('vault'),
    aws_secretsmanager: () => unsupportedLookup('aws_secretsmanager'),
  };
}

function unsupportedLookup(name: string): never {
  throw new Error(`${name} is not supported by azchroot; pass the value with -var or an environment variable instead`);
}

/** True when any of the strings calls the `vm` function, so the caller knows to query IMDS first. */
export function templatesUseVm(strings: Iterable<string>): boolean {
  for (const s of strings) {
    if (!s.includes('{{') || !s.includes('vm')) continue;
    try {
      if (scanGoTemplate(s).funcs.includes('vm')) return true;
    } catch {
      // A syntax error is reported elsewhere; fetching IMDS for it would be wasted.
    }
  }
  return false;
}
