// Template errors found when `build` runs: exit code 2, diagnostics with file:line:column, and
// nothing created in Azure (no write request reaches the emulator, no journal, no disk).

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, show } from './helpers/cli.js';
import { skipReason } from './helpers/host.js';
import { assertNothingLeft, temporaryDisksAndSnapshots } from './helpers/leftovers.js';
import { markRequests } from './helpers/request-log.js';
import { useSuite, workspace } from './helpers/suite.js';
import { scratchTemplate, shellProvisioner } from './helpers/template.js';

const skip = skipReason();
const suite = useSuite(skip);

/** Requests that could change something (anything but GET). */
async function writes(requests: () => Promise<{ method: string; path: string }[]>): Promise<string[]> {
  return (await requests()).filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
}

test('errors found when loading (misspelled option; undefined variable) exit 2 with file:line and create nothing', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const base = scratchTemplate({ mountRoot: ws.mountRoot, imageName: 'never', provisioners: shellProvisioner(['true']) });
  const cases = [
    { name: 'typo', text: base.replace('  os_disk_size_gb              = 1\n', '  os_disk_size_gb              = 1\n  os_disk_cache_typ            = "ReadOnly"\n'), marker: 'os_disk_cache_typ', expect: /error\[AZC_SCHEMA_UNKNOWN_KEY\]: unknown option "os_disk_cache_typ"[^\n]*\n\s+did you mean "os_disk_cache_type"\?/ },
    { name: 'undefined-var', text: base.replace('  mount_partition = "1"\n', '  mount_partition = var.partition\n'), marker: 'var.partition', expect: /error\[AZC_TPL_EXPRESSION\]: .*\n\s+.*"partition"/ },
  ];
  const requests = await markRequests(suite.state);
  for (const c of cases) {
    const path = join(ws.dir, `${c.name}.pkr.hcl`);
    await writeFile(path, c.text);
    const line = c.text.split('\n').findIndex((l) => l.includes(c.marker)) + 1;

    const r = await runCli(ws.defer, ws.buildArgs(path));

    assert.equal(r.code, 2, `${c.name}: ${show(r)}`);
    assert.match(r.stderr, new RegExp(`^${path.replace(/[.]/g, '\\.')}:${line}:\\d+: `, 'm'), `${c.name}: file:line:column: ${show(r)}`);
    assert.match(r.stderr, c.expect, `${c.name}: ${show(r)}`);
    assert.match(r.stderr, /1 error\(s\)/);
    assert.doesNotMatch(r.stdout, /creating disk/);
  }
  // At most the VM's metadata is read (the typo is found when the config is resolved).
  assert.deepEqual(await writes(requests), [], 'no write request reaches the emulator');
  assert.equal(existsSync(join(ws.journalState, 'journal')), false, 'no build journal is started');
  await assertNothingLeft(suite, ws);
});

test('an error found after reading the VM (unknown vm metadata key) exits 2 before anything is created', { skip }, async (t) => {
  const ws = await workspace(t, suite);
  const text = scratchTemplate({ mountRoot: ws.mountRoot, imageName: 'img-{{vm `rack_number`}}', provisioners: shellProvisioner(['true']) });
  const path = join(ws.dir, 'unknown-key.pkr.hcl');
  await writeFile(path, text);
  const requests = await markRequests(suite.state);

  const r = await runCli(ws.defer, ws.buildArgs(path));

  assert.equal(r.code, 2, show(r));
  const line = text.split('\n').findIndex((l) => l.includes('image_resource_id')) + 1;
  assert.match(r.stderr, new RegExp(`^${path.replace(/[.]/g, '\\.')}:${line}:\\d+: error\\[AZC_TEMPLATE_RENDER\\]: image_resource_id: .*unknown metadata key: rack_number \\(supported: name, `, 'm'), show(r));
  assert.match(r.stderr, /1 error\(s\)/);
  assert.deepEqual(await writes(requests), [], 'no write request reaches the emulator');
  assert.deepEqual(await temporaryDisksAndSnapshots(suite.state), []);
  assert.equal(existsSync(join(ws.journalState, 'journal')), false, 'no build journal is started');
  await assertNothingLeft(suite, ws);
});
