// Several builds of one template, as Packer runs them: all at once by default (-parallel-builds=N
// limits them), each to its end whatever the others do, lines prefixed with the build's name, exit
// 1 with a summary of the failed ones, and the artifacts of the others still printed.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliBuild, imageId, skipReason, startE2e, testDir, type E2eEnv, type TestDir } from './helpers/harness.js';
import { withMountedExport } from './helpers/mounted-export.js';
import { hclCommon, writeIn } from './helpers/templates.js';

const skip = skipReason();
let env: E2eEnv;

before(async () => {
  if (!skip) env = await startE2e();
});
after(async () => {
  await env?.close();
});

/** Three sources from the latest Debian image; the provisioner fails in the build named `failing`. */
function template(td: TestDir, tag: string, failing?: string): Promise<string> {
  const names = ['one', 'two', 'three'];
  const sources = names.map((n) => `source "azure-chroot" "${n}" {
  source            = "credativ:Debian:9:latest"
  image_resource_id = "${imageId(env, `par-${tag}-${n}`)}"
  ${hclCommon(td)}
}`).join('\n');
  const build = `build {
  sources = [${names.map((n) => `"source.azure-chroot.${n}"`).join(', ')}]
  provisioner "shell" {
    inline = ["echo built-by-\${source.name} > /etc/azc-build", "test \${source.name} != ${failing ?? 'none'} || { echo failing on purpose; exit 7; }"]
  }
}`;
  return writeIn(td, `par-${tag}.pkr.hcl`, `${sources}\n${build}\n`);
}

test('three builds run at once; every line names its build; each image holds its own build', { skip }, async (t) => {
  const td = await testDir(t, env);
  const res = await cliBuild(env, td, await template(td, 'all'));
  assert.equal(res.code, 0, res.output);
  for (const n of ['one', 'two', 'three']) {
    assert.match(res.output, new RegExp(`azure-chroot\\.${n}: \\[attach-disk\\] `), `${n}: its step lines carry its name`);
    assert.match(res.stdout, new RegExp(`--> azure-chroot\\.${n}: `), `${n}: its artifact is printed`);
    const image = imageId(env, `par-all-${n}`);
    td.defer(() => env.azure.images.delete(image));
    await withMountedExport(env.stateDir, image, td.dir, async (m) => {
      assert.equal(await m.text('etc/azc-build'), `built-by-${n}\n`);
    });
  }
  // They overlapped: every build attached its disk before the first one detached its own.
  const events = [...res.output.matchAll(/azure-chroot\.(\w+): \[[a-z-]+\] (attaching|detaching) disk /g)].map((m) => `${m[2]} ${m[1]}`);
  assert.equal(events.length, 6, res.output);
  assert.deepEqual(events.slice(0, 3).map((e) => e.split(' ')[0]), ['attaching', 'attaching', 'attaching'], events.join('\n'));
});

test('a failing build does not stop the others: they finish and print their artifacts, exit 1 names the failed one', { skip }, async (t) => {
  const td = await testDir(t, env);
  const res = await cliBuild(env, td, await template(td, 'fail', 'two'), ['-parallel-builds=2']);
  assert.equal(res.code, 1, res.output);
  for (const n of ['one', 'three']) {
    assert.match(res.stdout, new RegExp(`--> azure-chroot\\.${n}: `), `${n} finished: ${res.output}`);
    const image = imageId(env, `par-fail-${n}`);
    td.defer(() => env.azure.images.delete(image));
    assert.ok(await env.azure.images.get(image), `${n} published its image`);
  }
  assert.equal(await env.azure.images.get(imageId(env, 'par-fail-two')), undefined, 'the failed build published nothing');
  assert.match(res.stderr, /==> Some builds didn't complete successfully and had errors:\n--> azure-chroot\.two:\n {4}Error: .*exit status: 7/);
  assert.match(res.stderr, /1 of 3 builds failed: azure-chroot\.two\n$/);
  assert.match(res.output, /azure-chroot\.two: \[shell\] failing on purpose/);
});

test('-parallel-builds=1 runs the builds one after another, still all of them', { skip }, async (t) => {
  const td = await testDir(t, env);
  const res = await cliBuild(env, td, await template(td, 'serial', 'one'), ['-parallel-builds=1']);
  assert.equal(res.code, 1, res.output);
  const order = [...res.output.matchAll(/azure-chroot\.(\w+): \[(preflight)\] /g)].map((m) => m[1]);
  assert.deepEqual([...new Set(order)], ['one', 'two', 'three'], res.output);
  // Build by build: the next one starts after the previous one's last cleanup line.
  const starts = ['two', 'three'].map((n) => res.stdout.indexOf(`Z azure-chroot.${n}: [preflight]`));
  const ends = ['one', 'two'].map((n) => res.stdout.lastIndexOf(`Z azure-chroot.${n}: `));
  assert.ok(starts[0]! > ends[0]! && starts[1]! > ends[1]!, res.output);
  for (const n of ['two', 'three']) td.defer(() => env.azure.images.delete(imageId(env, `par-serial-${n}`)));
  assert.match(res.stderr, /1 of 3 builds failed: azure-chroot\.one\n$/);
});

test("-machine-readable writes Packer's rows: ui lines, a row as each build ends, error-count, error and artifact rows", { skip }, async (t) => {
  const td = await testDir(t, env);
  const res = await cliBuild(env, td, await template(td, 'mr', 'three'), ['-machine-readable']);
  assert.equal(res.code, 1, res.output);
  const rows = res.stdout.trimEnd().split('\n').map((line) => {
    assert.match(line, /^\d{10},[^,]*,[a-z-]+(,|$)/, `a Packer row: ${line}`);
    const [, target, type, ...data] = line.split(',');
    return { target: target!, type: type!, data };
  });
  const ui = (kind: string) => rows.filter((r) => r.type === 'ui' && r.data[0] === kind).map((r) => r.data.slice(1).join(','));
  assert.ok(ui('say').some((d) => d.startsWith('==> azure-chroot.one: Attach the OS disk')), 'step lines are ui,say rows named after their build');
  assert.ok(ui('message').includes('    azure-chroot.three: failing on purpose'), 'command output is ui,message rows');
  assert.ok(ui('say').some((d) => /^Build 'azure-chroot\.one' finished after \d+ (second|millisecond)/.test(d)));
  assert.ok(ui('error').some((d) => /^Build 'azure-chroot\.three' errored after .*: provisioner 1 of 1 \(shell\) failed: Script exited with non-zero exit status: 7/.test(d)));
  assert.deepEqual(rows.filter((r) => r.type === 'error-count').map((r) => r.data), [['1']]);
  assert.deepEqual(rows.filter((r) => r.type === 'error').map((r) => r.target), ['azure-chroot.three']);
  for (const n of ['one', 'two']) {
    const image = imageId(env, `par-mr-${n}`);
    td.defer(() => env.azure.images.delete(image));
    const mine = rows.filter((r) => r.target === `azure-chroot.${n}`).map((r) => `${r.type},${r.data.join(',')}`);
    assert.deepEqual(mine, [
      'artifact-count,1',
      'artifact,0,builder-id,azure.chroot',
      `artifact,0,id,${image.toLowerCase()}`,
      `artifact,0,string,Azure resources created:\\n${image.toLowerCase()}\\n`,
      'artifact,0,files-count,0',
      'artifact,0,end',
    ]);
  }
});

test('--json: every event names its build; a failed build ends with an error event carrying its code', { skip }, async (t) => {
  const td = await testDir(t, env);
  const res = await cliBuild(env, td, await template(td, 'json', 'one'), ['--json']);
  assert.equal(res.code, 1, res.output);
  const events = res.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const steps = events.filter((e) => typeof e.step === 'string');
  assert.ok(steps.length > 20 && steps.every((e) => typeof e.build === 'string' && /^azure-chroot\.(one|two|three)$/.test(e.build as string)), 'step events carry the build');
  const errors = events.filter((e) => e.level === 'error' && e.code);
  assert.deepEqual(errors.map((e) => [e.build, e.code]), [['azure-chroot.one', 'AZC_COMMAND']]);
  assert.match(errors[0]!.message as string, /exit status: 7/);
  for (const n of ['two', 'three']) td.defer(() => env.azure.images.delete(imageId(env, `par-json-${n}`)));
});
