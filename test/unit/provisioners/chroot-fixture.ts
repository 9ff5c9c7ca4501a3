// Test fixture: a minimal busybox root to chroot into, plus config factories with Packer's defaults.

import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProvisionerRunner } from '../../../src/provisioners/run-provisioners.js';
import { defaultChrootMounts } from '../../../src/config/defaults.js';
import { MemoryReporter } from '../../../src/report/reporter.js';
import type { BuildConfig, FileProvisioner, ProvisionerConfig, ShellLocalProvisioner, ShellProvisioner, TemplateRuntime } from '../../../src/config/model.js';

const APPLETS = ['sh', 'cat', 'echo', 'rm', 'chmod', 'env', 'sleep', 'ls', 'printf', 'mkdir', 'pwd', 'id'];

/** Creates a directory holding /bin/busybox and applet links, /tmp and /etc; returns its path. */
export async function makeBusyboxRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'azchroot-test-root-'));
  await mkdir(join(root, 'bin'));
  await mkdir(join(root, 'tmp'), { mode: 0o1777 });
  await mkdir(join(root, 'etc'));
  await copyFile('/bin/busybox', join(root, 'bin/busybox'));
  for (const a of APPLETS) await symlink('busybox', join(root, 'bin', a));
  return root;
}

/** Removes a directory tree made by a test. */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

export const runtime: TemplateRuntime = {
  kind: 'hcl2',
  userVars: {},
  templateDir: '/nonexistent',
  startTime: 1795300773,
  runUuid: 'dea2429d-f459-b52f-8e9c-b607e53b6578',
  buildName: 'example',
  buildType: 'azure-chroot',
};

/** A BuildConfig with only what provisioners and post-processors read. */
export function buildWith(provisioners: ProvisionerConfig[], secrets: string[] = []): BuildConfig {
  return {
    name: 'azure-chroot.example',
    sourceType: 'azure-chroot',
    sourceName: 'example',
    sourceLabel: 'example',
    builder: { chrootMounts: defaultChrootMounts() } as unknown as BuildConfig['builder'],
    provisioners,
    postProcessors: [],
    secrets,
    templateContext: runtime,
  };
}

/** A shell provisioner with Packer's defaults, overridden by `o`. */
export function shell(o: Partial<ShellProvisioner>): ShellProvisioner {
  return {
    type: 'shell',
    maxRetries: 0,
    inlineShebang: '/bin/sh -e',
    environmentVars: [],
    env: {},
    envVarFormat: "%s='%s' ",
    useEnvVarFile: false,
    executeCommand: 'chmod +x {{.Path}}; {{.Vars}} {{.Path}}',
    remoteFolder: '/tmp',
    remoteFile: '',
    remotePath: '',
    skipClean: false,
    expectDisconnect: false,
    validExitCodes: [0],
    binary: false,
    ...o,
  };
}

/** A file provisioner (upload) overridden by `o`. */
export function file(o: Partial<FileProvisioner>): FileProvisioner {
  return { type: 'file', maxRetries: 0, sources: [], destination: '', direction: 'upload', generated: false, ...o };
}

/** A shell-local provisioner with Packer's defaults, overridden by `o`. */
export function shellLocal(o: Partial<ShellLocalProvisioner>): ShellLocalProvisioner {
  return {
    type: 'shell-local',
    maxRetries: 0,
    inlineShebang: '/bin/sh -e',
    environmentVars: [],
    env: {},
    envVarFormat: "%s='%s' ",
    executeCommand: ['/bin/sh', '-c', '{{.Vars}} {{.Script}}'],
    validExitCodes: [0],
    ...o,
  };
}

/** A VmLookup answering fixed values. */
export const vm = (key: string): string => ({ name: 'builder-vm', subscription_id: 'sub-1', resource_group: 'rg-1' })[key] ?? '';

export interface RunResult { reporter: MemoryReporter; error?: unknown; root: string }

/** Runs `provisioners` in a fresh busybox chroot; `inspect` sees the root before it is removed. */
export async function run(
  provisioners: ProvisionerConfig[],
  o: { secrets?: string[]; signal?: AbortSignal; wrap?: (c: string) => string; inspect?: (root: string) => Promise<void> } = {},
): Promise<RunResult> {
  const root = await makeBusyboxRoot();
  const reporter = new MemoryReporter();
  try {
    const runner = createProvisionerRunner(buildWith(provisioners, o.secrets), { reporter, vm, retryDelayMs: 0 });
    let error: unknown;
    try {
      await runner({ mountPath: root, device: '/dev/loop42', buildData: { ID: 'build-id' }, signal: o.signal ?? new AbortController().signal, wrapCommand: o.wrap ?? ((c) => c) });
    } catch (err) {
      error = err;
    }
    await o.inspect?.(root);
    return { reporter, error, root };
  } finally {
    await removeTree(root);
  }
}

export const outputOf = (r: MemoryReporter, step = 'shell'): string[] => r.lines.filter((l) => l.level === 'output' && l.step === step).map((l) => l.message);
export const messages = (r: MemoryReporter): string[] => r.lines.filter((l) => l.level !== 'output').map((l) => l.message);
