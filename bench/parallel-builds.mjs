// See bench/parallel-builds: one three-builder template, built by Packer 1.6.6 and by azchroot
// against one emulator with Azure's latencies (scaled), in one sandbox.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSandbox } from '../dist/test/helpers/netns.js';
import { createGallery, EMULATOR_INDEX, GALLERY, groupPrefix, IMAGE_DEFINITION, PACKER, runPacker, startSandboxedEmulator } from '../dist/test/packer/packer-scenario.js';

const scale = Number(process.argv[2] ?? 0.05);
const fail = (message) => {
  console.error(message);
  process.exit(1);
};
if (process.getuid?.() !== 0) fail('bench/parallel-builds needs root (network namespaces, loop devices, mounts)');
if (!existsSync(PACKER)) fail(`${PACKER} is not installed: apt-get install packer`);
if (!existsSync(EMULATOR_INDEX)) fail('the emulator (dist/src/emulator/index.js) is not built yet');
if (!(scale > 0)) fail('the latency scale must be a positive number');

/** A JSON template with builders a, b and c: from_scratch, a managed image and a gallery version each. */
function template(dir, endpoints, tag, versionBase) {
  const builders = ['a', 'b', 'c'].map((name, i) => ({
    type: 'azure-chroot',
    name,
    from_scratch: true,
    os_disk_size_gb: 1,
    os_disk_storage_account_type: 'Standard_LRS',
    pre_mount_commands: ["printf 'label: dos\\n,,L\\n' | sfdisk -q {{.Device}}", 'partx -u {{.Device}} || true', 'mkfs.ext4 -q -F {{.Device}}p1'],
    mount_partition: 'p1',
    mount_path: `${dir}/mnt-${tag}/{{.Device}}`,
    chroot_mounts: [['proc', 'proc', '/proc']],
    image_resource_id: `${groupPrefix(endpoints)}/images/${tag}-${name}`,
    shared_image_destination: {
      resource_group: endpoints.resourceGroup,
      gallery_name: GALLERY,
      image_name: IMAGE_DEFINITION,
      image_version: `1.${versionBase}.${i}`,
      target_regions: [{ name: endpoints.location, replicas: 1, storage_account_type: 'Standard_LRS' }],
    },
  }));
  mkdirSync(`${dir}/mnt-${tag}`, { recursive: true });
  const path = join(dir, `${tag}.json`);
  writeFileSync(path, JSON.stringify({ builders }, null, 2));
  return path;
}

const dir = mkdtempSync(join(tmpdir(), 'azc-bench-par-'));
const state = join(dir, 'state');
const sandbox = await openSandbox();
let emulator;
process.once('SIGINT', async () => {
  await emulator?.stop().catch(() => undefined);
  await sandbox.teardown().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
  process.exit(130);
});
const result = {};
try {
  emulator = await startSandboxedEmulator(sandbox, state, { latency: 'azure', latencyScale: scale });
  await createGallery(sandbox, emulator.endpoints);
  const p = await runPacker(sandbox, dir, template(dir, emulator.endpoints, 'packer', 1), emulator.endpoints);
  result.packer = { ms: p.wallMs, code: p.code, failed: [...p.output.matchAll(/^--> (\w+): (.*)$/gm)].filter((m) => !/Azure resources created/.test(m[2])).map((m) => `${m[1]}: ${m[2]}`) };
  const started = process.hrtime.bigint();
  const a = await sandbox.run([process.execPath, resolve('bin/azchroot'), 'build', '-color=false', '--emulator', state, '--state-dir', join(dir, 'journal'), template(dir, emulator.endpoints, 'azchroot', 2)], { cwd: dir, timeoutMs: 1_800_000 });
  result.azchroot = { ms: Number(process.hrtime.bigint() - started) / 1e6, code: a.code, failed: a.code === 0 ? [] : [a.stderr.trim().split('\n').at(-1)] };
} catch (err) {
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await emulator?.stop().catch((err) => console.error(`emulator stop: ${err.message}`));
  await sandbox.teardown().catch((err) => console.error(`sandbox teardown: ${err.message}`));
  rmSync(dir, { recursive: true, force: true });
}
if (result.packer && result.azchroot) {
  const line = (name, r) => `${name.padEnd(9)} ${(r.ms / 1000).toFixed(1).padStart(7)} s  exit ${r.code}${r.failed.length ? `  failed: ${r.failed.join('; ')}` : ''}`;
  console.log(`three parallel from_scratch builds, emulator latency profile azure x${scale}`);
  console.log(line('packer', result.packer));
  console.log(line('azchroot', result.azchroot));
  console.log(`azchroot / packer: ${(result.azchroot.ms / result.packer.ms).toFixed(2)}${result.packer.code !== 0 ? ' (Packer failed: the ratio compares unequal work)' : ''}`);
}
