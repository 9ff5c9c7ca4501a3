// Keeping secrets out of command lines. Every local user can read any process's argv (`ps -eo args`);
// only root and the process's owner can read its environment. So a shell command that holds a
// secret is never passed as `sh -c <command>`: the command travels in an environment variable and
// the shell reads it from there (`sh -c 'eval "$AZCHROOT_COMMAND"'`, the variable unset first).
//
// This protects the shells azchroot starts. A command that itself runs another program with the
// secret as an argument (`curl -u user:$TOKEN`, `env {{.Vars}} cmd`, a `sudo {{.Command}}` wrapper)
// still puts the value into that program's argv: the README's threat model lists those forms.

/** Shortest secret value looked for (shorter ones would match everywhere; the redactor ignores them too). */
export const MIN_SECRET_LENGTH = 3;

/** The environment variable a secret-bearing command travels in. */
export const COMMAND_VARIABLE = 'AZCHROOT_COMMAND';

/** Whether `text` holds any of `secrets`. */
export function holdsSecret(text: string, secrets: readonly string[] | undefined): boolean {
  if (!secrets) return false;
  for (const s of secrets) if (s.length >= MIN_SECRET_LENGTH && text.includes(s)) return true;
  return false;
}

/** The `sh -c` script that runs the command held in `variable` (unset first, so children do not inherit it). */
export function evalFromEnvironment(variable = COMMAND_VARIABLE): string {
  return `__azchroot_command=$${variable}; unset ${variable}; eval "$__azchroot_command"`;
}

/**
 * A shell command line and environment to run `command` with `/bin/sh -c`: the command itself
 * when it holds no secret, else the eval script with the command in the environment.
 */
export function shellCommandFor(command: string, secrets: readonly string[] | undefined, variable = COMMAND_VARIABLE): { script: string; env: Record<string, string> } {
  if (!holdsSecret(command, secrets)) return { script: command, env: {} };
  return { script: evalFromEnvironment(variable), env: { [variable]: command } };
}
