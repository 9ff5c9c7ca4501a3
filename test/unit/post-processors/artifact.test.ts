import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManifestPostProcessor, ShellLocalPostProcessor } from '../../../src/config/model.js';
import { artifactId, formatArtifact, type Artifact } from '../../../src/post-processors/artifact.js';
import { runPostProcessors } from '../../../src/post-processors/run-post-processors.js';
import { MemoryReporter } from '../../../src/report/reporter.js';
import { buildWith, removeTree, vm } from '../provisioners/chroot-fixture.js';

const a: Artifact = {
  builderId: 'azure.chroot',
  resources: ['/subscriptions/S/resourceGroups/RG/providers/Microsoft.Compute/images/Zed'],
  kept: ['/subscriptions/S/resourceGroups/RG/providers/Microsoft.Compute/disks/PackerTemp-osdisk-1'],
  buildData: { SourceImageName: 'img' },
};

test('artifact id: lower-cased, sorted, comma-joined; text lists resources in order', () => {
  assert.equal(artifactId(a), '/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/disks/packertemp-osdisk-1,/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/images/zed');
  assert.equal(formatArtifact(a), `Azure resources created:\n${a.resources[0]}\n${a.kept[0]}\n`);
  assert.equal(formatArtifact({ ...a, resources: [], kept: [] }), 'Azure resources created:\n');
});

function shellLocalPp(o: Partial<ShellLocalPostProcessor>): ShellLocalPostProcessor {
  return { type: 'shell-local', inlineShebang: '/bin/sh -e', environmentVars: [], env: {}, envVarFormat: "%s='%s' ", executeCommand: ['/bin/sh', '-c', '{{.Vars}} {{.Script}}'], validExitCodes: [0], ...o };
}

test('chains run in order, members in sequence; shell-local sees the artifact id and build data', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'azchroot-test-pp-'));
  try {
    const output = join(dir, 'm.json');
    const log = join(dir, 'log');
    const reporter = new MemoryReporter();
    const chains = [
      [shellLocalPp({ inline: [`echo "one $AZCHROOT_ARTIFACT_ID" >> ${log}`] }), { type: 'manifest', output, stripPath: false, stripTime: true } as ManifestPostProcessor],
      [shellLocalPp({ inline: [`test -f ${output} && echo "two {{ build \`SourceImageName\` }} $PACKER_BUILD_NAME" >> ${log}`] })],
    ];
    const results = await runPostProcessors(chains, a, { build: buildWith([]), reporter, vm, signal: new AbortController().signal });
    assert.equal(results.length, 2);
    assert.equal(await readFile(log, 'utf8'), `one ${artifactId(a)}\ntwo img example\n`);
    assert.deepEqual(reporter.lines.filter((l) => l.message.startsWith('Running post-processor')).map((l) => l.message),
      ['Running post-processor: shell-local', 'Running post-processor: manifest', 'Running post-processor: shell-local']);
  } finally {
    await removeTree(dir);
  }
});

test('a failing shell-local post-processor stops its chain with the exit-code message', async () => {
  const reporter = new MemoryReporter();
  await assert.rejects(
    runPostProcessors([[shellLocalPp({ inline: ['exit 7'] })]], a, { build: buildWith([]), reporter, vm, signal: new AbortController().signal }),
    /Script exited with non-zero exit status: 7\. Allowed exit codes are: \[0\]/,
  );
});
