// Kill matrix, the special cases: a double Ctrl-C on a terminal during a slow cleanup; SIGKILL of a
// build that ran the emulator in its own process (its half-done operations and blobs die with it);
// the README's first command interrupted with Ctrl-C on a terminal; a closed stdout (`| head`).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../e2e-failures/helpers/cli.js';
import { skipReason } from '../e2e-failures/helpers/host.js';
import { buildIds } from '../e2e-failures/helpers/leftovers.js';
import { buildArgs, cleanupArgs, requestMark, runCli, whenFile, whenRequest, whenStepStarts, useMatrixSuite } from './helpers/matrix.js';
import { assertNothingLeft, withWorkspace } from './helpers/scenario.js';
import { writeMatrixTemplate } from './helpers/template.js';

const skip = skipReason();
const suite = useMatrixSuite(skip);

test('terminal: a second Ctrl-C during a slow cleanup exits 130 at once, lists what may be left with the exact cleanup command, which removes it', { skip }, async () => {
  await withWorkspace(suite, 'double', async (ws) => {
    const template = await writeMatrixTemplate(ws.dir, ws.mountRoot, 'km-double', true);
    // The cleanup's disk delete is throttled: slow enough to be interrupted.
    suite.emulator.addFaults([{ operation: 'disks.delete', retryAfter: 30, times: 1 }]);
    const cli = runCli(buildArgs(suite, ws, 'tty', template), 'tty');
    await whenStepStarts(ws, 'provision', cli.done);
    cli.ctrlC();
    await whenFile(ws.logFile, (t) => /deleting disk /.test(t), cli.done, 'the cleanup deleting the disk');
    const mark = await requestMark(suite.state);
    await whenRequest(suite.state, mark - 1, 'disks.delete', 1, cli.done);
    cli.ctrlC();
    const r = await cli.done;
    assert.equal(r.code, 130, r.output);
    const [buildId] = buildIds(ws.journalState);
    assert.ok(buildId);
    assert.match(r.output, new RegExp(`Build ${buildId} was stopped before its cleanup finished\\. These may be left behind:`), r.output);
    assert.match(r.output, /- temporary disk: \S+\/disks\/PackerTemp-osdisk-/);
    const command = new RegExp(`azchroot cleanup --build-id ${buildId} --state-dir ${ws.journalState} --emulator=${suite.state}`);
    assert.match(r.output, command, r.output);
    suite.emulator.clearFaults();
    const c = await runCli(['cleanup', '--build-id', buildId!, '--state-dir', ws.journalState, `--emulator=${suite.state}`]).done;
    assert.equal(c.code, 0, c.output);
    await assertNothingLeft(suite, ws, 'a double Ctrl-C and the printed cleanup command');
  });
});

for (const at of ['disks.createOrUpdate', 'mount-device'] as const) {
  test(`SIGKILL of a build running the emulator in its own process (at ${at}): cleanup settles the emulator, removes orphan blobs and everything else`, { skip }, async () => {
    await withWorkspace(suite, 'inproc', async (ws) => {
      const own = join(ws.dir, 'own-emulator');
      const template = await writeMatrixTemplate(ws.dir, ws.mountRoot, 'km-inproc', false);
      const args = buildArgs(suite, ws, 'plain', template).map((a) => (a === `--emulator=${suite.state}` ? `--emulator=${own}` : a));
      const cli = runCli(args);
      await whenFile(ws.logFile, (t) => /started the local Azure emulator/.test(t), cli.done, 'the in-process emulator');
      if (at === 'mount-device') await whenStepStarts(ws, at, cli.done);
      else await whenRequest(own, 0, at, 1, cli.done);
      process.kill(cli.pid(), 'SIGKILL');
      assert.equal((await cli.done).signal, 'SIGKILL');
      const c = await runCli(cleanupArgs(ws)).done;
      assert.equal(c.code, 0, c.output);
      assert.match(c.output, new RegExp(`the build ran against the local emulator in ${own}`));
      await assertNothingLeft(suite, ws, `SIGKILL with the in-process emulator at ${at}`, own);
    });
  });
}

test("the README's first command on a terminal, interrupted with Ctrl-C, ends with \"every cleanup has run\" and leaves nothing", { skip }, async () => {
  await withWorkspace(suite, 'readme', async (ws) => {
    const quickstart = join(REPO_ROOT, 'examples', 'quickstart.pkr.hcl');
    const cli = runCli(['build', `--emulator=${suite.state}`, '--state-dir', ws.journalState, '--log-file', ws.logFile, quickstart], 'tty');
    await whenStepStarts(ws, 'mount-extra', cli.done);
    const device = /disk available at (\/dev\/\S+)/.exec(await readFile(ws.logFile, 'utf8'))?.[1];
    cli.ctrlC();
    const r = await cli.done;
    assert.equal(r.code, 1, r.output);
    const lines = r.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    assert.equal(lines.at(-1), 'Error: the build was interrupted; every cleanup has run', r.output);
    await assertNothingLeft(suite, ws, 'Ctrl-C on the quickstart');
    assert.ok(device, 'the build attached a disk');
    assert.equal(existsSync(join('/mnt/packer-azure-chroot-disks', device!.replace('/dev/', ''))), false, 'the mount directory the build made is gone');
  });
});

test('a closed stdout (build | head -1) never kills the build: it succeeds, the log file has everything, nothing is left', { skip }, async () => {
  await withWorkspace(suite, 'epipe', async (ws) => {
    const template = await writeMatrixTemplate(ws.dir, ws.mountRoot, 'km-epipe', false);
    const cli = runCli(buildArgs(suite, ws, 'plain', template));
    await new Promise<void>((resolve) => cli.child.stdout!.once('data', () => resolve()));
    cli.child.stdout!.destroy();
    cli.child.stderr!.destroy();
    const r = await cli.done;
    assert.equal(r.code, 0, r.output);
    const log = await readFile(ws.logFile, 'utf8');
    assert.match(log, /\[publish-gallery-version\] debug: step started: publish-gallery-version/);
    assert.doesNotMatch(log, /EPIPE/);
    await assertNothingLeft(suite, ws, 'a closed stdout');
  });
});
