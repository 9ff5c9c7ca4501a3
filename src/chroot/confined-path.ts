// Paths inside the mounted image, resolved the way the image itself sees them. The image is not
// trusted: a symlink in it such as `/opt/x -> /root` must mean the image's /root, never the host's.
//
// Resolution walks the path one component at a time with lstat, rooted at the mount: an absolute
// symlink target restarts at the mount root, `..` stops at the root, at most MAX_SYMLINKS links are
// followed. The file system is then reached through directory descriptors opened with O_NOFOLLOW
// one component at a time (`/proc/self/fd/N/name` is openat(N, name) for Node), so that a link
// swapped in between resolution and use makes the operation fail instead of leaving the mount.
// Devices, FIFOs and sockets are refused. azchroot's own code does every copy: the image's
// binaries are never run for it.

import { constants as C, type Stats } from 'node:fs';
import { lstat, mkdir, open, readlink, rename, symlink, unlink, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import { AzchrootError } from '../errors.js';

/** Symlinks followed in one resolution before giving up (Linux's limit). */
export const MAX_SYMLINKS = 40;

/** An image root: the mount path, and image paths that are host file systems mounted into it (refused). */
export interface ImageRoot {
  /** Host path of the mounted image root. */
  readonly hostRoot: string;
  /** Image paths such as /proc, /sys, /dev: host file systems bind-mounted for the chroot. */
  readonly hostMounts?: readonly string[];
}

/** A path resolved inside the image: its canonical image path and what is there (lstat). */
export interface ResolvedPath {
  /** Canonical components, from the image root. */
  readonly parts: readonly string[];
  /** The canonical image path (`/etc/resolv.conf`). */
  readonly imagePath: string;
  /** The host path of that location (for messages and the journal; never opened by name). */
  readonly hostPath: string;
  /** lstat of the final component; undefined when nothing is there. */
  readonly stat?: Stats;
}

/** A path inside the image that azchroot refuses to use, or cannot. Names the image path. */
export class ConfinedPathError extends AzchrootError {
  constructor(imagePath: string, what: string, hint?: string, cause?: unknown) {
    super('AZC_IMAGE_PATH', `${JSON.stringify(imagePath)} in the image: ${what}`, 'user', {
      hint: hint ?? 'fix the path in the template, or the image; azchroot never follows a path out of the mounted image',
      cause,
    });
  }
}

const fdPath = (fd: number, name: string): string => `/proc/self/fd/${fd}/${name}`;
const DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;

function split(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

function toImagePath(parts: readonly string[]): string {
  return '/' + parts.join('/');
}

function kindOf(st: Stats): string | undefined {
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return undefined;
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Resolves `path` (an image path; relative means from the image root) inside `root`.
 * `followFinal` false leaves a symlink at the last component as it is (for rm, mv, lstat).
 */
export async function resolveInImage(root: ImageRoot, path: string, o: { followFinal?: boolean } = {}): Promise<ResolvedPath> {
  const followFinal = o.followFinal ?? true;
  let parts: string[] = [];
  const queue = split(path);
  let links = 0;
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (c === '..') {
      parts.pop();
      continue;
    }
    const candidate = [...parts, c];
    // Never look inside a host file system mounted into the chroot (/proc/1/root is the host's root).
    checkHostMount(root, path, candidate);
    const st = await lstatOrUndefined(posix.join(root.hostRoot, ...candidate)).catch((err: unknown) => {
      throw new ConfinedPathError(path, `cannot look up ${toImagePath(candidate)}: ${(err as Error).message}`, undefined, err);
    });
    if (!st) {
      // Nothing there: the rest is created (or reported missing) by the caller; `..` past it cannot resolve.
      if (queue.includes('..')) throw new ConfinedPathError(path, `${toImagePath(candidate)} does not exist`);
      parts = [...candidate, ...queue];
      checkHostMount(root, path, parts);
      return result(root, parts, undefined);
    }
    const last = queue.length === 0;
    if (st.isSymbolicLink() && (!last || followFinal)) {
      links += 1;
      if (links > MAX_SYMLINKS) {
        throw new ConfinedPathError(path, `too many levels of symbolic links (more than ${MAX_SYMLINKS}, ELOOP)`, 'the image has a symlink loop on this path');
      }
      const target = await readlink(posix.join(root.hostRoot, ...candidate));
      if (target.startsWith('/')) parts = [];
      queue.unshift(...split(target));
      continue;
    }
    if (!last && !st.isDirectory()) throw new ConfinedPathError(path, `${toImagePath(candidate)} is not a directory (ENOTDIR)`);
    parts = candidate;
  }
  checkHostMount(root, path, parts);
  const st = parts.length === 0 ? await lstat(root.hostRoot) : await lstatOrUndefined(posix.join(root.hostRoot, ...parts));
  return result(root, parts, st);
}

function result(root: ImageRoot, parts: string[], stat: Stats | undefined): ResolvedPath {
  return { parts, imagePath: toImagePath(parts), hostPath: posix.join(root.hostRoot, ...parts), stat };
}

function checkHostMount(root: ImageRoot, path: string, parts: readonly string[]): void {
  const canonical = toImagePath(parts);
  for (const m of root.hostMounts ?? []) {
    const mp = toImagePath(split(m));
    if (mp === '/') continue;
    if (canonical === mp || canonical.startsWith(mp + '/')) {
      throw new ConfinedPathError(path, `resolves to ${canonical}, under ${mp}, a host file system mounted into the chroot`, 'azchroot only reads and writes the image\'s own files; choose a path outside the chroot mounts');
    }
  }
}

/** Opens the directory at `parts` through O_NOFOLLOW opens from the root; `create` makes missing ones (mode). */
async function openDir(root: ImageRoot, path: string, parts: readonly string[], create?: number): Promise<FileHandle> {
  let fh = await open(root.hostRoot, C.O_RDONLY | C.O_DIRECTORY);
  try {
    for (const [i, name] of parts.entries()) {
      const at = fdPath(fh.fd, name);
      let next: FileHandle;
      try {
        next = await open(at, DIR_FLAGS);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' && create !== undefined) {
          await mkdir(at, { mode: create }).catch((e: NodeJS.ErrnoException) => {
            if (e.code !== 'EEXIST') throw e;
          });
          next = await open(at, DIR_FLAGS).catch((e: unknown) => raced(path, parts.slice(0, i + 1), e));
        } else if (code === 'ENOENT') {
          throw new ConfinedPathError(path, `directory ${toImagePath(parts.slice(0, i + 1))} does not exist`, 'create the directory first (for example with a shell provisioner), or fix the destination');
        } else {
          raced(path, parts.slice(0, i + 1), err);
        }
      }
      await fh.close();
      fh = next;
    }
    return fh;
  } catch (err) {
    await fh.close().catch(() => undefined);
    throw err;
  }
}

function raced(path: string, parts: readonly string[], err: unknown): never {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP' || code === 'ENOTDIR') {
    throw new ConfinedPathError(path, `${toImagePath(parts)} is not a directory, or became a symlink while azchroot was using it`, undefined, err);
  }
  throw new ConfinedPathError(path, `cannot open ${toImagePath(parts)}: ${(err as Error).message}`, undefined, err);
}

function refuseSpecial(path: string, r: ResolvedPath): void {
  const kind = r.stat && kindOf(r.stat);
  if (kind) throw new ConfinedPathError(path, `${r.imagePath} is ${kind}; azchroot only reads and writes regular files there`, 'remove the special file from the image, or choose another path');
}

/** lstat of `path` after resolution (symlinks followed inside the image unless `followFinal` is false). */
export async function statInImage(root: ImageRoot, path: string, o: { followFinal?: boolean } = {}): Promise<ResolvedPath> {
  return resolveInImage(root, path, o);
}

/** Opens the regular file at `path` for reading; refuses directories and special files. */
export async function openImageFileForRead(root: ImageRoot, path: string): Promise<FileHandle> {
  const r = await resolveInImage(root, path);
  if (!r.stat) throw new ConfinedPathError(path, `${r.imagePath} does not exist`, 'check that the file exists in the image');
  refuseSpecial(path, r);
  if (r.stat.isDirectory()) throw new ConfinedPathError(path, `${r.imagePath} is a directory, not a file`);
  const dir = await openDir(root, path, r.parts.slice(0, -1));
  try {
    const fh = await open(fdPath(dir.fd, r.parts[r.parts.length - 1]!), C.O_RDONLY | C.O_NOFOLLOW | C.O_NONBLOCK).catch((e: unknown) => raced(path, r.parts, e));
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      throw new ConfinedPathError(path, `${r.imagePath} is ${kindOf(st) ?? 'not a regular file'}; azchroot only reads regular files there`);
    }
    return fh;
  } finally {
    await dir.close();
  }
}

/** Reads a regular file of the image as text; undefined when it does not exist. At most `maxBytes`. */
export async function readImageText(root: ImageRoot, path: string, maxBytes = 1 << 20): Promise<string | undefined> {
  const r = await resolveInImage(root, path);
  if (!r.stat) return undefined;
  const fh = await openImageFileForRead(root, path);
  try {
    const buf = Buffer.alloc(Math.min(maxBytes, Math.max(0, (await fh.stat()).size)));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

export interface WriteOptions {
  /** Mode of a file that is created (the umask applies). */
  mode?: number;
  /** Fail when something is already there (like O_EXCL). */
  exclusive?: boolean;
  /** Follow a symlink at the final component inside the image (default true, like cp). */
  followFinal?: boolean;
}

/** Opens (creating or truncating) the regular file at `path` for writing; the parent directory must exist. */
export async function openImageFileForWrite(root: ImageRoot, path: string, o: WriteOptions = {}): Promise<{ handle: FileHandle; resolved: ResolvedPath }> {
  const r = await resolveInImage(root, path, { followFinal: o.followFinal });
  if (r.parts.length === 0) throw new ConfinedPathError(path, 'is the image root, not a file');
  if (r.stat) {
    if (o.exclusive) throw new ConfinedPathError(path, `${r.imagePath} already exists`);
    refuseSpecial(path, r);
    if (r.stat.isDirectory()) throw new ConfinedPathError(path, `${r.imagePath} is a directory`);
    if (r.stat.isSymbolicLink()) throw new ConfinedPathError(path, `${r.imagePath} is a symlink; azchroot does not write through it here`);
  }
  const dir = await openDir(root, path, r.parts.slice(0, -1));
  try {
    const flags = C.O_WRONLY | C.O_CREAT | C.O_NOFOLLOW | C.O_NONBLOCK | (o.exclusive ? C.O_EXCL : C.O_TRUNC);
    const handle = await open(fdPath(dir.fd, r.parts[r.parts.length - 1]!), flags, o.mode ?? 0o644).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new ConfinedPathError(path, `${r.imagePath} already exists`);
      return raced(path, r.parts, e);
    });
    const st = await handle.stat();
    if (!st.isFile()) {
      await handle.close();
      throw new ConfinedPathError(path, `${r.imagePath} is ${kindOf(st) ?? 'not a regular file'}; azchroot only writes regular files there`);
    }
    return { handle, resolved: r };
  } finally {
    await dir.close();
  }
}

/** Writes `data` to the file at `path` in the image (see openImageFileForWrite). */
export async function writeImageFile(root: ImageRoot, path: string, data: string | Uint8Array, o: WriteOptions = {}): Promise<ResolvedPath> {
  const { handle, resolved } = await openImageFileForWrite(root, path, o);
  try {
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
  return resolved;
}

/** Copies the host file `localFile` to `path` in the image (contents only, like cp; new files get its mode). */
export async function copyHostFileToImage(root: ImageRoot, localFile: string, path: string, o: WriteOptions = {}): Promise<ResolvedPath> {
  const src = await open(localFile, C.O_RDONLY | C.O_NONBLOCK);
  try {
    const st = await src.stat();
    if (!st.isFile()) throw new AzchrootError('AZC_PROVISIONER_FILE', `${localFile} is not a regular file`, 'user', { hint: 'copy regular files (or directories) only' });
    const { handle, resolved } = await openImageFileForWrite(root, path, { mode: st.mode & 0o777, ...o });
    try {
      await pump(src, handle);
    } finally {
      await handle.close();
    }
    return resolved;
  } finally {
    await src.close();
  }
}

/** Copies the regular file at `path` in the image to the host file `localFile` (created or truncated, mode 0644). */
export async function copyImageFileToHost(root: ImageRoot, path: string, localFile: string): Promise<void> {
  const src = await openImageFileForRead(root, path);
  try {
    const dst = await open(localFile, 'w', 0o644);
    try {
      await pump(src, dst);
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
  }
}

async function pump(from: FileHandle, to: FileHandle): Promise<void> {
  const buf = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    const { bytesRead } = await from.read(buf, 0, buf.length, null);
    if (bytesRead === 0) return;
    let off = 0;
    while (off < bytesRead) off += (await to.write(buf, off, bytesRead - off)).bytesWritten;
  }
}

/** `mkdir -p` inside the image: missing directories are created with `mode`; returns the resolved directory. */
export async function makeImageDirs(root: ImageRoot, path: string, mode = 0o755): Promise<ResolvedPath> {
  const r = await resolveInImage(root, path);
  if (r.stat && !r.stat.isDirectory()) throw new ConfinedPathError(path, `${r.imagePath} exists and is not a directory`);
  await (await openDir(root, path, r.parts, mode)).close();
  return r;
}

/** Creates a symlink `path` -> `target` in the image (the link text is not followed). */
export async function makeImageSymlink(root: ImageRoot, path: string, target: string): Promise<void> {
  const r = await resolveInImage(root, path, { followFinal: false });
  if (r.parts.length === 0) throw new ConfinedPathError(path, 'is the image root');
  const dir = await openDir(root, path, r.parts.slice(0, -1));
  try {
    await symlink(target, fdPath(dir.fd, r.parts[r.parts.length - 1]!)).catch((e: unknown) => raced(path, r.parts, e));
  } finally {
    await dir.close();
  }
}

/** `rm -f` of a non-directory inside the image; the final component is not followed. Returns whether something was removed. */
export async function removeImageFile(root: ImageRoot, path: string): Promise<boolean> {
  const r = await resolveInImage(root, path, { followFinal: false });
  if (!r.stat) return false;
  if (r.stat.isDirectory()) throw new ConfinedPathError(path, `${r.imagePath} is a directory; azchroot does not remove it`);
  const dir = await openDir(root, path, r.parts.slice(0, -1));
  try {
    await unlink(fdPath(dir.fd, r.parts[r.parts.length - 1]!)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') raced(path, r.parts, e);
    });
    return true;
  } finally {
    await dir.close();
  }
}

/** `mv -f from to` inside the image; neither final component is followed. */
export async function renameInImage(root: ImageRoot, from: string, to: string): Promise<void> {
  const a = await resolveInImage(root, from, { followFinal: false });
  const b = await resolveInImage(root, to, { followFinal: false });
  if (a.parts.length === 0 || b.parts.length === 0) throw new ConfinedPathError(a.parts.length === 0 ? from : to, 'is the image root');
  if (!a.stat) throw new ConfinedPathError(from, `${a.imagePath} does not exist`);
  const da = await openDir(root, from, a.parts.slice(0, -1));
  try {
    const db = await openDir(root, to, b.parts.slice(0, -1));
    try {
      await rename(fdPath(da.fd, a.parts[a.parts.length - 1]!), fdPath(db.fd, b.parts[b.parts.length - 1]!)).catch((e: unknown) => raced(from, a.parts, e));
    } finally {
      await db.close();
    }
  } finally {
    await da.close();
  }
}

/** The image path of a host path under `hostRoot` (for records that kept host paths). */
export function imagePathOf(root: ImageRoot, hostPath: string): string {
  const rel = posix.relative(root.hostRoot, hostPath);
  if (rel.startsWith('..') || posix.isAbsolute(rel)) throw new ConfinedPathError(hostPath, `${hostPath} is not under the mount ${root.hostRoot}`);
  return '/' + rel;
}
