// Azure errors after provisioning (detach, image, snapshot, gallery version), a disk delete that
// fails during cleanup (reported; `azchroot cleanup --build-id` removes it later), and throttling
// (429 with Retry-After) that the build survives.

import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { FaultRule } from '../../src/emulator/api.js';
import { runCli, show, startCli, type CliResult } from './helpers/cli.js';
import { withExportedRoot, readInImage } from './helpers/exported.js';
import { atGate, gateLines, openGate } from './helpers/gate.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft, buildIds, idsOfType, temporaryDisksAndSnapshots } from './helpers/leftovers.js';
import { markRequests, statusesOf } from './helpers/request-log.js';
import { addFaults, useSuite, workspace, type Workspace } from './helpers/suite.js';
import { ids, nextVersion, shellProvisioner, writeTemplate } from './helpers/template.js';

const skip = skipReason();
const suite = useSuite(skip);
const ATTACH = 'virtualMachines.attachDetachDataDisks';

interface Built {
  ws: Workspace;
  r: CliResult;
  image: string;
  version: string;
}

/** Builds a template with a managed image and a gallery version; `rules` are added before it starts. */
async function build(t: TestContext, rules: FaultRule[], provisionerLines = ['echo provisioned > /etc/provisioned']): Promise<Built> {
  const ws = await workspace(t, suite);
  const version = nextVersion();
  const name = `capture-${version.replace(/\./g, '-')}`;
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, imageName: name, galleryVersion: version, provisioners: shellProvisioner(provisionerLines) });
  addFaults(suite, rules);
  return { ws, r: await runCli(ws.defer, ws.buildArgs(template)), image: ids.image(name), version: ids.galleryVersion(version) };
}

async function exists(type: string, id: string): Promise<boolean> {
  return (await idsOfType(suite.state, type)).some((x) => x.toLowerCase() === id.toLowerCase());
}

test('detach whose operation ends Failed: exit 1 with Azure code and text; cleanup detaches and deletes', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, imageName: 'detach-fail', provisioners: shellProvisioner(gateLines()) });
  const requests = await markRequests(suite.state);
  const cli = startCli(ws.defer, ws.buildArgs(template));
  // The attach is done by now: the next attach/detach call is the early-teardown detach.
  const root = await atGate(ws.mountRoot);
  addFaults(suite, [{ operation: ATTACH, failLro: true, code: 'DetachDiskFailed', message: 'The data disk could not be detached.', times: 1 }]);
  await openGate(root);
  const r = await cli.done;

  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /^Error: Azure failed to detach disk \S+\/disks\/PackerTemp-osdisk-\S+ from VM \S+: DetachDiskFailed: The data disk could not be detached\./m, show(r));
  assert.match(r.stdout + r.stderr, /step early-teardown failed/);
  assert.equal(statusesOf(await requests(), ATTACH).length, 3, 'attach, failed detach, detach in cleanup');
  assert.equal(await exists('Microsoft.Compute/images', ids.image('detach-fail')), false);
  await assertNothingLeft(suite, ws);
});

test('managed image creation refused (400 InvalidParameter): exit 1, the snapshot and disk are removed', { skip }, async (t) => {
  const b = await build(t, [{ operation: 'images.createOrUpdate', status: 400, code: 'InvalidParameter', message: 'The value of parameter osDisk.caching is invalid.' }]);

  assert.equal(b.r.code, 1, show(b.r));
  assert.match(b.r.stderr, /^Error: Azure refused to create (managed )?image \S+\/images\/capture-\S+: InvalidParameter: The value of parameter osDisk\.caching is invalid\./m, show(b.r));
  assert.equal(await exists('Microsoft.Compute/images', b.image), false);
  assert.equal(await exists('Microsoft.Compute/galleries/images/versions', b.version), false, 'nothing is published after a failed capture');
  await assertNothingLeft(suite, b.ws);
});

test('snapshot creation ends Failed: exit 1; the managed image stays (an output), temporaries go', { skip }, async (t) => {
  const b = await build(t, [{ operation: 'snapshots.createOrUpdate', failLro: true, code: 'InternalSnapshotError', message: 'The snapshot could not be created.' }]);

  assert.equal(b.r.code, 1, show(b.r));
  assert.match(b.r.stderr, /^Error: Azure failed to create snapshot \S+\/snapshots\/PackerTemp-osdisk-snapshot-\S+: InternalSnapshotError: The snapshot could not be created\./m, show(b.r));
  assert.equal(await exists('Microsoft.Compute/galleries/images/versions', b.version), false);
  // The image is created concurrently and awaited; it is an output: reported and kept, not deleted.
  assert.equal(await exists('Microsoft.Compute/images', b.image), true);
  assert.match(b.r.stdout + b.r.stderr, /managed image \S+\/images\/capture-\S+ was created and is left in place/);
  await assertNothingLeft(suite, b.ws);
  await withExportedRoot(suite.state, b.image, b.ws.dir, async (root) => {
    assert.equal((await readInImage(root, 'etc/provisioned'))?.trim(), 'provisioned');
  });
});

test('gallery version creation ends Failed: exit 1 with Azure code and text; the image holds the provisioned files', { skip }, async (t) => {
  const b = await build(t, [{ operation: 'galleryImageVersions.createOrUpdate', failLro: true, code: 'GalleryImageVersionProvisioningFailed', message: 'Replication to westeurope failed.' }]);

  assert.equal(b.r.code, 1, show(b.r));
  assert.match(b.r.stderr, /^Error: Azure failed to \S+(?: \S+)* \S+\/versions\/1\.0\.\d+: GalleryImageVersionProvisioningFailed: Replication to westeurope failed\./m, show(b.r));
  assert.match(b.r.stdout + b.r.stderr, /step publish-gallery-version failed/);
  await assertNothingLeft(suite, b.ws);
  await withExportedRoot(suite.state, b.image, b.ws.dir, async (root) => {
    assert.equal((await readInImage(root, 'etc/provisioned'))?.trim(), 'provisioned');
  });
});

test('disk delete failing in cleanup: the image is published but the build exits 1, saying what is left and how to remove it; cleanup --build-id removes it', { skip }, async (t) => {
  // A delete lock: 409 ScopeLocked, which waiting does not change (a 409 conflict code would be retried).
  const b = await build(t, [{ operation: 'disks.delete', status: 409, code: 'ScopeLocked', message: 'Disk is locked by a delete lock.', times: 1 }]);

  assert.equal(b.r.code, 1, show(b.r));
  assert.match(b.r.stdout, /Builds finished/);
  assert.match(b.r.stdout + b.r.stderr, /could not remove the temporary disk \S+: .*ScopeLocked: Disk is locked by a delete lock\./, show(b.r));
  assert.match(b.r.stderr, /the image was built, but its cleanup could not remove everything\. Left behind:\n {2}- temporary disk: \S+\/disks\/PackerTemp-osdisk-/, show(b.r));
  const [buildId] = buildIds(b.ws.journalState);
  assert.ok(buildId);
  assert.match(b.r.stdout + b.r.stderr, new RegExp(`temporary disk: \\S+/disks/PackerTemp-osdisk-`));
  assert.match(b.r.stdout + b.r.stderr, new RegExp(`azchroot cleanup --build-id ${buildId}`));
  const left = await temporaryDisksAndSnapshots(suite.state);
  assert.equal(left.length, 1, `exactly the OS disk is left: ${left.join(', ')}`);

  const c = await runCli(b.ws.defer, b.ws.cleanupArgs('--build-id', buildId));
  assert.equal(c.code, 0, show(c));
  assert.match(c.stdout, /removed disk \S+\/disks\/PackerTemp-osdisk-/);
  await assertNothingLeft(suite, b.ws);
  await withExportedRoot(suite.state, b.version, b.ws.dir, async (root) => {
    assert.equal((await readInImage(root, 'etc/provisioned'))?.trim(), 'provisioned');
  });
});

test('throttling (429 with Retry-After) on disk create and attach is waited out; the build succeeds', { skip }, async (t) => {
  const requests = await markRequests(suite.state);
  const b = await build(t, [
    { operation: 'disks.createOrUpdate', retryAfter: 1, times: 2 },
    { operation: ATTACH, retryAfter: 1, times: 1 },
  ]);

  assert.equal(b.r.code, 0, show(b.r));
  const log = await requests();
  const creates = statusesOf(log, 'disks.createOrUpdate');
  assert.deepEqual(creates.slice(0, 2), [429, 429]);
  assert.ok(creates.length === 3 && creates[2]! < 300, `create accepted after the throttling: ${creates.join(',')}`);
  assert.equal(statusesOf(log, ATTACH)[0], 429);
  assert.equal(await exists('Microsoft.Compute/galleries/images/versions', b.version), true);
  await assertNothingLeft(suite, b.ws);
  await withExportedRoot(suite.state, b.version, b.ws.dir, async (root) => {
    assert.equal((await readInImage(root, 'etc/provisioned'))?.trim(), 'provisioned');
  });
});
