// Side-by-side wall time of `packer build` and `azchroot build` on the same from_scratch template,
// both against one emulator inside one sandbox. See bench/packer-emulator.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openSandbox } from '../dist/test/helpers/netns.js';
import { createGallery, EMULATOR_INDEX, PACKER, runPacker, startSandboxedEmulator, writeTemplate } from '../dist/test/packer/packer-scenario.js';

const runs = Number(process.argv[2] ?? 1);
const fail = (message) => {
  console.error(message);
  process.exit(1);
};
if (process.getuid?.() !== 0) fail('bench/packer-emulator needs root (network namespaces, loop devices, mounts)');
if (!existsSync(PACKER)) fail(`${PACKER} is not installed: apt-get install packer`);
if (!existsSync(EMULATOR_INDEX)) fail('the emulator (dist/src/emulator/index.js) is not built yet');

const azchroot = resolve('bin/azchroot');
const help = spawnSync(process.execPath, [azchroot, 'build', '--help'], { encoding: 'utf8' });
const haveAzchroot = help.status === 0 && /--emulator/.test(help.stdout + help.stderr);
let azchrootFailure;

const dir = mkdtempSync(join(tmpdir(), 'azc-bench-'));
const state = join(dir, 'state');
const sandbox = await openSandbox();
let emulator;
// Ctrl-C must not leave the namespace, loop devices or the emulator behind.
process.once('SIGINT', async () => {
  await emulator?.stop().catch(() => undefined);
  await sandbox.teardown().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
  process.exit(130);
});
const times = { packer: [], azchroot: [] };
try {
  emulator = await startSandboxedEmulator(sandbox, state);
  await createGallery(sandbox, emulator.endpoints);
  for (let i = 0; i < runs; i++) {
    const packerTemplate = await writeTemplate(dir, emulator.endpoints, { imageName: `packer-img-${i}`, imageVersion: `1.0.${2 * i}`, file: `packer-${i}.json` });
    const p = await runPacker(sandbox, dir, packerTemplate, emulator.endpoints);
    if (p.code !== 0) throw new Error(`packer build failed (exit ${p.code}):\n${p.output}`);
    times.packer.push(p.wallMs);
    if (!haveAzchroot || azchrootFailure) continue;
    const ourTemplate = await writeTemplate(dir, emulator.endpoints, { imageName: `azchroot-img-${i}`, imageVersion: `1.0.${2 * i + 1}`, file: `azchroot-${i}.json` });
    const started = process.hrtime.bigint();
    const a = await sandbox.run([process.execPath, azchroot, 'build', '--emulator', state, '--state-dir', join(dir, 'journal'), ourTemplate], { cwd: dir, timeoutMs: 600_000 });
    if (a.code !== 0) azchrootFailure = `azchroot build failed (exit ${a.code}):\n${a.stdout}${a.stderr}`;
    else times.azchroot.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
} catch (err) {
  // Reported after cleanup; process.exit here would skip the finally block and leak the sandbox.
  console.error(err.message);
  process.exitCode = 1;
} finally {
  await emulator?.stop().catch((err) => console.error(`emulator stop: ${err.message}`));
  await sandbox.teardown().catch((err) => console.error(`sandbox teardown: ${err.message}`));
  rmSync(dir, { recursive: true, force: true });
}

if (process.exitCode) process.exit();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(`from_scratch build against the emulator, ${runs} run(s), median wall time:`);
console.log(`  packer build (Debian 1.6.6)  ${fmt(median(times.packer))}`);
if (azchrootFailure) {
  console.log('  azchroot build               not measured: it failed (below)');
  console.error(azchrootFailure);
} else if (haveAzchroot) {
  console.log(`  azchroot build               ${fmt(median(times.azchroot))}   (ratio azchroot/packer ${(median(times.azchroot) / median(times.packer)).toFixed(2)})`);
} else {
  console.log('  azchroot build               not measured: `azchroot build --emulator` is not available yet');
}
