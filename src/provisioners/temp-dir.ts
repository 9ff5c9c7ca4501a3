// Host temp directories of the provisioners (inline scripts, uploads). Named with the build
// process's pid, so that `azchroot cleanup` can remove those of a build that was killed before its
// own cleanup ran.

import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'azchroot-';

/** A new private temp directory for `purpose` (shell, shell-local, file) of this process. */
export function makeProvisionerTempDir(purpose: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `${PREFIX}${purpose}-${process.pid}-`));
}

/** Whether `name` (an entry of the temp directory) belongs to process `pid`. */
export function isProvisionerTempDirOf(name: string, pid: number): boolean {
  return name.startsWith(PREFIX) && new RegExp(`^${PREFIX}[a-z-]+-${pid}-[A-Za-z0-9]+$`).test(name);
}
