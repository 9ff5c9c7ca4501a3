// Loop devices through losetup: attach a blob with partition scanning, detach, and list which
// files back which loop devices (used to recover after a crash).

import { runArgv } from '../../host/exec.js';

/** Attaches `file` to the first free loop device with partition scanning; returns e.g. /dev/loop3. */
export async function attachLoop(file: string): Promise<string> {
  const { stdout } = await runArgv(['losetup', '--find', '--show', '--partscan', file]);
  const device = stdout.trim();
  if (!device.startsWith('/dev/loop')) throw new Error(`losetup printed an unexpected device name "${device}" for ${file}`);
  // Some kernels (seen on 6.18) set the partscan flag but create no partition nodes; on Azure the
  // partitions of an attached disk always appear. `partx --add` makes them appear here too; it
  // fails harmlessly on a disk without a partition table (a new, empty disk).
  await runArgv(['partx', '--add', device], { validExitCodes: [0, 1] }).catch(() => undefined);
  return device;
}

/** Detaches `device`; a device that is already gone is not an error. */
export async function detachLoop(device: string): Promise<void> {
  // Exit status 1 with "No such device (or address)" means it is already free.
  const result = await runArgv(['losetup', '--detach', device], { validExitCodes: [0, 1] });
  if (result.exitCode !== 0 && !/no such device|not a block device|no such file/i.test(result.stderr)) {
    await runArgv(['losetup', '--detach', device]);
  }
}

/** Every loop device with its backing file path (as the kernel reports it). */
export async function listLoops(): Promise<Array<{ device: string; backingFile: string }>> {
  const { stdout } = await runArgv(['losetup', '--list', '--noheadings', '--raw', '--output', 'NAME,BACK-FILE']);
  const loops: Array<{ device: string; backingFile: string }> = [];
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    // --raw escapes unsafe characters as \xHH.
    const backingFile = line.slice(space + 1).replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    loops.push({ device: line.slice(0, space), backingFile: backingFile.replace(/ \(deleted\)$/, '') });
  }
  return loops;
}
