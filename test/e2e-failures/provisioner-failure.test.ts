// A provisioner that fails: the build stops with exit code 1, names the provisioner and its exit
// status, and every cleanup runs (no disk, snapshot, attachment, loop device, mount or pending
// journal record). A provisioner that succeeds after a failed attempt (max_retries) still publishes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli, show } from './helpers/cli.js';
import { withExportedRoot, readInImage } from './helpers/exported.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft, buildIds, idsOfType } from './helpers/leftovers.js';
import { useSuite, workspace } from './helpers/suite.js';
import { ids, nextVersion, shellProvisioner, writeTemplate } from './helpers/template.js';

const skip = skipReason();
const suite = useSuite(skip);

test('a shell provisioner exiting 3 fails the build with exit code 1 and every cleanup runs', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const version = nextVersion();
  const template = await writeTemplate(ws.dir, {
    mountRoot: ws.mountRoot,
    galleryVersion: version,
    imageName: 'prov-fail',
    provisioners: shellProvisioner(['echo first provisioner ran']) + shellProvisioner(['echo about to fail', 'exit 3']),
  });

  const r = await runCli(ws.defer, ws.buildArgs(template));

  assert.equal(r.code, 1, show(r));
  assert.match(r.stderr, /Script exited with non-zero exit status: 3/, show(r));
  assert.match(r.stdout + r.stderr, /provisioner 2 of 2: shell/, 'the failing provisioner is named');
  assert.match(r.stdout, /about to fail/, 'the script output is streamed');
  assert.match(r.stdout + r.stderr, /step provision failed/);
  assert.doesNotMatch(r.stdout, /Builds finished/);
  // Nothing was published: the outputs come after provisioning.
  assert.deepEqual(await idsOfType(suite.state, 'Microsoft.Compute/images'), []);
  assert.ok(!(await idsOfType(suite.state, 'Microsoft.Compute/galleries/images/versions')).includes(ids.galleryVersion(version)));
  assert.equal(buildIds(ws.journalState).length, 1, 'one journal for one build');
  await assertNothingLeft(suite, ws);
});

test('max_retries reruns a failing provisioner; the published version holds what the retry wrote', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const version = nextVersion();
  // Fails on the first run only: the counter file lives in the image.
  const flaky = ['n=$(cat /etc/attempts 2>/dev/null || echo 0)', 'n=$((n+1))', 'echo $n > /etc/attempts', '[ $n -ge 2 ] || exit 5', 'echo retried > /etc/result'];
  const template = await writeTemplate(ws.dir, {
    mountRoot: ws.mountRoot,
    galleryVersion: version,
    provisioners: shellProvisioner(flaky).replace('  }\n', '    max_retries = 2\n  }\n'),
  });

  const r = await runCli(ws.defer, ws.buildArgs(template));

  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, new RegExp(`versions/${version.replace(/\./g, '\\.')}`));
  await assertNothingLeft(suite, ws);
  await withExportedRoot(suite.state, ids.galleryVersion(version), ws.dir, async (root) => {
    assert.equal((await readInImage(root, 'etc/attempts'))?.trim(), '2');
    assert.equal((await readInImage(root, 'etc/result'))?.trim(), 'retried');
  });
});
