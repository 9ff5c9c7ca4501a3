// Local script files for shell provisioners: inline lines rendered into a temp script, and the
// CRLF→LF conversion Packer applies to uploads unless `binary` is set.

import { randomInt } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AzchrootError, CommandError } from '../errors.js';
import type { StepRenderer } from './context.js';

/** Writes `#!<shebang>` and each rendered inline line (newline-terminated) to `<dir>/<name>`; returns its path. */
export async function writeInlineScript(
  dir: string,
  name: string,
  shebang: string,
  inline: readonly string[],
  render: StepRenderer,
  data: Record<string, string>,
): Promise<string> {
  const lines = inline.map((line) => render(line, data));
  const path = join(dir, name);
  await writeFile(path, `#!${shebang}\n${lines.map((l) => `${l}\n`).join('')}`, { mode: 0o700 });
  return path;
}

/** Returns a path whose content has CRLF line ends replaced by LF (a converted copy in `dir`). */
export async function withUnixLineEndings(dir: string, script: string): Promise<string> {
  await checkScript(script);
  // latin1 maps bytes 1:1, so non-UTF-8 content survives the round trip.
  const text = await readFile(script, 'latin1');
  if (!text.includes('\r\n')) return script;
  const copy = join(dir, `lf-${randomInt(1_000_000)}-${basename(script)}`);
  await writeFile(copy, text.split('\r\n').join('\n'), { encoding: 'latin1', mode: 0o700 });
  return copy;
}

/** Checks that a local script exists and is a file, with Packer's wording on failure. */
export async function checkScript(script: string): Promise<void> {
  const info = await stat(script).catch(() => undefined);
  if (!info?.isFile()) {
    throw new AzchrootError('AZC_PROVISIONER_SCRIPT', `bad script '${script}': the file does not exist or is not a regular file`, 'user', {
      hint: 'fix the path in script/scripts (relative paths are resolved from the current directory)',
    });
  }
}

/** A remote file name like Packer's: `<prefix>_<0..9998><suffix>`. */
export function randomRemoteName(prefix: string, suffix: string): string {
  return `${prefix}_${randomInt(9999)}${suffix}`;
}

/** Packer's error for an exit status not in valid_exit_codes (Go prints the list as `[0 1]`). */
export function invalidExitCode(status: number, allowed: readonly number[], command: string, output: string, place: 'chroot' | 'host'): CommandError {
  return new CommandError(`Script exited with non-zero exit status: ${status}. Allowed exit codes are: [${allowed.join(' ')}]`, {
    command,
    exitStatus: status,
    output,
    hint: exitStatusHint(status, place),
  });
}

const SIGNAL_NAMES: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 13: 'SIGPIPE', 15: 'SIGTERM' };

/** What the shell's own exit statuses mean; any other status is the script's to explain. */
function exitStatusHint(status: number, place: 'chroot' | 'host'): string {
  const where = place === 'chroot' ? 'inside the image (the chroot)' : 'on this host';
  if (status === 127) return `exit status 127 is the shell's "command not found": a program the script calls is not installed ${where}, or not on its PATH; read the output above for its name, then install it first or call it by its full path`;
  if (status === 126) return `exit status 126 is the shell's "found but cannot run": a program is not executable, or its interpreter (the #! line) is missing ${where}`;
  if (status > 128 && status < 128 + 65) {
    const signal = status - 128;
    const name = SIGNAL_NAMES[signal] ?? `signal ${signal}`;
    return `exit status ${status} means a command was killed by ${name}${signal === 9 ? ' (often the kernel\'s out-of-memory killer: check dmesg)' : ''}`;
  }
  return 'read the script output above; add the code to valid_exit_codes if it means success';
}
