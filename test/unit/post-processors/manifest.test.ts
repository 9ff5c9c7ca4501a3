import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AzchrootError } from '../../../src/errors.js';
import type { ManifestPostProcessor } from '../../../src/config/model.js';
import type { Artifact } from '../../../src/post-processors/artifact.js';
import { runPostProcessors } from '../../../src/post-processors/run-post-processors.js';
import { MemoryReporter } from '../../../src/report/reporter.js';
import { buildWith, removeTree, runtime, vm } from '../provisioners/chroot-fixture.js';

const IMAGE = '/subscriptions/SUB-1/resourceGroups/RG/providers/Microsoft.Compute/images/MyImage';
const VERSION = '/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0';
const artifact: Artifact = { builderId: 'azure.chroot', resources: [VERSION, IMAGE], kept: [], buildData: { SourceImageName: 'src-img' } };
const NOW = new Date('2026-11-21T23:30:00Z');

async function inDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'azchroot-test-manifest-'));
  try {
    await fn(dir);
  } finally {
    await removeTree(dir);
  }
}

function manifest(o: Partial<ManifestPostProcessor>): ManifestPostProcessor {
  return { type: 'manifest', output: 'packer-manifest.json', stripPath: false, stripTime: false, ...o };
}

async function runManifestPp(pp: ManifestPostProcessor, o: { force?: boolean; runUuid?: string } = {}): Promise<MemoryReporter> {
  const reporter = new MemoryReporter();
  const build = buildWith([]);
  build.templateContext = { ...runtime, runUuid: o.runUuid ?? runtime.runUuid };
  await runPostProcessors([[pp]], artifact, { build, reporter, vm, signal: new AbortController().signal, force: o.force, now: () => NOW });
  return reporter;
}

test('the manifest has Packer\'s exact format: keys, order, 2-space indent, no trailing newline, mode 0664', () => inDir(async (dir) => {
  const output = join(dir, 'm.json');
  await runManifestPp(manifest({ output, customData: { src: '{{ build `SourceImageName` }}', a: 'x<y', vmname: '{{ vm `name` }}' } }));
  const text = await readFile(output, 'utf8');
  const expected = {
    builds: [{
      name: 'example',
      builder_type: 'azure-chroot',
      build_time: 1795303800,
      files: null,
      artifact_id: `${VERSION.toLowerCase()},${IMAGE.toLowerCase()}`,
      packer_run_uuid: runtime.runUuid,
      custom_data: { a: 'x<y', src: 'src-img', vmname: 'builder-vm' },
    }],
    last_run_uuid: runtime.runUuid,
  };
  assert.deepEqual(JSON.parse(text), expected);
  // Key order and formatting as Go writes them (Go escapes "<" as \u003c).
  assert.equal(text, JSON.stringify(expected, null, 2).replace('x<y', 'x\\u003cy'));
  assert.deepEqual(Object.keys(JSON.parse(text).builds[0]), ['name', 'builder_type', 'build_time', 'files', 'artifact_id', 'packer_run_uuid', 'custom_data']);
  assert.equal((await stat(output)).mode & 0o777, 0o664);
}));

test('strip_time omits build_time; custom_data is null when unset', () => inDir(async (dir) => {
  const output = join(dir, 'm.json');
  await runManifestPp(manifest({ output, stripTime: true }));
  const entry = JSON.parse(await readFile(output, 'utf8')).builds[0];
  assert.deepEqual(Object.keys(entry), ['name', 'builder_type', 'files', 'artifact_id', 'packer_run_uuid', 'custom_data']);
  assert.equal(entry.custom_data, null);
}));

test('a later run appends and updates last_run_uuid; older entries are kept in Packer\'s shape', () => inDir(async (dir) => {
  const output = join(dir, 'm.json');
  await writeFile(output, JSON.stringify({
    builds: [{ custom_data: null, name: 'old', builder_type: 'null', build_time: 1, files: [{ name: 'out/f.txt', size: 5 }], artifact_id: 'Null', packer_run_uuid: 'old-run', extra: true }],
    last_run_uuid: 'old-run',
  }));
  await runManifestPp(manifest({ output }), { runUuid: 'new-run' });
  const m = JSON.parse(await readFile(output, 'utf8'));
  assert.equal(m.last_run_uuid, 'new-run');
  assert.equal(m.builds.length, 2);
  assert.deepEqual(m.builds[0], { name: 'old', builder_type: 'null', build_time: 1, files: [{ name: 'out/f.txt', size: 5 }], artifact_id: 'Null', packer_run_uuid: 'old-run', custom_data: null });
  assert.equal(m.builds[1].packer_run_uuid, 'new-run');
  // The lock file is gone.
  await assert.rejects(stat(`${output}.lock`));
}));

test('-force starts afresh when the manifest belongs to another run, but not for the same run', () => inDir(async (dir) => {
  const output = join(dir, 'm.json');
  await runManifestPp(manifest({ output }), { runUuid: 'run-1' });
  await runManifestPp(manifest({ output }), { runUuid: 'run-1', force: true });
  assert.equal(JSON.parse(await readFile(output, 'utf8')).builds.length, 2);
  await runManifestPp(manifest({ output }), { runUuid: 'run-2', force: true });
  const m = JSON.parse(await readFile(output, 'utf8'));
  assert.equal(m.builds.length, 1);
  assert.equal(m.last_run_uuid, 'run-2');
}));

test('the context\'s runUuid, when given, is the run id written', () => inDir(async (dir) => {
  const output = join(dir, 'm.json');
  const build = buildWith([]);
  await runPostProcessors([[manifest({ output })]], artifact, { build, reporter: new MemoryReporter(), vm, signal: new AbortController().signal, runUuid: 'ctx-run', now: () => NOW });
  const m = JSON.parse(await readFile(output, 'utf8'));
  assert.equal(m.last_run_uuid, 'ctx-run');
  assert.equal(m.builds[0].packer_run_uuid, 'ctx-run');
}));

test('an unparsable manifest is an error naming the file', () => inDir(async (dir) => {
  const output = join(dir, 'm.json');
  await writeFile(output, '{ not json');
  await assert.rejects(runManifestPp(manifest({ output })), (e: unknown) => AzchrootError.is(e) && e.code === 'AZC_MANIFEST_PARSE' && e.message.includes(output));
}));
