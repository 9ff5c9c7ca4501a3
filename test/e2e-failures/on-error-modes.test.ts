// Packer's -on-error modes and the error-cleanup-provisioner: with cleanup (the default) it runs in
// the still-mounted chroot after a failed provisioner and everything is then removed; with
// run-cleanup-provisioner it runs and the build stops as with abort (azchroot cleanup removes the
// rest); with abort it does not run; ask needs a terminal. HCL2 and JSON templates alike.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, show } from './helpers/cli.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft } from './helpers/leftovers.js';
import { useSuite, workspace, type Workspace } from './helpers/suite.js';
import { shellProvisioner, writeTemplate } from './helpers/template.js';

const skip = skipReason();
const suite = useSuite(skip);

/** The cleanup provisioner writes, from inside the chroot, what it saw there to a host file through the mount. */
function cleanupBlock(ws: Workspace): string {
  return `  error-cleanup-provisioner "shell-local" {
    inline = ["cat ${ws.mountRoot}/*/etc/failed-marker > ${ws.dir}/cleanup-saw"]
  }
`;
}

const failing = shellProvisioner(['echo half-done > /etc/failed-marker', 'exit 9']);

test('HCL2 error-cleanup-provisioner: runs in the mounted image after a failed provisioner, then every cleanup runs', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, imageName: 'oe-cleanup', provisioners: failing + cleanupBlock(ws) });
  const r = await runCli(ws.defer, ws.buildArgs(template));
  assert.equal(r.code, 1, show(r));
  assert.match(r.stdout, /Provisioning step had errors: Running the cleanup provisioner/, show(r));
  assert.equal(readFileSync(join(ws.dir, 'cleanup-saw'), 'utf8'), 'half-done\n', 'it ran while the image was mounted');
  assert.match(r.stderr, /Script exited with non-zero exit status: 9/, 'the error is the failed provisioner\'s');
  await assertNothingLeft(suite, ws);
});

test('-on-error=abort does not run the error-cleanup-provisioner', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, imageName: 'oe-abort', provisioners: failing + cleanupBlock(ws) });
  const r = await runCli(ws.defer, ws.buildArgs('-on-error=abort', template));
  assert.equal(r.code, 1, show(r));
  assert.equal(existsSync(join(ws.dir, 'cleanup-saw')), false, show(r));
  const c = await runCli(ws.defer, ['cleanup', '--all', '--state-dir', ws.journalState]);
  assert.equal(c.code, 0, show(c));
  await assertNothingLeft(suite, ws);
});

test('-on-error=run-cleanup-provisioner runs it, then keeps the rest as abort does; cleanup --all removes it', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const template = await writeTemplate(ws.dir, { mountRoot: ws.mountRoot, imageName: 'oe-run', provisioners: failing + cleanupBlock(ws) });
  const r = await runCli(ws.defer, ws.buildArgs('-on-error=run-cleanup-provisioner', template));
  assert.equal(r.code, 1, show(r));
  assert.equal(readFileSync(join(ws.dir, 'cleanup-saw'), 'utf8'), 'half-done\n', show(r));
  const out = r.stdout + r.stderr;
  assert.match(out, /-on-error=run-cleanup-provisioner: cleanup skipped/, show(r));
  assert.match(out, /- temporary disk: \S+\/disks\/PackerTemp-osdisk-/);
  const c = await runCli(ws.defer, ['cleanup', '--all', '--state-dir', ws.journalState]);
  assert.equal(c.code, 0, show(c));
  await assertNothingLeft(suite, ws);
});

test('JSON error-cleanup-provisioner runs too (it was accepted and ignored before); -on-error=ask without a terminal is refused', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  // The from-scratch builder of the HCL2 tests, written as JSON.
  const builder = {
    type: 'azure-chroot', from_scratch: true, os_disk_size_gb: 1, os_disk_storage_account_type: 'Standard_LRS',
    mount_path: `${ws.mountRoot}/{{.Device}}`,
    pre_mount_commands: ["printf 'label: dos\\n,,L\\n' | sfdisk --quiet {{.Device}}", 'partx -u {{.Device}} || true', 'mkfs.ext4 -q -F -L root {{.Device}}p1'],
    mount_partition: '1',
    post_mount_commands: ['mkdir -p {{.MountPath}}/bin {{.MountPath}}/etc {{.MountPath}}/tmp {{.MountPath}}/proc {{.MountPath}}/dev', 'cp /bin/busybox {{.MountPath}}/bin/busybox', 'chroot {{.MountPath}} /bin/busybox --install -s /bin'],
    chroot_mounts: [['proc', 'proc', '/proc'], ['bind', '/dev', '/dev']],
    image_resource_id: '/subscriptions/{{vm `subscription_id`}}/resourceGroups/{{vm `resource_group`}}/providers/Microsoft.Compute/images/oe-json',
  };
  const path = join(ws.dir, 'template.json');
  await writeFile(path, JSON.stringify({
    builders: [builder],
    provisioners: [{ type: 'shell', inline: ['echo half-done > /etc/failed-marker', 'exit 9'] }],
    'error-cleanup-provisioner': { type: 'shell-local', inline: [`cat ${ws.mountRoot}/*/etc/failed-marker > ${ws.dir}/cleanup-saw`] },
  }, null, 2));
  const v = await runCli(ws.defer, ['validate', path]);
  assert.equal(v.code, 0, show(v));
  const r = await runCli(ws.defer, ws.buildArgs(path));
  assert.equal(r.code, 1, show(r));
  assert.equal(readFileSync(join(ws.dir, 'cleanup-saw'), 'utf8'), 'half-done\n', show(r));
  const ask = await runCli(ws.defer, ws.buildArgs('-on-error=ask', path));
  assert.equal(ask.code, 2, show(ask));
  assert.match(ask.stderr, /-on-error=ask needs a terminal to ask on/);
  await assertNothingLeft(suite, ws);
});
