// Packer 1.6.6 (Debian's packer) and azchroot run the same commands on the same JSON template, in a
// sandbox with only lo: the machine-readable rows Packer defines and the exit codes agree. Known
// differences, each documented in the README: azchroot's own text in ui rows, and its exit code 2
// for a template error in `build` (Packer: 1). Packer 1.6.6 reads IMDS when it prepares an
// azure-chroot builder, even in `validate`, so only what comes before that is compared.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createSandbox, type Sandbox } from '../helpers/netns.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { PACKER } from './packer-scenario.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const skip = process.getuid?.() !== 0 ? 'needs root' : !existsSync(PACKER) ? `${PACKER} is not installed` : false;

const IMAGE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/images';
const TEMPLATE = {
  variables: { size: '2' },
  builders: ['web', 'db'].map((name) => ({
    type: 'azure-chroot', name, from_scratch: true, os_disk_size_gb: '{{user `size`}}', pre_mount_commands: ['true'], image_resource_id: `${IMAGE}/${name}`,
  })),
  provisioners: [{ type: 'shell', inline: ['echo hi, there'] }],
};

interface Run { code: number | null; rows: { target: string; type: string; data: string[] }[]; stdout: string }

async function both(sandbox: Sandbox, dir: string, args: string[]): Promise<{ packer: Run; azchroot: Run }> {
  const run = async (argv: string[]): Promise<Run> => {
    const r = await sandbox.run(['env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', `HOME=${dir}`, 'CHECKPOINT_DISABLE=1', ...argv], { cwd: dir, timeoutMs: 120_000 });
    const rows = r.stdout.split('\n').filter((l) => /^\d{10},/.test(l)).map((l) => {
      const [, target, type, ...data] = l.split(',');
      return { target: target!, type: type!, data };
    });
    return { code: r.code, rows, stdout: r.stdout + r.stderr };
  };
  return { packer: await run([PACKER, ...args]), azchroot: await run([process.execPath, join(root, 'bin/azchroot'), ...args]) };
}

test('validate, inspect and version -machine-readable: the rows Packer defines, byte for byte apart from the time', { skip, timeout: 300_000 }, async (t) => {
  const dir = await makeTempDir(t, 'azc-compat-');
  const sandbox = await createSandbox(t);
  const template = join(dir, 't.json');
  await writeFile(template, JSON.stringify(TEMPLATE, null, 2));

  const syntax = await both(sandbox, dir, ['validate', '-machine-readable', '-syntax-only', template]);
  assert.deepEqual([syntax.azchroot.code, syntax.azchroot.rows], [syntax.packer.code, syntax.packer.rows], `${syntax.packer.stdout}\n---\n${syntax.azchroot.stdout}`);

  const inspect = await both(sandbox, dir, ['inspect', '-machine-readable', template]);
  assert.equal(inspect.azchroot.code, inspect.packer.code);
  const typed = (r: Run, type: string) => r.rows.filter((x) => x.type === type).map((x) => x.data.join(',')).sort();
  for (const type of ['template-builder', 'template-provisioner']) {
    assert.deepEqual(typed(inspect.azchroot, type), typed(inspect.packer, type), `${type} rows:\n${inspect.packer.stdout}\n---\n${inspect.azchroot.stdout}`);
  }
  assert.deepEqual(typed(inspect.azchroot, 'template-variable'), typed(inspect.packer, 'template-variable'));

  const version = await both(sandbox, dir, ['version', '-machine-readable']);
  assert.deepEqual(version.azchroot.rows.map((r) => r.type), version.packer.rows.map((r) => r.type));
  assert.deepEqual(version.azchroot.rows.slice(1, 3), version.packer.rows.slice(1, 3), 'version-prelease and version-commit rows');
});

test('validate exit codes agree on template errors found before any builder is prepared', { skip, timeout: 300_000 }, async (t) => {
  // Packer 1.6.6 prepares an azure-chroot builder by asking IMDS (its temporary resource names use
  // `vm`), which a sandbox cannot answer: only errors found before that are compared here.
  const dir = await makeTempDir(t, 'azc-compat-');
  const sandbox = await createSandbox(t);
  const unknownType = join(dir, 'unknown-type.json');
  await writeFile(unknownType, JSON.stringify({ ...TEMPLATE, provisioners: [{ type: 'no-such-provisioner' }] }, null, 2));
  const unknownRoot = join(dir, 'unknown-root.json');
  await writeFile(unknownRoot, JSON.stringify({ ...TEMPLATE, provisioner: [] }, null, 2));
  const broken = join(dir, 'broken.json');
  await writeFile(broken, '{"builders": [');
  for (const [file, what] of [[unknownType, 'an unknown provisioner type'], [unknownRoot, 'an unknown root key'], [broken, 'a JSON syntax error']] as const) {
    const r = await both(sandbox, dir, ['validate', file]);
    assert.equal(r.packer.code, 1, `${what}: packer\n${r.packer.stdout}`);
    assert.equal(r.azchroot.code, r.packer.code, `${what}: azchroot ${r.azchroot.code}\n${r.azchroot.stdout}`);
  }
});
