// The emulator's device-link service, standing in for udev's by-uuid rules: on a rescan request
// (a line "trigger <device>" on <devroot>/disk/.azchroot-rescan.sock) it makes
// <devroot>/disk/by-uuid/<UUID> for every partition of the attached disks and drops links whose
// partition is gone. Targets are relative, like the lun links, so the directory also works when
// bound over /dev/disk.

import { execFile } from 'node:child_process';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { mkdir, rename, rm, symlink, unlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { basename, dirname, join, resolve } from 'node:path';
import { RESCAN_SOCKET } from '../../host/rescan-devices.js';
import { tempPathFor } from './atomic-file.js';
import { relativeTarget } from './device-links.js';

export function uuidDir(devroot: string): string {
  return join(devroot, 'disk', 'by-uuid');
}

/** Partitions (/dev/loopNpM) of `loopDevice`, from sysfs. */
function partitionsOf(loopDevice: string, sysroot = '/sys'): string[] {
  const name = basename(loopDevice);
  try {
    return readdirSync(join(sysroot, 'block', name)).filter((e) => e.startsWith(`${name}p`)).map((e) => join('/dev', e));
  } catch {
    return [];
  }
}

function fsUuid(device: string): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('blkid', ['-p', '-o', 'value', '-s', 'UUID', device], { encoding: 'utf8' }, (err, out) => done(err ? undefined : out.trim() || undefined));
  });
}

/** Makes the links for the partitions of `loopDevices`, removes the others; returns how many exist. */
export async function refreshUuidLinks(devroot: string, loopDevices: readonly string[]): Promise<number> {
  const dir = uuidDir(devroot);
  await mkdir(dir, { recursive: true });
  const physical = realpathSync(dir);
  const wanted = new Map<string, string>();
  for (const loop of loopDevices) {
    for (const part of partitionsOf(loop)) {
      const uuid = await fsUuid(part);
      if (uuid && /^[A-Za-z0-9-]+$/.test(uuid)) wanted.set(uuid, part);
    }
  }
  for (const name of readdirSync(dir)) {
    if (!wanted.has(name)) await unlink(join(dir, name)).catch(() => undefined);
  }
  for (const [uuid, part] of wanted) {
    const link = join(dir, uuid);
    const temp = tempPathFor(link);
    await symlink(relativeTarget(physical, part), temp);
    await rename(temp, link).catch(async (e: unknown) => {
      await rm(temp, { force: true });
      throw e;
    });
  }
  return wanted.size;
}

/** Removes the links that lead to a partition of `loopDevice` (on detach). */
export async function removeUuidLinksOf(devroot: string, loopDevice: string): Promise<void> {
  const dir = uuidDir(devroot);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const prefix = `${basename(loopDevice)}p`;
  for (const name of names) {
    let target: string;
    try {
      target = readlinkSync(join(dir, name));
    } catch {
      continue;
    }
    if (basename(resolve(dir, target)).startsWith(prefix)) await unlink(join(dir, name)).catch(() => undefined);
  }
}

export interface UuidLinkService {
  stop(): Promise<void>;
}

/** Listens for rescan requests; `attached` lists the loop devices of the attached disks. */
export async function startUuidLinkService(devroot: string, attached: () => Promise<string[]>): Promise<UuidLinkService> {
  const path = join(devroot, RESCAN_SOCKET);
  await mkdir(dirname(path), { recursive: true });
  await rm(path, { force: true });
  // One request at a time: two builds rescanning at once must not race on the same links.
  let queue: Promise<unknown> = Promise.resolve();
  const server: Server = createServer((conn) => {
    let request = '';
    conn.setEncoding('utf8');
    conn.on('data', (s: string) => {
      request += s;
      if (!request.includes('\n')) return;
      const work = queue.then(async () => refreshUuidLinks(devroot, await attached()));
      queue = work.catch(() => undefined);
      work.then((n) => conn.end(`ok ${n} by-uuid link(s)\n`), (e: Error) => conn.end(`error ${e.message}\n`));
    });
    conn.on('error', () => undefined);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(path, () => done());
  });
  return {
    async stop() {
      await new Promise<void>((done) => server.close(() => done()));
      await rm(path, { force: true });
      await rm(uuidDir(devroot), { recursive: true, force: true });
    },
  };
}
