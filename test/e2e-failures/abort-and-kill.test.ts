// Builds that do not clean up after themselves, on purpose or not: -on-error=abort keeps the disk
// attached and mounted and says how to remove it; a build killed with SIGKILL leaves its journal.
// In both cases `azchroot cleanup` removes mounts, the attachment, the loop device and the disk.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, show, startCli } from './helpers/cli.js';
import { readInImage, withLiveDiskExported } from './helpers/exported.js';
import { atGate, gateLines } from './helpers/gate.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft, buildIds, hostLeftovers, pendingTemporary, temporaryDisksAndSnapshots, vmDataDisks } from './helpers/leftovers.js';
import { useSuite, workspace, type Workspace } from './helpers/suite.js';
import { shellProvisioner, writeTemplate } from './helpers/template.js';

const skip = skipReason();
const suite = useSuite(skip);

/** The single mount point made under the workspace's mount root. */
async function rootMount(ws: Workspace): Promise<string> {
  const names = await readdir(ws.mountRoot);
  assert.equal(names.length, 1, `one mount point under ${ws.mountRoot}: ${names.join(', ')}`);
  return join(ws.mountRoot, names[0]!);
}

/** Asserts the build's disk is still there: in the emulator, attached, looped and mounted. */
async function assertKept(ws: Workspace): Promise<string> {
  const disks = await temporaryDisksAndSnapshots(suite.state);
  assert.equal(disks.length, 1, `the OS disk is kept: ${disks.join(', ')}`);
  assert.equal((await vmDataDisks(suite.state)).length, 1, 'the disk is still attached');
  const host = hostLeftovers(suite, ws);
  assert.equal(host.loops.length, 1, 'its loop device is still attached');
  assert.ok(host.mounts.length >= 2, `its root and chroot mounts are still there: ${host.mounts.join(', ')}`);
  return disks[0]!;
}

test('-on-error=abort keeps the disk attached and mounted, says what is left; cleanup --all removes it all', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const template = await writeTemplate(ws.dir, {
    mountRoot: ws.mountRoot,
    imageName: 'aborted',
    provisioners: shellProvisioner(['echo kept-for-inspection > /etc/abort-marker', 'exit 7']),
  });

  const r = await runCli(ws.defer, ws.buildArgs('-on-error=abort', template));

  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /Script exited with non-zero exit status: 7/);
  const out = r.stdout + r.stderr;
  assert.match(out, /-on-error=abort: cleanup skipped/, show(r));
  assert.match(out, /left behind:/);
  assert.match(out, /- temporary disk: \S+\/disks\/PackerTemp-osdisk-/);
  assert.match(out, /- disk attached to this VM at LUN 0: \S+\/disks\/PackerTemp-osdisk-/);
  assert.match(out, new RegExp(`- mount: ${ws.mountRoot}/loop\\d+\\n`));
  const [buildId] = buildIds(ws.journalState);
  // The hint names the emulator, so that the printed command never reaches for the real Azure.
  assert.match(out, new RegExp(`run "azchroot cleanup --build-id ${buildId} --state-dir ${ws.journalState} --emulator=${suite.state}"`));
  assert.doesNotMatch(out, /deleting disk/, 'nothing was cleaned up');

  const diskId = await assertKept(ws);
  const mount = await rootMount(ws);
  // Kept for inspection: the failed build's work is readable in place and on the disk itself.
  assert.equal((await readInImage(mount, 'etc/abort-marker'))?.trim(), 'kept-for-inspection');
  await withLiveDiskExported(suite.state, diskId, mount, ws.dir, async (root) => {
    assert.equal((await readInImage(root, 'etc/abort-marker'))?.trim(), 'kept-for-inspection');
  });

  // Without --emulator, cleanup finds the emulator in the build's journal.
  const c = await runCli(ws.defer, ['cleanup', '--all', '--state-dir', ws.journalState]);
  assert.equal(c.code, 0, show(c));
  assert.match(c.stdout, new RegExp(`the build ran against the local emulator in ${suite.state}`), show(c));
  for (const what of [/removed mount \S+\/loop\d+\/proc/, /removed mount \S+\/loop\d+$/m, /removed attachment \S+\/disks\/PackerTemp-osdisk-/, /removed disk \S+\/disks\/PackerTemp-osdisk-/]) {
    assert.match(c.stdout, what, show(c));
  }
  await assertNothingLeft(suite, ws);
});

test('kill -9 during provisioning leaves a journal; cleanup stops the orphaned provisioner and removes everything', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const template = await writeTemplate(ws.dir, {
    mountRoot: ws.mountRoot,
    imageName: 'killed',
    provisioners: shellProvisioner(['echo before-the-kill > /etc/kill-marker', 'sync', ...gateLines(false)]),
  });
  const cli = startCli(ws.defer, ws.buildArgs(template));
  await atGate(ws.mountRoot);
  await cli.waitForOutput(/provisioning started/);

  const pid = cli.child.pid!;
  cli.child.kill('SIGKILL');
  const r = await cli.done;
  assert.equal(r.signal, 'SIGKILL');
  const tempDirsOfKilled = () => readdirSync(tmpdir()).filter((n) => n.startsWith('azchroot-') && n.includes(`-${pid}-`));
  assert.ok(tempDirsOfKilled().length > 0, 'the killed build left its provisioner temp directory');

  const pending: string[] = pendingTemporary(ws.journalState).map((p) => p.kind);
  for (const kind of ['attachment', 'disk', 'mount']) assert.ok(pending.includes(kind), `journal shows the ${kind}: ${pending.join(', ')}`);
  const diskId = await assertKept(ws);
  await withLiveDiskExported(suite.state, diskId, await rootMount(ws), ws.dir, async (root) => {
    assert.equal((await readInImage(root, 'etc/kill-marker'))?.trim(), 'before-the-kill');
  });

  // Without --emulator, cleanup finds the emulator in the build's journal.
  const c = await runCli(ws.defer, ['cleanup', '--all', '--state-dir', ws.journalState]);
  assert.equal(c.code, 0, show(c));
  assert.match(c.stdout, new RegExp(`the build ran against the local emulator in ${suite.state}`), show(c));
  // The provisioner outlived the build and held the mount: cleanup names and stops it.
  assert.match(c.stdout + c.stderr, /is busy: stopping the processes that hold it: .*sleep/, show(c));
  assert.match(c.stdout, /removed disk \S+\/disks\/PackerTemp-osdisk-/);
  assert.deepEqual(tempDirsOfKilled(), [], 'cleanup removes the killed build\'s temp directories');
  await assertNothingLeft(suite, ws);
  const again = await runCli(ws.defer, ws.cleanupArgs('--all'));
  assert.equal(again.code, 0, show(again));
  assert.match(again.stdout, /nothing to clean up/);
});
