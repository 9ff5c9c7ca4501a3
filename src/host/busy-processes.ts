// Finding and stopping the processes that keep a chroot's mounts busy (daemons started by package
// installs, gpg-agent...): any process whose root, cwd, executable or an open file is inside the path.

import { readFileSync } from 'node:fs';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isWithin } from './proc-mounts.js';

export interface HolderProcess {
  pid: number;
  /** Short command name from /proc/<pid>/comm. */
  command: string;
  /** What ties it to the path. */
  reason: 'root' | 'cwd' | 'exe' | 'open file';
}

/** Processes (other than this one) using something inside `path`; `procRoot` is for tests. */
export async function findHolders(path: string, procRoot = '/proc'): Promise<HolderProcess[]> {
  const out: HolderProcess[] = [];
  let names: string[];
  try {
    names = await readdir(procRoot);
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    const reason = await holdReason(join(procRoot, name), path);
    if (!reason) continue;
    const command = (await readFile(join(procRoot, name, 'comm'), 'utf8').catch(() => '?')).trim();
    out.push({ pid, command, reason });
  }
  return out;
}

async function holdReason(dir: string, path: string): Promise<HolderProcess['reason'] | undefined> {
  const inside = async (link: string): Promise<boolean> => {
    const target = await readlink(link).catch(() => undefined);
    return target !== undefined && isWithin(target.replace(/ \(deleted\)$/, ''), path);
  };
  if (await inside(join(dir, 'root'))) return 'root';
  if (await inside(join(dir, 'cwd'))) return 'cwd';
  if (await inside(join(dir, 'exe'))) return 'exe';
  const fds = await readdir(join(dir, 'fd')).catch(() => [] as string[]);
  for (const fd of fds) if (await inside(join(dir, 'fd', fd))) return 'open file';
  return undefined;
}

/** SIGTERM, wait up to `graceMs` for them to exit, then SIGKILL the rest; returns who was killed hard. */
export async function stopHolders(holders: readonly HolderProcess[], graceMs = 3000): Promise<number[]> {
  for (const h of holders) signal(h.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  let alive = holders.filter((h) => isAlive(h.pid));
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    alive = alive.filter((h) => isAlive(h.pid));
  }
  for (const h of alive) signal(h.pid, 'SIGKILL');
  // SIGKILL is asynchronous too: give the kernel a moment to release the files.
  const killDeadline = Date.now() + 2000;
  while (alive.some((h) => isAlive(h.pid)) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 50));
  return alive.map((h) => h.pid);
}

/** "1234 (gpg-agent, root inside)" style list. */
export function describeHolders(holders: readonly HolderProcess[]): string {
  return holders.map((h) => `${h.pid} (${h.command}, ${h.reason} inside)`).join(', ');
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its parent) holds no files any more.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.charAt(stat.lastIndexOf(')') + 2) !== 'Z';
  } catch {
    return false;
  }
}
