// Writing the templates end-to-end tests build: files in the test directory, and the builder
// settings every test wants (a private mount path, so tests never share /mnt/packer-azure-chroot-disks).

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { E2eEnv, TestDir } from './harness.js';

/** Writes `text` to `<td.dir>/<name>` and returns the path. */
export async function writeIn(td: TestDir, name: string, text: string, mode = 0o644): Promise<string> {
  const path = join(td.dir, name);
  await writeFile(path, text, { mode });
  return path;
}

/** HCL builder attribute lines shared by the tests: private mount path. */
export function hclCommon(td: TestDir): string {
  return `mount_path = "${td.mnt}/{{.Device}}"`;
}

/** The gallery destination block for the starter gallery. */
export function hclGallery(env: E2eEnv, definition: string, version: string): string {
  return [
    'shared_image_destination {',
    `  resource_group = "${env.endpoints.resourceGroup}"`,
    '  gallery_name   = "azchroot_gallery"',
    `  image_name     = "${definition}"`,
    `  image_version  = "${version}"`,
    '  target_regions {',
    `    name                 = "${env.endpoints.location}"`,
    '    replicas             = 1',
    '    storage_account_type = "Standard_LRS"',
    '  }',
    '}',
  ].join('\n');
}

/** A whole HCL template: one source `name` with `builder` lines and a build with `body` (provisioners...). */
export function hclTemplate(name: string, builder: string, body = ''): string {
  return `source "azure-chroot" "${name}" {\n${builder}\n}\n\nbuild {\n  sources = ["source.azure-chroot.${name}"]\n${body}\n}\n`;
}

/** The gallery destination object of a JSON template. */
export function jsonGallery(env: E2eEnv, definition: string, version: string): Record<string, unknown> {
  return {
    resource_group: env.endpoints.resourceGroup,
    gallery_name: 'azchroot_gallery',
    image_name: definition,
    image_version: version,
    target_regions: [{ name: env.endpoints.location, replicas: 1, storage_account_type: 'Standard_LRS' }],
  };
}

/** Reads a Packer manifest written by the manifest post-processor. */
export async function readManifest(path: string): Promise<{ builds: { name: string; artifact_id: string; custom_data: Record<string, string> | null }[] }> {
  return JSON.parse(await readFile(path, 'utf8')) as { builds: { name: string; artifact_id: string; custom_data: Record<string, string> | null }[] };
}

let versionCounter = 0;

/** A gallery version number not used before in this process. */
export function nextVersion(): string {
  versionCounter += 1;
  return `1.0.${versionCounter}`;
}
