// Every problem of a template in one `validate`, in reading order: an unset variable, an unknown
// source or an undeclared reference does not hide the unknown options and wrong types next to it,
// and nothing is reported that only echoes another error.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from '../../../src/diagnostics.js';
import type { LoadOptions } from '../../../src/template/model.js';
import { validate } from '../../../src/validate.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const IMAGE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/images';

async function check(t: { after(fn: () => unknown): void }, name: string, text: string, options: LoadOptions = {}): Promise<string[]> {
  const dir = await makeTempDir(t, 'azc-at-once-');
  const file = join(dir, name);
  await writeFile(file, text);
  const { diagnostics } = await validate(file, { cwd: dir, ...options });
  return diagnostics.map((d: Diagnostic) => `${d.pos?.line ?? '-'} ${d.severity} ${d.code} ${d.path ?? '-'}`);
}

const HCL = [
  'variable "req" { type = string }', // 1
  'locals { l = "${var.req}-img" }', // 2
  'source "azure-chroot" "a" {', // 3
  '  from_scratch      = true', // 4
  '  os_disk_size_gb   = "big"', // 5
  `  image_resource_id = "${IMAGE}/\${local.l}"`, // 6
  '  subscription_id   = var.nam', // 7
  '  bogus_key         = 1', // 8
  '}', // 9
  'build {', // 10
  '  sources = ["source.azure-chroot.a", "source.azure-chroot.b"]', // 11
  '  provisioner "shell" { inline = ["echo ${var.nope}", "echo ${local.zz}"] }', // 12
  '  provisioner "shell" { inlin = ["x"] }', // 13
  '}', // 14
  '',
].join('\n');

const ALL_BUT_THE_VARIABLE = [
  '5 error AZC_SCHEMA_TYPE source.azure-chroot.a.os_disk_size_gb',
  '7 error AZC_TPL_EXPRESSION source.azure-chroot.a.subscription_id',
  '8 error AZC_SCHEMA_UNKNOWN_KEY source.azure-chroot.a.bogus_key',
  '11 error AZC_TPL_SOURCE_UNKNOWN build.sources[1]',
  '12 error AZC_TPL_EXPRESSION build.provisioner[0].inline[0]',
  '12 error AZC_TPL_EXPRESSION build.provisioner[0].inline[1]',
  '13 error AZC_SCHEMA_UNKNOWN_KEY build.provisioner[1].inlin',
];

test('HCL2: an unset variable, undeclared references and an unknown source do not hide the rest; sorted by line', async (t) => {
  assert.deepEqual(await check(t, 't.pkr.hcl', HCL), ['1 error AZC_TPL_VAR_UNSET variable.req', ...ALL_BUT_THE_VARIABLE]);
});

test('HCL2: once the variable is set, the same findings remain, and nothing new appears but what the variable hid', async (t) => {
  assert.deepEqual(await check(t, 't.pkr.hcl', HCL, { vars: [['req', 'x']] }), ALL_BUT_THE_VARIABLE);
});

test('HCL2: a cross-field rule waits while a value it depends on failed (no "required" echo of a failed attribute)', async (t) => {
  const text = [
    'variable "size" { type = number }',
    'source "azure-chroot" "a" {',
    '  from_scratch       = true',
    '  os_disk_size_gb    = var.size',
    '  pre_mount_commands = ["true"]',
    `  image_resource_id  = "${IMAGE}/i"`,
    '}',
    'build { sources = ["source.azure-chroot.a"] }',
    '',
  ].join('\n');
  assert.deepEqual(await check(t, 't.pkr.hcl', text), ['1 error AZC_TPL_VAR_UNSET variable.size']);
  // And the rule is real: without the attribute it fires.
  assert.deepEqual(await check(t, 't.pkr.hcl', text.replace('  os_disk_size_gb    = var.size\n', '').replace('variable "size" { type = number }\n', '')), [
    '2 error AZC_CONFIG_REQUIRED source.azure-chroot.a.from_scratch',
  ]);
});

test('JSON: an unset required variable does not hide an unknown option; a value that may be "" only because of it is not judged', async (t) => {
  const text = JSON.stringify({
    variables: { cache: null },
    builders: [{ type: 'azure-chroot', source: 'credativ:Debian:9:latest', image_resource_id: `${IMAGE}/i`, os_disk_cache_type: '{{user `cache`}}', bogus: 1 }],
  }, null, 2);
  assert.deepEqual(await check(t, 't.json', text), [
    '3 error AZC_TPL_VAR_UNSET variables.cache',
    '11 error AZC_SCHEMA_UNKNOWN_KEY builders[0].bogus',
  ]);
  assert.deepEqual(await check(t, 't.json', text, { vars: [['cache', 'Sometimes']] }), [
    '10 error AZC_SCHEMA_ENUM builders[0].os_disk_cache_type',
    '11 error AZC_SCHEMA_UNKNOWN_KEY builders[0].bogus',
  ]);
});
