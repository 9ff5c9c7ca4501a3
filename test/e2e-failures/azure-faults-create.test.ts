// Azure errors while the disk is created and attached (emulator fault rules): each fails the build
// with exit code 1 and Azure's own code and text, and leaves nothing behind.

import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import type { FaultRule } from '../../src/emulator/api.js';
import { runCli, show, type CliResult } from './helpers/cli.js';
import { withExportedRoot, readInImage } from './helpers/exported.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft, idsOfType } from './helpers/leftovers.js';
import { markRequests, statusesOf } from './helpers/request-log.js';
import { addFaults, useSuite, workspace, type Workspace } from './helpers/suite.js';
import { ids, nextVersion, shellProvisioner, writeTemplate } from './helpers/template.js';

const skip = skipReason();
const suite = useSuite(skip);
const ATTACH = 'virtualMachines.attachDetachDataDisks';

/** Builds a from-scratch template (image + gallery version) with `rules` active. */
async function buildWithFaults(t: TestContext, rules: FaultRule[], env: NodeJS.ProcessEnv = {}): Promise<{ ws: Workspace; r: CliResult; outputs: string[] }> {
  const ws = await workspace(t, suite);
  const version = nextVersion();
  const imageName = `fault-${version.replace(/\./g, '-')}`;
  const template = await writeTemplate(ws.dir, {
    mountRoot: ws.mountRoot,
    imageName,
    galleryVersion: version,
    provisioners: shellProvisioner(['echo provisioned > /etc/provisioned']),
  });
  addFaults(suite, rules);
  return { ws, r: await runCli(ws.defer, ws.buildArgs(template), env), outputs: [ids.image(imageName), ids.galleryVersion(version)] };
}

async function assertNoOutputs(outputs: string[]): Promise<void> {
  const all = [...(await idsOfType(suite.state, 'Microsoft.Compute/images')), ...(await idsOfType(suite.state, 'Microsoft.Compute/galleries/images/versions'))];
  assert.deepEqual(outputs.filter((id) => all.some((a) => a.toLowerCase() === id.toLowerCase())), [], 'no managed image or gallery version is created');
}

/** The retry policy's deadline for one operation, short so that lasting faults end fast. */
const SHORT_DEADLINE = { AZCHROOT_AZURE_RETRY_DEADLINE_MS: '2000' };

test('disk creation refused with HTTP 500 InternalError until the deadline: exit 1, Azure code and text, nothing left', { skip }, async (t) => {
  const requests = await markRequests(suite.state);
  const { ws, r, outputs } = await buildWithFaults(t, [{ operation: 'disks.createOrUpdate', status: 500, code: 'InternalError', message: 'The disk service had an internal error.' }], SHORT_DEADLINE);

  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /^Error: Azure refused to create disk \/subscriptions\/.*\/disks\/PackerTemp-osdisk-[^:]+: InternalError: The disk service had an internal error\. \(gave up after \d+ attempts in \d+ m?s\)/m, show(r));
  assert.match(r.stdout + r.stderr, /step create-os-disk failed/);
  // A 5xx is retried (by the retry policy) until the operation's deadline.
  const creates = statusesOf(await requests(), 'disks.createOrUpdate');
  assert.ok(creates.length > 1 && creates.every((s) => s === 500), `create retried, all 500: ${creates.join(',')}`);
  assert.deepEqual(statusesOf(await requests(), ATTACH), [], 'nothing is attached after a failed create');
  await assertNoOutputs(outputs);
  await assertNothingLeft(suite, ws);
});

test('disk creation whose operation ends Failed: the half-created disk is deleted', { skip }, async (t) => {
  const requests = await markRequests(suite.state);
  const { ws, r, outputs } = await buildWithFaults(t, [{ operation: 'disks.createOrUpdate', failLro: true, code: 'InternalDiskManagementError', message: 'The disk could not be provisioned.' }]);

  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /^Error: Azure failed to create disk \/subscriptions\/.*\/disks\/PackerTemp-osdisk-[^:]+: InternalDiskManagementError: The disk could not be provisioned\./m, show(r));
  // The create was accepted, so cleanup must look for the disk and delete it.
  assert.match(r.stdout, /\[create-os-disk\] deleting disk /, show(r));
  assert.ok(statusesOf(await requests(), 'disks.delete').length >= 1, 'the disk is deleted');
  await assertNoOutputs(outputs);
  await assertNothingLeft(suite, ws);
});

test('attach answered 409 past the deadline: retried, then exit 1 with Azure\'s conflict; the disk is deleted', { skip }, async (t) => {
  const requests = await markRequests(suite.state);
  const { ws, r, outputs } = await buildWithFaults(t, [{ operation: ATTACH, status: 409, code: 'OperationNotAllowed', message: 'Another operation is in progress on the VM.' }], SHORT_DEADLINE);

  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /^Error: Azure refused to attach disk \/subscriptions\/.*\/disks\/PackerTemp-osdisk-\S+ at LUN 0 to VM \S+\/virtualMachines\/golden-vm: OperationNotAllowed: Another operation is in progress on the VM\. \(gave up after \d+ attempts/m, show(r));
  // Retried while the deadline allowed, all refused; no successful attach (the detach path sends none).
  const attach = statusesOf(await requests(), ATTACH);
  assert.ok(attach.length >= 3 && attach.every((s) => s === 409), `attach statuses: ${attach.join(',')}`);
  assert.match(r.stdout, /\[create-os-disk\] deleting disk /);
  await assertNoOutputs(outputs);
  await assertNothingLeft(suite, ws);
});

test('attach answered 409 twice is retried and the build succeeds', { skip }, async (t) => {
  const requests = await markRequests(suite.state);
  const { ws, r, outputs } = await buildWithFaults(t, [{ operation: ATTACH, status: 409, code: 'OperationNotAllowed', message: 'Another operation is in progress on the VM.', times: 2 }]);
  assert.equal(outputs.length, 2);

  assert.equal(r.code, 0, show(r));
  const attach = statusesOf(await requests(), ATTACH);
  assert.deepEqual(attach.slice(0, 2), [409, 409], `attach statuses: ${attach.join(',')}`);
  assert.ok(attach.length >= 3 && attach[2]! < 300, `the third attempt is accepted: ${attach.join(',')}`);
  assert.match(r.stdout, /Builds finished/);
  await assertNothingLeft(suite, ws);
  await withExportedRoot(suite.state, outputs[1]!, ws.dir, async (root) => {
    assert.equal((await readInImage(root, 'etc/provisioned'))?.trim(), 'provisioned');
  });
});

test('attach whose operation ends Preempted is issued again and the build succeeds', { skip }, async (t) => {
  const requests = await markRequests(suite.state);
  const { ws, r } = await buildWithFaults(t, [{ operation: ATTACH, failLro: true, code: 'OperationPreempted', message: 'Operation execution has been preempted by a more recent operation.', times: 1 }]);

  assert.equal(r.code, 0, show(r));
  // attach (preempted), attach again, detach.
  assert.equal(statusesOf(await requests(), ATTACH).length, 3);
  await assertNothingLeft(suite, ws);
});

test('attach whose operation ends Failed with a lasting code: exit 1 with Azure code and text; detached and deleted', { skip }, async (t) => {
  const { ws, r, outputs } = await buildWithFaults(t, [{ operation: ATTACH, failLro: true, code: 'InvalidParameter', message: 'The LUN 0 is not valid for this VM size.', times: 1 }]);

  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /^Error: Azure failed to attach disk \S+ at LUN 0 to VM \S+: InvalidParameter: The LUN 0 is not valid for this VM size\./m, show(r));
  assert.match(r.stdout + r.stderr, /step attach-disk failed/);
  await assertNoOutputs(outputs);
  await assertNothingLeft(suite, ws);
});
