// The `shell` provisioner: uploads each script into the chroot and runs it with execute_command,
// following Packer 1.6.6 step by step (upload, chmod 0755, run, check exit code, rm -f).

import { rm, writeFile } from 'node:fs/promises';
import { makeProvisionerTempDir } from './temp-dir.js';
import { join, posix } from 'node:path';
import { AzchrootError } from '../errors.js';
import { shellQuote } from '../chroot/chroot-communicator.js';
import type { ShellProvisioner } from '../config/model.js';
import { createOutputSink, type ProvisionerContext } from './context.js';
import { baseScriptVars, collectEnvVars, commandVars, flattenEnvVars } from './env-vars.js';
import { checkScript, invalidExitCode, randomRemoteName, withUnixLineEndings, writeInlineScript } from './script-files.js';

/** Runs a shell provisioner inside the chroot; throws when a script fails or exits with a code not in valid_exit_codes. */
export async function runShellProvisioner(p: ShellProvisioner, ctx: ProvisionerContext): Promise<void> {
  const { comm, reporter, step, signal } = ctx;
  const dir = await makeProvisionerTempDir('shell');
  try {
    const scripts = p.inline && p.inline.length > 0
      ? [await writeInlineScript(dir, 'inline.sh', p.inlineShebang, p.inline, ctx.render, ctx.buildData)]
      : [...(p.scripts ?? [])];
    for (const s of scripts) await checkScript(s);

    const vars = collectEnvVars(baseScriptVars(ctx.build.sourceName, ctx.extraVars), p.environmentVars, p.env);
    const flattened = flattenEnvVars(vars, p.envVarFormat);
    const remoteFolder = p.remoteFolder || '/tmp';
    const remotePath = p.remotePath || posix.join(remoteFolder, p.remoteFile || randomRemoteName('script', '.sh'));

    let envVarFile = '';
    if (p.useEnvVarFile) {
      envVarFile = posix.join(remoteFolder, randomRemoteName('varfile', '.sh'));
      const local = join(dir, 'vars.sh');
      await writeFile(local, flattened, { mode: 0o600 });
      await comm.upload(envVarFile, local, { signal });
      await mustRun(ctx, `chmod 0600 ${shellQuote(envVarFile)}`, `could not chmod the environment variable file ${envVarFile}`);
    }

    // Secret variables reach the script through the environment; {{.Vars}} only refers to them.
    const vars4cmd = commandVars(vars, p.envVarFormat, ctx.build.secrets);
    const command = ctx.render(p.executeCommand, { Vars: vars4cmd.text, Path: remotePath, EnvVarFile: envVarFile });
    for (const script of scripts) {
      reporter.say(`Provisioning with shell script: ${script}`, step);
      const local = p.binary ? script : await withUnixLineEndings(dir, script);
      await comm.upload(remotePath, local, { signal });
      await mustRun(ctx, `chmod 0755 ${shellQuote(remotePath)}`, `could not chmod the script ${remotePath} to 0755 in the chroot`);

      const sink = createOutputSink(reporter, step);
      const status = await comm.run(command, { signal, env: vars4cmd.env, onLine: sink.onLine });
      if (!p.validExitCodes.includes(status)) {
        throw invalidExitCode(status, p.validExitCodes, command, sink.tail(), 'chroot');
      }
      if (!p.skipClean) await mustRun(ctx, `rm -f ${shellQuote(remotePath)}`, `could not remove the script ${remotePath} from the chroot`);
    }
    if (envVarFile) await mustRun(ctx, `rm -f ${shellQuote(envVarFile)}`, `could not remove ${envVarFile} from the chroot`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs a housekeeping command in the chroot; a non-zero exit is an error. */
async function mustRun(ctx: ProvisionerContext, command: string, what: string): Promise<void> {
  const sink = createOutputSink(ctx.reporter, ctx.step);
  const status = await ctx.comm.run(command, { signal: ctx.signal, onLine: sink.onLine });
  if (status !== 0) {
    throw new AzchrootError('AZC_PROVISIONER_COMMAND', `${what} (exit status ${status}): ${command}`, 'host', {
      hint: 'check that the image has a working /bin/sh, chmod and rm, and that the target directory exists',
    });
  }
}
