// `azchroot boot-test FILE|RESOURCE_ID`: boots a disk image file, or the data of an emulator
// resource (disk, snapshot, image, gallery image version), under QEMU as the builder's boot_test
// does, without writing to it. Exit 0 when it boots, 1 when it does not.

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { bootDisk } from '../../boot/boot-disk.js';
import { firmwareForGeneration, resolveBootOptions } from '../../config/boot-options.js';
import type { Firmware } from '../../config/model.js';
import { AzchrootError, UsageError } from '../../errors.js';
import { layout, type StoredResource } from '../../emulator/state-layout.js';
import { DEFAULT_EMULATOR_STATE } from './build.js';

export interface BootTestFlags {
  emulator?: string | boolean;
  timeout?: string;
  expect?: string;
  firmware?: string;
  accel?: string;
  memory?: string;
  log?: string;
}

interface Target {
  disk: string;
  /** Base of the log file name. */
  name: string;
  generation?: string;
}

/** Runs the boot test; returns the exit code. */
export async function bootTestCommand(subject: string, flags: BootTestFlags, out: (text: string) => void = (t) => void process.stdout.write(t)): Promise<number> {
  const settings = resolveBootOptions({ timeout: flags.timeout, expect: flags.expect, firmware: flags.firmware, accel: flags.accel, memory: flags.memory });
  if (Array.isArray(settings)) {
    const [first] = settings;
    throw new UsageError(settings.map((p) => `--${p.message}`).join('\n'), { hint: first?.hint });
  }
  const target = flags.emulator !== undefined && flags.emulator !== false
    ? await emulatorTarget(subject, flags.emulator === true || flags.emulator === '' ? DEFAULT_EMULATOR_STATE : flags.emulator)
    : fileTarget(subject);
  const firmware: Firmware = settings.firmware ?? firmwareForGeneration(target.generation);
  const logPath = resolve(flags.log ?? join(process.cwd(), `${target.name}.boot.log`));
  const result = await bootDisk({ disk: target.disk, firmware, config: settings, logPath, say: (m) => out(`${m}\n`) });
  if (result.ok) {
    out(`boots: ${JSON.stringify(result.detail.trim())} after ${(result.ms / 1000).toFixed(1)} s (${result.accel.accel}); console: ${logPath}\n`);
    return 0;
  }
  out(`does not boot: ${result.detail} after ${(result.ms / 1000).toFixed(1)} s (${result.accel.accel}); console: ${logPath}\nlast console lines:\n${result.tail.map((l) => `  | ${l}\n`).join('')}`);
  return 1;
}

function fileTarget(file: string): Target {
  if (file.startsWith('/subscriptions/')) {
    throw new UsageError(`${file} looks like a resource id`, { hint: 'add --emulator[=DIR] to boot an emulator resource, or give a disk image file' });
  }
  if (!existsSync(file) || !(statSync(file).isFile() || statSync(file).isBlockDevice())) {
    throw new UsageError(`no disk image file ${file}`, { hint: 'give a raw or fixed-VHD disk image (azchroot emulator export writes one), or a resource id with --emulator' });
  }
  return { disk: resolve(file), name: basename(file).replace(/\.(raw|img|vhd)$/i, '') };
}

async function emulatorTarget(id: string, state: string): Promise<Target> {
  const resource = await readResource(state, id);
  if (!resource) {
    throw new AzchrootError('AZC_EMULATOR_NOT_FOUND', `no resource with id ${id} in emulator state ${state}`, 'user', {
      hint: 'give the id of a disk, snapshot, image or gallery image version (ids are case-insensitive)',
    });
  }
  if (!resource.blobId) {
    throw new AzchrootError('AZC_EMULATOR_NO_DATA', `resource ${resource.id} (${resource.type}) has no disk data to boot`, 'user', { hint: 'give a disk, snapshot, image or gallery image version' });
  }
  let generation = (resource.body.properties as { hyperVGeneration?: string } | undefined)?.hyperVGeneration;
  // A gallery version's generation is its image definition's.
  const definition = /^(.*\/galleries\/[^/]+\/images\/[^/]+)\/versions\/[^/]+$/i.exec(resource.id)?.[1];
  if (!generation && definition) generation = ((await readResource(state, definition))?.body.properties as { hyperVGeneration?: string } | undefined)?.hyperVGeneration;
  return { disk: layout.blob(state, resource.blobId), name: String(resource.body.name ?? basename(resource.id)), generation };
}

async function readResource(state: string, id: string): Promise<StoredResource | undefined> {
  try {
    return JSON.parse(await readFile(layout.resource(state, id), 'utf8')) as StoredResource;
  } catch {
    return undefined;
  }
}
