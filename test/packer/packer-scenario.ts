// Debian's Packer 1.6.6 (`azure-chroot`, from_scratch) against the emulator, inside a sandbox: the
// pieces shared by the Packer end-to-end test and bench/packer-emulator. Importing this module
// does nothing by itself.

import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import type { Endpoints, EmulatorOptions } from '../../src/emulator/api.js';
import type { EmulatorTuning } from '../../src/emulator/defaults.js';
import { layout, type StoredResource } from '../../src/emulator/state-layout.js';
import { stopProcess, type Sandbox } from '../helpers/netns.js';

export const PACKER = '/usr/bin/packer';
export const GALLERY = 'gal1';
export const IMAGE_DEFINITION = 'def1';
export const IMAGE_VERSION = '1.0.0';
export const IMAGE_NAME = 'img1';

const CHILD = fileURLToPath(new URL('../helpers/emulator-child.js', import.meta.url));
export const EMULATOR_INDEX = fileURLToPath(new URL('../../src/emulator/index.js', import.meta.url));

export interface SandboxedEmulator {
  endpoints: Endpoints;
  child: ChildProcess;
  /** Stops the emulator (it detaches its disks) and waits for the process to exit. */
  stop(): Promise<void>;
  /** What the emulator printed on stderr so far (for failure messages). */
  stderr(): string;
}

/** Starts the emulator inside `sandbox` on :443 and :80 with devroot /dev, as Packer expects. */
export async function startSandboxedEmulator(sandbox: Sandbox, stateDir: string, extra: Partial<EmulatorOptions & EmulatorTuning> = {}): Promise<SandboxedEmulator> {
  const options: EmulatorOptions & EmulatorTuning = { stateDir, armListen: '0.0.0.0:443', imdsListen: '0.0.0.0:80', devroot: '/dev', latency: 'instant', quiet: true, ...extra };
  const child = sandbox.spawn([process.execPath, CHILD], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, AZC_EMULATOR_CHILD_OPTIONS: JSON.stringify(options) },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const stop = async (): Promise<void> => {
    child.stdin?.end();
    await stopProcess(child, 30_000);
  };
  try {
    const endpoints = await new Promise<Endpoints>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (line.startsWith('READY ')) resolve(JSON.parse(line.slice(6)) as Endpoints);
      });
      child.once('exit', (code) => reject(new Error(`the emulator exited with ${code} before it was ready: ${stderr.trim()}`)));
      setTimeout(() => reject(new Error(`the emulator was not ready after 60 s: ${stderr.trim()}`)), 60_000).unref();
    });
    return { endpoints, child, stop, stderr: () => stderr };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** Calls the emulator's ARM API from inside the sandbox with curl, authenticated with an IMDS token. */
export async function armRequest(sandbox: Sandbox, endpoints: Endpoints, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const token = await sandbox.run(['curl', '-sS', '-H', 'Metadata: true',
    'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F']);
  const accessToken = (JSON.parse(token.stdout || '{}') as { access_token?: string }).access_token;
  if (!accessToken) throw new Error(`no IMDS token inside the sandbox: ${token.stdout}${token.stderr}`);
  const args = ['curl', '-sS', '--cacert', endpoints.caCertPath, '-X', method, '-H', `Authorization: Bearer ${accessToken}`, '-w', '\n%{http_code}'];
  if (body !== undefined) args.push('-H', 'Content-Type: application/json', '--data', JSON.stringify(body));
  const res = await sandbox.run([...args, `https://management.azure.com${path}?api-version=2019-12-01`]);
  const cut = res.stdout.lastIndexOf('\n');
  const status = Number(res.stdout.slice(cut + 1));
  const text = res.stdout.slice(0, cut).trim();
  return { status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The resource id prefix of the emulator's resource group. */
export function groupPrefix(endpoints: Endpoints): string {
  return `/subscriptions/${endpoints.subscriptionId}/resourceGroups/${endpoints.resourceGroup}/providers/Microsoft.Compute`;
}

/** Creates the gallery and image definition the build publishes into, through the ARM API. */
export async function createGallery(sandbox: Sandbox, endpoints: Endpoints): Promise<void> {
  const gallery = `${groupPrefix(endpoints)}/galleries/${GALLERY}`;
  const definition = `${gallery}/images/${IMAGE_DEFINITION}`;
  const puts: Array<[string, unknown]> = [
    [gallery, { location: endpoints.location, properties: {} }],
    [definition, { location: endpoints.location, properties: { osType: 'Linux', osState: 'Generalized', hyperVGeneration: 'V1', identifier: { publisher: 'azchroot', offer: 'tests', sku: IMAGE_DEFINITION } } }],
  ];
  for (const [id, body] of puts) {
    const put = await armRequest(sandbox, endpoints, 'PUT', id, body);
    if (put.status >= 300) throw new Error(`PUT ${id} answered ${put.status}: ${JSON.stringify(put.json)}`);
    for (let i = 0; ; i++) {
      const get = await armRequest(sandbox, endpoints, 'GET', id);
      const state = (get.json.properties as Record<string, unknown> | undefined)?.provisioningState;
      if (state === 'Succeeded') break;
      if (i >= 100) throw new Error(`${id} is still ${String(state)} (status ${get.status})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface TemplateNames {
  imageName?: string;
  imageVersion?: string;
  file?: string;
  /** Mount directory below `dir` (default `mnt`). */
  mountDir?: string;
  /** More root keys: provisioners, post-processors, error-cleanup-provisioner. */
  extra?: Record<string, unknown>;
}

/** Writes the from_scratch template (emulator.md §7) to `<dir>/template.json` (or `names.file`); returns its path. */
export async function writeTemplate(dir: string, endpoints: Endpoints, names: TemplateNames = {}): Promise<string> {
  const template = {
    builders: [{
      type: 'azure-chroot',
      from_scratch: true,
      os_disk_size_gb: 1,
      os_disk_storage_account_type: 'Standard_LRS',
      pre_mount_commands: ["printf 'label: dos\\n,,L\\n' | sfdisk -q {{.Device}}", 'partx -u {{.Device}} || true', 'mkfs.ext4 -q -F {{.Device}}p1'],
      mount_partition: 'p1',
      mount_path: `${dir}/${names.mountDir ?? 'mnt'}/{{.Device}}`,
      chroot_mounts: [['proc', 'proc', '/proc']],
      image_resource_id: `${groupPrefix(endpoints)}/images/${names.imageName ?? IMAGE_NAME}`,
      shared_image_destination: {
        resource_group: endpoints.resourceGroup,
        gallery_name: GALLERY,
        image_name: IMAGE_DEFINITION,
        image_version: names.imageVersion ?? IMAGE_VERSION,
        target_regions: [{ name: endpoints.location, replicas: 1, storage_account_type: 'Standard_LRS' }],
      },
    }],
    ...names.extra,
  };
  await mkdir(`${dir}/${names.mountDir ?? 'mnt'}`, { recursive: true });
  const path = `${dir}/${names.file ?? 'template.json'}`;
  await writeFile(path, JSON.stringify(template, null, 2));
  return path;
}

/** Runs `packer build` inside the sandbox with a clean environment; returns exit code, output and wall time. */
export async function runPacker(sandbox: Sandbox, dir: string, templatePath: string, endpoints: Endpoints): Promise<{ code: number | null; output: string; wallMs: number }> {
  const started = process.hrtime.bigint();
  const res = await sandbox.run(['env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `HOME=${dir}`,
    'CHECKPOINT_DISABLE=1', `SSL_CERT_FILE=${endpoints.caCertPath}`, PACKER, 'build', '-color=false', templatePath], { cwd: dir, timeoutMs: 600_000 });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  return { code: res.code, output: res.stdout + res.stderr, wallMs };
}

/** Every stored resource of the state directory, by lower-case ARM type. */
export async function resourcesByType(stateDir: string): Promise<Map<string, StoredResource[]>> {
  const byType = new Map<string, StoredResource[]>();
  const names = await readdir(layout.resourcesDir(stateDir)).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.json'))) {
    const r = JSON.parse(await readFile(`${layout.resourcesDir(stateDir)}/${name}`, 'utf8')) as StoredResource;
    const list = byType.get(r.type.toLowerCase()) ?? [];
    list.push(r);
    byType.set(r.type.toLowerCase(), list);
  }
  return byType;
}
