// Automatic LVM detection end to end: a platform image whose root is an LV in VG azcvg (plus a swap
// LV and a /boot partition named in fstab) is built WITHOUT lvm_root_device; then again while the host
// has an active VG of the same name. Needs device-mapper; skipped with the reason otherwise.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { addImageCommand, exportCommand } from '../../src/cli/commands/emulator-files.js';
import { cliBuild, imageId, skipReason, startE2e, testDir, type E2eEnv } from '../e2e/helpers/harness.js';
import { hclCommon, hclTemplate, writeIn } from '../e2e/helpers/templates.js';
import { inspectLvmExport, lvmSkipReason, makeHostVg, makeLvmImage } from './lvm-image.js';

const skip = skipReason() ?? lvmSkipReason();
const VG = 'azcvg';
const URN = 'azc:lvm:root:1.0.0';
let env: E2eEnv;

const vgNames = (): string[] => execFileSync('vgs', ['--noheadings', '-o', 'vg_name'], { encoding: 'utf8' }).split('\n').map((s) => s.trim()).filter(Boolean);

before(async () => {
  if (skip) return;
  env = await startE2e([]);
  const file = makeLvmImage(join(env.dir, 'lvm-base.raw'), env.dir, VG);
  await addImageCommand({ state: env.stateDir, urn: URN, file });
});
after(async () => {
  await env?.close();
  if (!skip) assert.deepEqual(vgNames().filter((v) => v.startsWith(VG) || v.startsWith('azcinspect')), [], 'no test VG is left');
});

async function buildAndCheck(t: Parameters<typeof testDir>[0], name: string): Promise<string> {
  const td = await testDir(t, env);
  const image = imageId(env, name);
  const path = await writeIn(td, `${name}.pkr.hcl`, hclTemplate(name, `
  source = "${URN}"
  ${hclCommon(td)}
  image_resource_id = "${image}"`, `
  provisioner "shell" { inline = ["echo etc > /etc/azc-etc", "echo kernel > /boot/azc-kernel"] }`));
  const res = await cliBuild(env, td, path);
  assert.equal(res.code, 0, res.output);
  assert.match(res.output, /mounting logical volume \/dev\/\S+\/root as the root file system/);
  const raw = join(td.dir, 'out.raw');
  await exportCommand({ state: env.stateDir, resourceId: image, file: raw, format: 'raw' });
  const seen = inspectLvmExport(raw, join(td.dir, 'inspect'), ['etc/azc-etc', 'boot/azc-kernel'], ['azc-kernel', 'azc-boot-marker']);
  assert.equal(seen.vgOnDisk, VG, "the image's volume group keeps its name");
  assert.deepEqual(seen.root, ['etc\n', undefined], '/etc on the root LV; /boot not shadowed on it');
  assert.deepEqual(seen.boot, ['kernel\n', 'lvm\n'], '/boot writes land on the boot partition');
  return res.output;
}

test('LVM root detected without lvm_root_device: root LV (not swap) mounted, /boot from fstab', { skip }, async (t) => {
  await buildAndCheck(t, 'lvm-auto');
});

test('host already has an active VG of the same name: the build imports under a temporary name and renames back', { skip }, async (t) => {
  const undo = makeHostVg(join(env.dir, 'host-vg.raw'), VG);
  t.after(undo);
  const output = await buildAndCheck(t, 'lvm-clash');
  assert.match(output, new RegExp(`the host already has a volume group named ${VG}: importing the image's as ${VG}-azc`));
  const lvs = execFileSync('lvs', ['--noheadings', '-o', 'vg_name,lv_name,lv_active'], { encoding: 'utf8' });
  assert.match(lvs, new RegExp(`${VG}\\s+hostlv\\s+active`), 'the host VG is untouched and still active');
  assert.deepEqual(vgNames().filter((v) => v.includes('-azc')), [], 'no temporary VG is left');
});
