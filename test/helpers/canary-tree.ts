// A canary tree on the host: files a hostile image tries to reach through symlinks. Its digest
// (names, types, modes, link targets and contents) must be the same before and after a build.

import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CanaryTree {
  /** Host directory holding secret.txt, etc/, empty/. */
  readonly dir: string;
  digest(): Promise<string>;
  remove(): Promise<void>;
}

/** Creates the canary tree under the temp directory. */
export async function makeCanaryTree(): Promise<CanaryTree> {
  const dir = await mkdtemp(join(tmpdir(), `azchroot-canary-${process.pid}-`));
  await writeFile(join(dir, 'secret.txt'), 'host secret: the image must never read or change this\n', { mode: 0o600 });
  await mkdir(join(dir, 'etc'));
  await writeFile(join(dir, 'etc', 'resolv.conf'), 'nameserver 192.0.2.53\n');
  await mkdir(join(dir, 'empty'));
  return { dir, digest: () => digestTree(dir), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A digest of everything under `dir`. */
export async function digestTree(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (path: string, rel: string): Promise<void> => {
    const st = await lstat(path);
    hash.update(`${rel}\0${st.mode}\0${st.uid}\0`);
    if (st.isSymbolicLink()) hash.update(await readlink(path));
    else if (st.isFile()) hash.update(await readFile(path));
    else if (st.isDirectory()) for (const name of (await readdir(path)).sort()) await walk(join(path, name), `${rel}/${name}`);
    hash.update('\n');
  };
  await walk(dir, '.');
  return hash.digest('hex');
}
