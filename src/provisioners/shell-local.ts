// The `shell-local` provisioner (and the engine of the post-processor of the same name): runs
// command/inline/scripts on the host through the execute_command argv, like Packer's shell-local.

import { rm } from 'node:fs/promises';
import { makeProvisionerTempDir } from './temp-dir.js';
import { runArgv } from '../host/exec.js';
import type { ProvisionerCommon, ShellLocalProvisioner } from '../config/model.js';
import { createOutputSink, type LocalRunContext } from './context.js';
import { baseScriptVars, collectEnvVars, commandVars } from './env-vars.js';
import { COMMAND_VARIABLE, evalFromEnvironment, holdsSecret } from '../host/secret-argv.js';
import { checkScript, invalidExitCode, writeInlineScript } from './script-files.js';

/** The options shared by the shell-local provisioner and post-processor. */
export type ShellLocalOptions = Omit<ShellLocalProvisioner, 'type' | keyof ProvisionerCommon>;

const GOOS: Record<string, string> = { win32: 'windows', sunos: 'solaris' };

/** This host's OS under Go's GOOS name (linux, darwin, windows, freebsd...). */
export function hostGoos(platform: string = process.platform): string {
  return GOOS[platform] ?? platform;
}

/** Runs a shell-local provisioner or post-processor on the host; throws on an exit code not in valid_exit_codes. */
export async function runShellLocal(p: ShellLocalOptions, ctx: LocalRunContext): Promise<void> {
  const { reporter, step, signal } = ctx;
  if (p.onlyOn && p.onlyOn.length > 0 && !p.onlyOn.includes(hostGoos())) {
    reporter.say(`Skipping shell-local due to OS not being in only_on (this host is ${hostGoos()}; only_on: ${p.onlyOn.join(', ')})`, step);
    return;
  }
  const dir = await makeProvisionerTempDir('shell-local');
  try {
    const inline = p.command !== undefined ? [p.command] : p.inline;
    const scripts = inline && inline.length > 0
      ? [await writeInlineScript(dir, `script${p.tempfileExtension ? `.${p.tempfileExtension.replace(/^\./, '')}` : ''}`, p.inlineShebang, inline, ctx.render, ctx.buildData)]
      : [...(p.scripts ?? [])];
    for (const s of scripts) await checkScript(s);

    const vars = collectEnvVars(baseScriptVars(ctx.build.sourceName, ctx.extraVars), p.environmentVars, p.env);
    // Secret variables reach the script through the environment; {{.Vars}} only refers to them.
    const flattened = commandVars(vars, p.envVarFormat, ctx.build.secrets);
    // The AZCHROOT_* values are also real environment variables of the child process.
    const env: Record<string, string | undefined> = { ...process.env, ...ctx.extraVars, ...flattened.env };

    for (const script of scripts) {
      const argv = p.executeCommand.map((arg) => ctx.render(arg, { Vars: flattened.text, Script: script, Command: p.command ?? script }));
      reporter.say(`Running local shell script: ${script}`, step);
      const sink = createOutputSink(reporter, step);
      const run = keepSecretsOutOfArgv(argv, env, ctx.build.secrets);
      // Every exit status is accepted here so that the message can name valid_exit_codes.
      const result = await runArgv(run.argv, { signal, env: run.env, onLine: sink.onLine, validExitCodes: allStatuses }, argv.join(' '));
      if (!p.validExitCodes.includes(result.exitCode)) {
        throw invalidExitCode(result.exitCode, p.validExitCodes, argv.join(' '), sink.tail(), 'host');
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A shell's `-c` script that still holds a secret (written into execute_command) moves into the environment. */
function keepSecretsOutOfArgv(argv: string[], env: Record<string, string | undefined>, secrets: readonly string[]): { argv: string[]; env: Record<string, string | undefined> } {
  const c = argv.indexOf('-c');
  if (c < 1 || c + 1 >= argv.length || !/(^|\/)(ba|da|k|z)?sh$/.test(argv[0]!) || !holdsSecret(argv[c + 1]!, secrets)) return { argv, env };
  const moved = [...argv];
  moved[c + 1] = evalFromEnvironment();
  return { argv: moved, env: { ...env, [COMMAND_VARIABLE]: argv[c + 1]! } };
}

// Exit statuses are 0..255 on Unix; a status from a signal shows as 128+n.
const allStatuses: readonly number[] = Array.from({ length: 256 }, (_, i) => i);
