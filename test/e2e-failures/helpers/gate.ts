// A gate inside a provisioner: the build stops at a known point (the provisioner touches
// /tmp/gate-ready in the image and waits for /tmp/gate-go), so a test can act there (add a fault,
// send a signal, kill the process) without racing the build.

import { access, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from './host.js';

/** Shell lines for a provisioner that waits at the gate (forever, when `open` is false: until killed). */
export function gateLines(open = true): string[] {
  return open
    ? ['touch /tmp/gate-ready', 'while [ ! -e /tmp/gate-go ]; do sleep 0.1; done', 'rm -f /tmp/gate-go /tmp/gate-ready']
    : ['echo provisioning started', 'touch /tmp/gate-ready', 'sleep 60', 'echo slept through'];
}

/** Waits until a build under `mountRoot` is at its gate; returns the image's root directory. */
export async function atGate(mountRoot: string, timeoutMs = 90_000): Promise<string> {
  return waitFor('the provisioner to reach its gate', async () => {
    for (const name of await readdir(mountRoot).catch(() => [] as string[])) {
      const root = join(mountRoot, name);
      const ready = await access(join(root, 'tmp/gate-ready')).then(() => true, () => false);
      if (ready) return root;
    }
    return undefined;
  }, timeoutMs);
}

/** Lets the waiting provisioner in `root` go on. */
export async function openGate(root: string): Promise<void> {
  await writeFile(join(root, 'tmp/gate-go'), '');
}
