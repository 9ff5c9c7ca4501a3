// The environment-variable string handed to shell scripts as {{.Vars}}, built exactly like
// Packer's shell provisioners: sorted keys, values with `'` escaped, each through env_var_format.
// A variable whose value holds a secret is rendered as a reference the shell resolves from the
// process environment (`NAME="$NAME"`), and its value goes into that environment instead: the
// command line never holds it.

import { AzchrootError } from '../errors.js';
import { holdsSecret } from '../host/secret-argv.js';

/** Replaces `'` with `'"'"'` so the value stays inside single quotes. */
export function escapeSingleQuotes(value: string): string {
  return value.split("'").join(`'"'"'`);
}

/** Go's fmt.Sprintf for the verbs env_var_format uses (%s, %v); %% is a literal percent. */
export function goSprintf(format: string, ...args: string[]): string {
  let i = 0;
  return format.replace(/%([%sv])/g, (_m, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[i++];
    return arg === undefined ? `%!${verb}(MISSING)` : arg;
  });
}

/** Merges the base variables, `environment_vars` ("K=V") and `env` (later wins). */
export function collectEnvVars(
  base: Record<string, string>,
  environmentVars: readonly string[],
  env: Record<string, string>,
): Record<string, string> {
  const vars: Record<string, string> = { ...base };
  for (const entry of environmentVars) {
    const eq = entry.indexOf('=');
    if (eq <= 0) {
      throw new AzchrootError('AZC_PROVISIONER_ENV', `environment variable not in format 'key=value': ${JSON.stringify(entry)}`, 'user', {
        hint: 'write each environment_vars entry as "NAME=value"',
      });
    }
    vars[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return { ...vars, ...env };
}

/** The {{.Vars}} string: sorted keys, each formatted with `envVarFormat` and its value quote-escaped. */
export function flattenEnvVars(vars: Record<string, string>, envVarFormat: string): string {
  return Object.keys(vars)
    .sort()
    .map((k) => goSprintf(envVarFormat, k, escapeSingleQuotes(vars[k] ?? '')))
    .join('');
}

/** The Vars string for a command line, and the environment that the secret variables' references read. */
export interface CommandVars {
  /** The {{.Vars}} text: secret values replaced by shell references to the environment. */
  text: string;
  /** The secret variables, to pass in the environment of the process that runs the command. */
  env: Record<string, string>;
}

const PACKER_DEFAULT_FORMAT = "%s='%s' ";
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** {{.Vars}} for a command line: like flattenEnvVars, except that variables whose value holds one of `secrets` become references. */
export function commandVars(vars: Record<string, string>, envVarFormat: string, secrets: readonly string[]): CommandVars {
  const env: Record<string, string> = {};
  const text = Object.keys(vars)
    .sort()
    .map((k) => {
      const value = vars[k] ?? '';
      // A name the shell cannot expand ($FOO-BAR) stays inline: nothing else could carry it.
      if (!holdsSecret(value, secrets) || !SHELL_NAME.test(k)) return goSprintf(envVarFormat, k, escapeSingleQuotes(value));
      env[k] = value;
      if (envVarFormat === PACKER_DEFAULT_FORMAT) return `${k}="$${k}" `;
      return goSprintf(envVarFormat, k, referenceInside(envVarFormat, k));
    })
    .join('');
  return { text, env };
}

/** `$NAME` written so that it expands where the format puts the value: in '...', in "...", or bare. */
function referenceInside(format: string, name: string): string {
  const at = format.indexOf('%', format.indexOf('%s') + 2);
  const before = at > 0 ? format[at - 1] : undefined;
  if (before === "'") return `'"$${name}"'`;
  if (before === '"') return `\${${name}}`;
  return `"$${name}"`;
}

/** Variables every azchroot script sees: Packer's two plus the chroot's device and mount path. */
export function baseScriptVars(sourceName: string, extra: Record<string, string>): Record<string, string> {
  return { PACKER_BUILDER_TYPE: 'azure-chroot', PACKER_BUILD_NAME: sourceName, ...extra };
}
