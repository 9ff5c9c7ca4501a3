// The chroot communicator: provisioners reach the mounted tree through host commands wrapped by
// command_wrapper, like Packer's chroot communicator.
//
// Deliberate difference from Packer: Packer quotes the inner command with Go's strconv.Quote, so the
// HOST shell expands `$VAR`, `$(...)` and backticks before chroot runs (a `B='$HOME'` variable
// becomes the host's home). We single-quote it, so the command reaches the chroot's /bin/sh verbatim.
//
// Files are copied by azchroot's own code, confined to the image (chroot/confined-path.ts): an
// upload or download never follows a symlink of the image out of the mount, and never runs `cp`.

import { lstat, mkdir, readdir, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { ConfinedPathError, copyHostFileToImage, copyImageFileToHost, makeImageDirs, makeImageSymlink, resolveInImage, type ImageRoot } from './confined-path.js';
import { CommandError } from '../errors.js';
import { runShell } from '../host/exec.js';
import { shellCommandFor } from '../host/secret-argv.js';
import type { Reporter } from '../report/reporter.js';
import type { Communicator, RunOptions } from './communicator.js';

export interface ChrootCommunicatorOptions {
  mountPath: string;
  device: string;
  /** command_wrapper applied to every host command (`sudo {{.Command}}`...). */
  wrapCommand: (cmd: string) => string;
  reporter?: Reporter;
  /** Secret values that must not appear in any command line (sensitive variables, client secret...). */
  secrets?: readonly string[];
  /** Image paths of the chroot mounts (/proc, /sys, /dev...): host file systems that uploads and downloads refuse. */
  hostMounts?: readonly string[];
}

/** Quotes `text` as one POSIX shell word. */
export function shellQuote(text: string): string {
  return `'${text.split("'").join(`'"'"'`)}'`;
}

/** Creates a Communicator that runs commands with `chroot <mountPath> /bin/sh -c` and copies files with `cp`. */
export function createChrootCommunicator(options: ChrootCommunicatorOptions): Communicator {
  const { mountPath, device, wrapCommand, reporter } = options;
  const root: ImageRoot = { hostRoot: mountPath, hostMounts: options.hostMounts };

  return {
    mountPath,
    device,

    async run(command: string, runOptions: RunOptions = {}): Promise<number> {
      // A command holding a secret crosses `chroot` in the environment, not in its argv.
      const inner = shellCommandFor(command, options.secrets, 'AZCHROOT_CHROOT_COMMAND');
      const wrapped = wrapCommand(`chroot ${shellQuote(mountPath)} /bin/sh -c ${shellQuote(inner.script)}`);
      reporter?.debug(`running in chroot: ${wrapCommand(`chroot ${shellQuote(mountPath)} /bin/sh -c ${shellQuote(command)}`)}`, 'chroot');
      // runShell replaces the whole environment when `env` is given, so extend the host's here.
      const extra = { ...runOptions.env, ...inner.env };
      const env = Object.keys(extra).length > 0 ? { ...process.env, ...extra } : undefined;
      // Killing the host shell alone would leave its children in the chroot running (and holding
      // the output pipes open), so on cancel every process whose root is the chroot is killed.
      const signal = runOptions.signal;
      const onAbort = (): void => void killChrootProcesses(mountPath);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await runShell(wrapped, { signal, env, onLine: runOptions.onLine, secrets: options.secrets });
        return result.exitCode;
      } catch (err) {
        // A non-zero exit status is the caller's business; cancellations and spawn failures are not.
        if (err instanceof CommandError && err.exitStatus !== undefined && !signal?.aborted) return err.exitStatus;
        throw err;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },

    async upload(destination: string, localFile: string): Promise<void> {
      // cp semantics: an existing directory (inside the image) receives the file under its own name.
      const target = await resolveInImage(root, destination);
      const path = target.stat?.isDirectory() ? posix.join(target.imagePath, basename(localFile)) : destination;
      reporter?.debug(`copying ${localFile} to ${path} in the image`, 'chroot');
      await copyHostFileToImage(root, localFile, path);
    },

    async uploadDir(destination: string, localDir: string): Promise<void> {
      // cp -R semantics: "src/" copies the contents, "src" the directory itself (into an existing directory).
      const contents = localDir.endsWith('/');
      const target = await resolveInImage(root, destination);
      const into = !contents && target.stat?.isDirectory() ? posix.join(target.imagePath, basename(localDir)) : destination;
      reporter?.debug(`copying ${localDir} to ${into} in the image`, 'chroot');
      await copyTree(root, localDir, into);
    },

    async download(source: string, localFile: string): Promise<void> {
      // Packer reads the file straight from the mounted tree, without command_wrapper.
      await mkdir(dirname(localFile), { recursive: true, mode: 0o755 });
      try {
        await copyImageFileToHost(root, source, localFile);
      } catch (err) {
        if (err instanceof Error && (err as { code?: string }).code === 'AZC_IMAGE_PATH') throw err;
        throw new CommandError(`could not download ${source} from the chroot to ${localFile}: ${(err as Error).message}`, {
          command: `copy ${join(mountPath, source)} ${localFile}`,
          hint: 'check that the file exists in the image and that the local directory is writable',
          cause: err,
        });
      }
    },
  };
}

/** Copies the host directory `localDir` to `imageDir` (created if missing; its parent must exist), like cp -R (symlinks copied as links). */
async function copyTree(root: ImageRoot, localDir: string, imageDir: string): Promise<void> {
  const st = await lstat(localDir);
  const existing = await resolveInImage(root, imageDir);
  if (!existing.stat) {
    const parent = await resolveInImage(root, posix.dirname(existing.imagePath));
    if (!parent.stat?.isDirectory()) throw new ConfinedPathError(imageDir, `directory ${parent.imagePath} does not exist`, 'create it first, or fix the destination');
  }
  await makeImageDirs(root, imageDir, st.mode & 0o777);
  for (const entry of await readdir(localDir, { withFileTypes: true })) {
    const from = join(localDir, entry.name);
    const to = posix.join(imageDir, entry.name);
    if (entry.isDirectory()) await copyTree(root, from, to);
    else if (entry.isSymbolicLink()) await makeImageSymlink(root, to, await readlink(from));
    else if (entry.isFile()) await copyHostFileToImage(root, from, to);
    else unsupportedEntry(from);
  }
}

function unsupportedEntry(path: string): never {
  throw new CommandError(`cannot upload ${path}: only regular files, directories and symlinks are copied`, { command: `copy ${path}` });
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
