// The attached disk's device never appears (emulator `neverLink` fault) with a short device timeout
// (AZCHROOT_DEVICE_TIMEOUT_MS): the error lists every place looked at, and the disk is detached
// and deleted. A link that appears late, within the timeout, is waited for.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, show } from './helpers/cli.js';
import { withExportedRoot, readInImage } from './helpers/exported.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft } from './helpers/leftovers.js';
import { markRequests, statusesOf } from './helpers/request-log.js';
import { addFaults, useSuite, workspace } from './helpers/suite.js';
import { ids, nextVersion, shellProvisioner, writeTemplate } from './helpers/template.js';

const skip = skipReason();
const suite = useSuite(skip);
const ATTACH = 'virtualMachines.attachDetachDataDisks';

test('a device link that never appears fails after the timeout, names every place tried, detaches and deletes', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, imageName: 'never-link', provisioners: shellProvisioner(['true']) });
  addFaults(suite, [{ operation: ATTACH, neverLink: true, times: 1 }]);
  const requests = await markRequests(suite.state);

  const r = await runCli(ws.defer, ws.buildArgs(template), { AZCHROOT_DEVICE_TIMEOUT_MS: '1500' });

  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /^Error: the disk attached at LUN 0 did not show up as a block device within 1\.5 s; tried:$/m, show(r));
  const devroot = `${suite.state}/dev`;
  for (const place of [
    `SCSI link ${devroot}/disk/azure/scsi1/lun0`,
    `data disk link ${devroot}/disk/azure/data/by-lun/0`,
    'sysfs /sys/bus/scsi/devices/',
    'sysfs /sys/class/block/nvme*n* with nsid 2',
  ]) assert.ok(r.stderr.includes(`  - ${place}`), `the error names ${place}:\n${r.stderr}`);
  assert.match(r.stderr, /AZCHROOT_DEVICE_TIMEOUT_MS/, 'the hint says how to wait longer');
  // Attach, then the detach of the cleanup; the disk is deleted.
  assert.equal(statusesOf(await requests(), ATTACH).length, 2);
  assert.match(r.stdout, /\[attach-disk\] detaching disk /);
  assert.match(r.stdout, /\[create-os-disk\] deleting disk /);
  await assertNothingLeft(suite, ws);
});

test('a device link that appears late but within the timeout is waited for', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const version = nextVersion();
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, galleryVersion: version, provisioners: shellProvisioner(['echo late > /etc/late-link']) });
  addFaults(suite, [{ operation: ATTACH, linkDelayMs: 1500, times: 1 }]);

  const r = await runCli(ws.defer, ws.buildArgs(template), { AZCHROOT_DEVICE_TIMEOUT_MS: '20000' });

  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /disk available at \/dev\/loop\d+ \(via SCSI link /);
  await assertNothingLeft(suite, ws);
  await withExportedRoot(suite.state, ids.galleryVersion(version), ws.dir, async (root) => {
    assert.equal((await readInImage(root, 'etc/late-link'))?.trim(), 'late');
  });
});

test('an invalid AZCHROOT_DEVICE_TIMEOUT_MS is reported and the default is used', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, imageName: 'bad-timeout', provisioners: shellProvisioner(['exit 4']) });

  const r = await runCli(ws.defer, ws.buildArgs(template), { AZCHROOT_DEVICE_TIMEOUT_MS: 'soon' });

  assert.equal(r.code, 1, show(r));
  assert.match(r.stdout + r.stderr, /ignoring AZCHROOT_DEVICE_TIMEOUT_MS="soon": it must be a positive whole number of milliseconds/);
  assert.match(r.stderr, /Script exited with non-zero exit status: 4/, 'the build went on to provisioning');
  await assertNothingLeft(suite, ws);
});
