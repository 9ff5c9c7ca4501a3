// The chroot communicator: provisioners reach the mounted tree through host commands wrapped by
// command_wrapper, like Packer's chroot communicator.
//
// Deliberate difference from Packer: Packer quotes the inner command with Go's strconv.Quote, so the
// HOST shell expands `$VAR`, `$(...)` and backticks before chroot runs (a `B='$HOME'` variable
// becomes the host's home). We single-quote it, so the command reaches the chroot's /bin/sh verbatim.

import { copyFile, mkdir, readdir, readlink, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CommandError } from '../errors.js';
import { runShell } from '../host/exec.js';
import type { Reporter } from '../report/reporter.js';
import type { Communicator, RunOptions } from './communicator.js';

export interface ChrootCommunicatorOptions {
  mountPath: string;
  device: string;
  /** command_wrapper applied to every host command (`sudo {{.Command}}`...). */
  wrapCommand: (cmd: string) => string;
  reporter?: Reporter;
}

/** Quotes `text` as one POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.split("'").join(`'"'"'`)}'`;
}

/** Creates a Communicator that runs commands with `chroot <mountPath> /bin/sh -c` and copies files with `cp`. */
export function createChrootCommunicator(options: ChrootCommunicatorOptions): Communicator {
  const { mountPath, device, wrapCommand, reporter } = options;
  const inChroot = (path: string): string => join(mountPath, path);

  const hostCopy = async (command: string, signal: AbortSignal | undefined): Promise<void> => {
    const wrapped = wrapCommand(command);
    reporter?.debug(`running: ${wrapped}`, 'chroot');
    await runShell(wrapped, { signal });
  };

  return {
    mountPath,
    device,

    async run(command: string, runOptions: RunOptions = {}): Promise<number> {
      const wrapped = wrapCommand(`chroot ${shellQuote(mountPath)} /bin/sh -c ${shellQuote(command)}`);
      reporter?.debug(`running in chroot: ${wrapped}`, 'chroot');
      // runShell replaces the whole environment when `env` is given, so extend the host's here.
      const env = runOptions.env ? { ...process.env, ...runOptions.env } : undefined;
      // Killing the host shell alone would leave its children in the chroot running (and holding
      // the output pipes open), so on cancel every process whose root is the chroot is killed.
      const signal = runOptions.signal;
      const onAbort = (): void => void killChrootProcesses(mountPath);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await runShell(wrapped, { signal, env, onLine: runOptions.onLine });
        return result.exitCode;
      } catch (err) {
        // A non-zero exit status is the caller's business; cancellations and spawn failures are not.
        if (err instanceof CommandError && err.exitStatus !== undefined && !signal?.aborted) return err.exitStatus;
        throw err;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },

    async upload(destination: string, localFile: string, o: { signal?: AbortSignal } = {}): Promise<void> {
      await hostCopy(`cp ${shellQuote(localFile)} ${shellQuote(inChroot(destination))}`, o.signal);
    },

    async uploadDir(destination: string, localDir: string, o: { signal?: AbortSignal } = {}): Promise<void> {
      // cp -R semantics: "src/" copies the contents (as "src/."), "src" copies the directory itself.
      const source = localDir.endsWith('/') ? `${localDir}.` : localDir;
      await hostCopy(`cp -R ${shellQuote(source)} ${shellQuote(inChroot(destination))}`, o.signal);
    },

    async download(source: string, localFile: string): Promise<void> {
      // Packer reads the file straight from the mounted tree, without command_wrapper.
      await mkdir(dirname(localFile), { recursive: true, mode: 0o755 });
      try {
        await copyFile(inChroot(source), localFile);
      } catch (err) {
        throw new CommandError(`could not download ${source} from the chroot to ${localFile}: ${(err as Error).message}`, {
          command: `copy ${inChroot(source)} ${localFile}`,
          hint: 'check that the file exists in the image and that the local directory is writable',
          cause: err,
        });
      }
    },
  };
}

/** Sends SIGKILL to every process whose root directory is `mountPath`; returns how many were signalled. */
export async function killChrootProcesses(mountPath: string): Promise<number> {
  const root = await realpath(mountPath).catch(() => mountPath);
  let killed = 0;
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const link = await readlink(`/proc/${entry}/root`).catch(() => undefined);
    if (link !== root) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed += 1;
    } catch {
      // Already gone.
    }
  }
  return killed;
}
