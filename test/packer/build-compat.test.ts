// `packer build` (Debian's 1.6.6) and `azchroot build` on the same JSON template against one
// emulator in a sandbox, with -machine-readable: the rows Packer defines (artifact-count, artifact,
// error-count, error), the exit codes and the manifests agree, for a build that succeeds and one
// whose provisioner fails.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Endpoints } from '../../src/emulator/api.js';
import { createSandbox, type Sandbox } from '../helpers/netns.js';
import { deferStack, makeTempDir } from '../helpers/temp-dir.js';
import { createGallery, EMULATOR_INDEX, PACKER, startSandboxedEmulator, writeTemplate } from './packer-scenario.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const skip = process.getuid?.() !== 0 ? 'needs root' : !existsSync(PACKER) ? `${PACKER} is not installed` : !existsSync(EMULATOR_INDEX) ? 'the emulator is not built yet' : false;

interface Row { target: string; type: string; data: string[] }
interface Run { code: number | null; rows: Row[]; output: string }

/** A from_scratch build publishing `name` and gallery version `version`, with a shell-local provisioner and a manifest. */
function template(dir: string, endpoints: Endpoints, name: string, version: string, inline: string[], extra: Record<string, unknown> = {}): Promise<string> {
  return writeTemplate(dir, endpoints, {
    imageName: name, imageVersion: version, file: `${name}.json`, mountDir: `mnt-${name}`,
    extra: { provisioners: [{ type: 'shell-local', inline }], 'post-processors': [{ type: 'manifest', output: `${dir}/${name}-manifest.json` }], ...extra },
  });
}

/** A sandbox with the emulator and its gallery, and the two builds of a template in it. */
async function scene(t: { after(fn: () => unknown): void }) {
  const dir = await makeTempDir(t, 'azc-build-compat-');
  const state = `${dir}/state`;
  const sandbox = await createSandbox(t);
  const emulator = await startSandboxedEmulator(sandbox, state);
  deferStack(t)(() => emulator.stop());
  await createGallery(sandbox, emulator.endpoints);
  const e = emulator.endpoints;
  return {
    dir,
    e,
    packer: (path: string) => run(sandbox, dir, e, [PACKER, 'build', '-machine-readable', path]),
    azchroot: (path: string) => run(sandbox, dir, e, [process.execPath, join(root, 'bin/azchroot'), 'build', '-machine-readable', '--emulator', state, '--state-dir', `${dir}/journal`, path]),
  };
}

async function run(sandbox: Sandbox, dir: string, endpoints: Endpoints, argv: string[]): Promise<Run> {
  const r = await sandbox.run(['env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `HOME=${dir}`, 'CHECKPOINT_DISABLE=1', `SSL_CERT_FILE=${endpoints.caCertPath}`, ...argv], { cwd: dir, timeoutMs: 600_000 });
  const rows = r.stdout.split('\n').filter((l) => /^\d{10},/.test(l)).map((l) => {
    const [, target, type, ...data] = l.split(',');
    return { target: target!, type: type!, data };
  });
  return { code: r.code, rows, output: r.stdout + r.stderr };
}

/** The rows Packer defines for a build's result, with the resource names made comparable. */
function resultRows(r: Run, name: string): string[] {
  return r.rows
    .filter((x) => ['artifact-count', 'artifact', 'error-count', 'error'].includes(x.type))
    .map((x) => `${x.target},${x.type},${x.data.join(',')}`.replaceAll(name, 'NAME').replace(/versions\/1\.0\.\d+/gi, 'versions/V'));
}

test('build -machine-readable: artifact rows, error rows, exit codes and manifests agree with Packer 1.6.6', { skip, timeout: 1_200_000 }, async (t) => {
  const { dir, e, packer, azchroot } = await scene(t);

  // A build that succeeds.
  const p = await packer(await template(dir, e, 'okpacker', '1.0.1', ['echo provisioned']));
  const a = await azchroot(await template(dir, e, 'okazc', '1.0.2', ['echo provisioned']));
  assert.equal(p.code, 0, p.output);
  assert.equal(a.code, 0, a.output);
  assert.deepEqual(resultRows(a, 'okazc'), resultRows(p, 'okpacker'), `packer:\n${p.output}\nazchroot:\n${a.output}`);
  const manifest = (name: string) => {
    const m = JSON.parse(readFileSync(join(dir, `${name}-manifest.json`), 'utf8')) as { builds: Record<string, unknown>[] };
    return m.builds.map(({ build_time: _t, packer_run_uuid: _u, ...b }) => JSON.parse(JSON.stringify(b).replaceAll(name, 'NAME').replace(/versions\/1\.0\.\d+/gi, 'versions/V')));
  };
  assert.deepEqual(manifest('okazc'), manifest('okpacker'));

  // A build whose provisioner fails: exit 1, one error-count row, the error row names the build.
  const pf = await packer(await template(dir, e, 'failpacker', '1.0.3', ['exit 3']));
  const af = await azchroot(await template(dir, e, 'failazc', '1.0.4', ['exit 3']));
  assert.equal(pf.code, 1, pf.output);
  assert.equal(af.code, 1, af.output);
  const shape = (r: Run) => r.rows.filter((x) => x.type === 'error-count' || x.type === 'error').map((x) => `${x.target},${x.type}${x.type === 'error-count' ? `,${x.data[0]}` : ''}`);
  assert.deepEqual(shape(af), shape(pf), `packer:\n${pf.output}\nazchroot:\n${af.output}`);
  const errorOf = (r: Run) => r.rows.find((x) => x.type === 'error')?.data.join(',') ?? '';
  assert.match(errorOf(pf), /exit status: 3/);
  assert.match(errorOf(af), /exit status: 3/);
});

test('error-cleanup-provisioner after a failed provisioner (JSON, -on-error=cleanup): azchroot runs it; Packer 1.6.6 does not for azure-chroot', { skip, timeout: 1_200_000 }, async (t) => {
  // Packer 1.6.6 runs the error-cleanup-provisioner only from the provisioning step of builders with
  // a communicator; its chroot builders provision without one and never call it, although the
  // template is accepted. azchroot runs it in the still-mounted chroot, as Packer documents it.
  const { dir, e, packer, azchroot } = await scene(t);
  const cleanup = (name: string) => ({ 'error-cleanup-provisioner': { type: 'shell-local', inline: [`touch ${dir}/${name}-cleanup-ran`] } });
  const p = await packer(await template(dir, e, 'ecpacker', '1.0.5', ['exit 4'], cleanup('ecpacker')));
  const a = await azchroot(await template(dir, e, 'ecazc', '1.0.6', ['exit 4'], cleanup('ecazc')));
  assert.equal(p.code, 1, p.output);
  assert.equal(a.code, 1, a.output);
  assert.equal(existsSync(`${dir}/ecpacker-cleanup-ran`), false, `Packer 1.6.6 ran it after all: update this test and the README\n${p.output}`);
  assert.equal(existsSync(`${dir}/ecazc-cleanup-ran`), true, a.output);
  assert.match(a.output, /Provisioning step had errors: Running the cleanup provisioner/);
});
