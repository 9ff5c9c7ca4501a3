// The e2e build under the emulator's seeded "real Azure" mode: per request it answers synchronously
// or with one of ARM's polling-header patterns, with realistic (scaled) Retry-After, transient 429
// and 503, and budget headers. A from_scratch build publishing a managed image and a gallery version
// must succeed for every seed, and clean up, whatever the emulator picked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliBuild, skipReason, startE2e, testDir } from '../e2e/helpers/harness.js';
import { hclCommon, hclGallery, hclTemplate, writeIn } from '../e2e/helpers/templates.js';
import { resourcesOfType } from '../e2e/helpers/leftovers.js';
import { deferStack } from '../helpers/temp-dir.js';
import { readFileSync } from 'node:fs';
import { layout } from '../../src/emulator/state-layout.js';

const skip = skipReason();
/** Three seeds keep the layer short; each replays its own sequence of choices. */
const SEEDS = [3, 17, 2024];

/** "METHOD status" of every answer, over all seeds. */
const seen = new Set<string>();

for (const seed of SEEDS) {
  test(`real Azure mode, seed ${seed}: a from_scratch build publishes an image and a gallery version and leaves nothing behind`, { skip }, async (t) => {
    // The azure latency profile at 1/1000: a 30 s attach takes 30 ms; Retry-After scales to 0.
    const env = await startE2e([], { azureMode: 'real', seed, latency: 'azure', latencyScale: 0.001 });
    // First on the test's stack, so it runs last: after the leftover check testDir registers.
    deferStack(t)(() => env.close());
    const td = await testDir(t, env);
    const image = `${env.prefix}/images/real-${seed}`;
    const version = `1.0.${seed}`;
    const path = await writeIn(td, 'real.pkr.hcl', hclTemplate('real', `
  from_scratch    = true
  os_disk_size_gb = 1
  ${hclCommon(td)}
  pre_mount_commands = [
    "printf 'label: gpt\\\\n,,L\\\\n' | sfdisk --quiet {{.Device}}",
    "partx -u {{.Device}} || true",
    "mkfs.ext4 -q -F {{.Device}}p1",
  ]
  post_mount_commands = ["mkdir -p {{.MountPath}}/etc {{.MountPath}}/tmp"]
  chroot_mounts = [["proc", "proc", "/proc"]]
  copy_files = []
  image_resource_id = "${image}"
  ${hclGallery(env, 'quickstart', version)}`, `
  provisioner "file" {
    content     = "seed ${seed}"
    destination = "/etc/azc-seed"
  }`));
    // A separate process per build, as users run it (and no token cached from another seed's emulator).
    const res = await cliBuild(env, td, path);
    assert.equal(res.code, 0, res.output);
    assert.ok(res.stdout.includes(`Azure resources created:\n${image}\n${env.prefix}/galleries/azchroot_gallery/images/quickstart/versions/${version}`), res.stdout);
    for (const line of readFileSync(layout.requestLog(env.stateDir), 'utf8').split('\n').filter(Boolean)) {
      const e = JSON.parse(line) as { method: string; status: number; operation?: string };
      seen.add(`${e.method} ${e.status}`);
    }
    assert.equal(resourcesOfType(env.stateDir, 'disks').filter((r) => !/_OsDisk_/.test(String(r.body.name))).length, 0, 'temporary disks are gone');
    assert.equal(resourcesOfType(env.stateDir, 'snapshots').length, 0, 'temporary snapshots are gone');
  });
}

test('real Azure mode: over the seeds the builds met synchronous answers and transient 429/503, and got through them', { skip }, () => {
  assert.ok(seen.has('PUT 200') || seen.has('DELETE 200'), `a synchronous answer: ${[...seen].join(', ')}`);
  assert.ok([...seen].some((s) => / (429|503)$/.test(s)), `a transient throttle or outage: ${[...seen].join(', ')}`);
});
