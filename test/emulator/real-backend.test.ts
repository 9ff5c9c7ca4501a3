// Integration with the real disk backend (sparse files, loop devices): needs root and losetup.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { execa } from 'execa';
import { ComputeManagementClient } from '@azure/arm-compute';
import { startEmulator } from '../../src/emulator/index.js';
import { imdsCredential } from './helpers/harness.js';

const FAST = { updateIntervalInMs: 10 };
const REPO = new URL('../../../', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;

test('real backend: attach a disk, mkfs and mount it, snapshot a copy, the copy has the data', { skip: !isRoot && 'needs root for loop devices' }, async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'azemu-real-'));
  const mnt = join(stateDir, 'mnt');
  mkdirSync(mnt);
  let mounted = false;
  const emu = await startEmulator({ stateDir, quiet: true });
  t.after(async () => {
    if (mounted) await execa('umount', [mnt], { reject: false });
    await emu.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
  const e = emu.endpoints;
  const c = new ComputeManagementClient(imdsCredential(e.imdsEndpoint), e.subscriptionId, { endpoint: e.armEndpoint, tlsOptions: { ca: readFileSync(e.caCertPath) }, retryOptions: { maxRetries: 0 } });
  const id = (n: string) => `/subscriptions/${e.subscriptionId}/resourceGroups/${e.resourceGroup}/providers/Microsoft.Compute/${n}`;
  const link = (lun: number) => join(e.devroot, 'disk/azure/scsi1', `lun${lun}`);
  const device = (lun: number) => `/dev/${basename(readlinkSync(link(lun)))}`;

  await c.disks.createOrUpdate(e.resourceGroup, 'data', { location: e.location, diskSizeGB: 1, creationData: { createOption: 'Empty' } }, FAST);
  await c.virtualMachines.attachDetachDataDisks(e.resourceGroup, e.vmName, { dataDisksToAttach: [{ diskId: id('disks/data'), lun: 0 }] }, FAST);
  const target = readlinkSync(link(0));
  assert.ok(!isAbsolute(target), `relative device link, got ${target}`);
  assert.match(resolve(dirname(link(0)), target), /^\/dev\/loop\d+$/);
  const dev0 = device(0);
  await execa('mkfs.ext4', ['-q', '-F', dev0]);
  await execa('mount', [dev0, mnt]);
  mounted = true;
  writeFileSync(join(mnt, 'hello.txt'), 'from the emulator\n');
  await execa('umount', [mnt]);
  mounted = false;
  await c.virtualMachines.attachDetachDataDisks(e.resourceGroup, e.vmName, { dataDisksToDetach: [{ diskId: id('disks/data') }] }, FAST);
  assert.equal(existsSync(link(0)), false, 'link removed on detach');

  await c.snapshots.createOrUpdate(e.resourceGroup, 'snap', { location: e.location, creationData: { createOption: 'Copy', sourceResourceId: id('disks/data') } }, FAST);
  await c.disks.createOrUpdate(e.resourceGroup, 'copy', { location: e.location, diskSizeGB: 2, creationData: { createOption: 'Copy', sourceResourceId: id('snapshots/snap') } }, FAST);
  await c.disks.delete(e.resourceGroup, 'data', FAST);
  const vm = await c.virtualMachines.get(e.resourceGroup, e.vmName);
  vm.storageProfile!.dataDisks = [{ lun: 3, createOption: 'Attach', managedDisk: { id: id('disks/copy') } }];
  await c.virtualMachines.createOrUpdate(e.resourceGroup, e.vmName, vm, FAST);
  const dev3 = device(3);
  const size = Number((await execa('blockdev', ['--getsize64', dev3])).stdout.trim());
  assert.equal(size, 2 * 1024 ** 3, 'the copy was grown to 2 GiB');
  await execa('mount', ['-o', 'ro', dev3, mnt]);
  mounted = true;
  assert.equal(readFileSync(join(mnt, 'hello.txt'), 'utf8'), 'from the emulator\n');
  await execa('umount', [mnt]);
  mounted = false;
  await emu.stop();
  assert.equal(existsSync(link(3)), false, 'stop() detaches everything');
  const loops = (await execa('losetup', ['-a'])).stdout;
  assert.equal(loops.includes(stateDir), false, 'no loop device left on the state directory');
});

test('serve command: prints one ready line, serves, stops on SIGTERM and removes endpoints.json', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'azemu-serve-'));
  t.after(() => rmSync(stateDir, { recursive: true, force: true }));
  const script = `import { serveCommand } from './dist/src/cli/commands/emulator-serve.js'; await serveCommand({ state: process.argv[1], latency: 'instant' });`;
  const child = execa(process.execPath, ['--input-type=module', '-e', script, stateDir], { cwd: REPO, reject: false, timeout: 60_000 });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.once('exit', () => reject(new Error(`serve exited early: ${buf}`)));
  });
  assert.match(line, new RegExp(`^azchroot emulator ready: ARM https://127\\.0\\.0\\.1:\\d+, IMDS http://127\\.0\\.0\\.1:\\d+, state ${stateDir}$`));
  const endpoints = JSON.parse(readFileSync(join(stateDir, 'endpoints.json'), 'utf8'));
  assert.equal(endpoints.pid, child.pid);
  const imds = await fetch(`${endpoints.imdsEndpoint}/metadata/instance?api-version=2017-08-01`, { headers: { Metadata: 'true' } });
  assert.equal(imds.status, 200);
  child.kill('SIGTERM');
  const result = await child;
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout.trim().split('\n').length, 1, 'exactly one line on stdout');
  assert.equal(existsSync(join(stateDir, 'endpoints.json')), false);
});
