// Interrupting a build: SIGINT or SIGTERM during provisioning stops the provisioner, runs every
// cleanup and exits 1 saying so; a second signal during a slow cleanup exits at once (130), lists
// what may be left, and `azchroot cleanup --build-id` removes it afterwards.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { findJournalPath } from '../../src/ledger/journal.js';
import { runCli, show, startCli } from './helpers/cli.js';
import { atGate, gateLines } from './helpers/gate.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft, buildIds, pendingTemporary, temporaryDisksAndSnapshots } from './helpers/leftovers.js';
import { addFaults, useSuite, workspace } from './helpers/suite.js';
import { shellProvisioner, writeTemplate } from './helpers/template.js';
import { withExportedRoot, readInImage } from './helpers/exported.js';

const skip = skipReason();
const suite = useSuite(skip);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} during provisioning stops the provisioner, cleans up everything and exits 1`, { skip }, async (t) => {
    const ws = await workspace(t, suite);
    const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, imageName: `interrupted-${signal}`, provisioners: shellProvisioner(gateLines(false)) });
    const cli = startCli(ws.defer, ws.buildArgs(template));
    await atGate(ws.mountRoot);
    await cli.waitForOutput(/provisioning started/);

    cli.child.kill(signal);
    const r = await cli.done;

    assert.equal(r.code, 1, show(r));
    assert.equal(r.signal, null);
    assert.match(r.stdout + r.stderr, new RegExp(`${signal} received: stopping the running step, then cleaning up`), show(r));
    assert.match(r.stderr, /^Error: the build was interrupted; every cleanup has run$/m, show(r));
    assert.doesNotMatch(r.stdout, /slept through/, 'the provisioner was stopped, not waited for');
    assert.doesNotMatch(r.stdout, /Builds finished/);
    const [buildId] = buildIds(ws.journalState);
    const journal = await readFile(findJournalPath(ws.journalState, buildId!), 'utf8');
    assert.match(journal, /"event":"end","detail":\{"status":"cancelled"\}/);
    await assertNothingLeft(suite, ws);
  });
}

test('a second SIGINT during a slow cleanup exits 130 at once, lists what may be left; cleanup --build-id removes it', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, imageName: 'twice-interrupted', provisioners: shellProvisioner(gateLines(false)) });
  // The disk delete of the cleanup is throttled for 30 s: the cleanup is slow enough to interrupt.
  addFaults(suite, [{ operation: 'disks.delete', retryAfter: 30, times: 1 }]);
  const cli = startCli(ws.defer, ws.buildArgs(template));
  await atGate(ws.mountRoot);
  await cli.waitForOutput(/provisioning started/);

  cli.child.kill('SIGINT');
  await cli.waitForOutput(/\[create-os-disk\] deleting disk /);
  cli.child.kill('SIGINT');
  const r = await cli.done;

  assert.equal(r.code, 130, show(r));
  const [buildId] = buildIds(ws.journalState);
  assert.ok(buildId);
  assert.match(r.stderr, new RegExp(`Build ${buildId} was stopped before its cleanup finished\\. These may be left behind:`), show(r));
  assert.match(r.stderr, /^ {2}- temporary disk: \S+\/disks\/PackerTemp-osdisk-\S+$/m);
  assert.match(r.stderr, new RegExp(`azchroot cleanup --build-id ${buildId}`));
  // Unmount and detach finished before the second signal; only the disk is left.
  assert.deepEqual(pendingTemporary(ws.journalState).map((p) => p.kind), ['disk']);
  const left = await temporaryDisksAndSnapshots(suite.state);
  assert.equal(left.length, 1);
  // The disk is intact: what the provisioner wrote before the interruption is on it.
  await withExportedRoot(suite.state, left[0]!, ws.dir, async (root) => {
    assert.notEqual(await readInImage(root, 'tmp/gate-ready'), undefined);
  });

  const c = await runCli(ws.defer, ws.cleanupArgs('--build-id', buildId));
  assert.equal(c.code, 0, show(c));
  assert.match(c.stdout, /removed disk \S+\/disks\/PackerTemp-osdisk-/);
  await assertNothingLeft(suite, ws);
  const again = await runCli(ws.defer, ws.cleanupArgs('--build-id', buildId));
  assert.equal(again.code, 0, show(again));
  assert.match(again.stdout, /nothing to clean up/);
});
