// The boot_test block: off without it, on with the defaults for `boot_test {}` (HCL) or `{}` (JSON),
// and a clear message per bad field.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveBuild } from '../../../src/config/resolve.js';
import { DEFAULT_BOOT_EXPECT, firmwareForGeneration } from '../../../src/config/boot-options.js';
import { BASE_BUILDER, OPTIONS, rawBuild, template } from '../config/fixtures.js';

function resolve(builder: Record<string, unknown>, kind: 'hcl2' | 'json' = 'hcl2') {
  const build = rawBuild(builder);
  return resolveBuild(build, template([build], { kind }), OPTIONS);
}

test('boot_test: off unless the block is present', () => {
  const { config, diagnostics } = resolve(BASE_BUILDER);
  assert.deepEqual(diagnostics, []);
  assert.equal(config!.builder.bootTest, undefined);
});

test('boot_test {} (HCL) and {} (JSON) turn it on with the defaults', () => {
  for (const [body, kind] of [[[{}], 'hcl2'], [{}, 'json']] as const) {
    const { config, diagnostics } = resolve({ ...BASE_BUILDER, boot_test: body }, kind);
    assert.deepEqual(diagnostics, [], kind);
    assert.deepEqual(config!.builder.bootTest, { timeoutMs: 300_000, expect: DEFAULT_BOOT_EXPECT, accel: 'auto', memoryMib: 1024 }, kind);
  }
});

test('boot_test fields', () => {
  const { config, diagnostics } = resolve({ ...BASE_BUILDER, boot_test: [{ timeout: '90s', expect: 'READY', firmware: 'uefi', accel: 'tcg', memory: 2048 }] });
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(config!.builder.bootTest, { timeoutMs: 90_000, expect: 'READY', firmware: 'uefi', accel: 'tcg', memoryMib: 2048 });
});

test('boot_test: every bad field is reported with its key', () => {
  const { config, diagnostics } = resolve({ ...BASE_BUILDER, boot_test: [{ timeout: 'soon', expect: '(unclosed' }] });
  assert.equal(config, undefined);
  const summaries = diagnostics.map((d) => `${d.path}: ${d.summary}`);
  assert.ok(summaries.some((s) => /boot_test\.timeout: boot_test\.timeout: "soon" is not a positive duration/.test(s)), summaries.join('\n'));
  assert.ok(summaries.some((s) => /boot_test\.expect: boot_test\.expect: "\(unclosed" is not a valid regular expression/.test(s)), summaries.join('\n'));
});

test('boot_test: an expect that matches an empty console is refused', () => {
  const { diagnostics } = resolve({ ...BASE_BUILDER, boot_test: [{ expect: '.*' }] });
  assert.match(diagnostics.map((d) => d.summary).join('\n'), /matches an empty console/);
});

test('boot_test: schema enums and unknown keys', () => {
  const { diagnostics } = resolve({ ...BASE_BUILDER, boot_test: [{ firmware: 'coreboot', accel: 'hvf', memroy: 512 }] });
  const text = diagnostics.map((d) => d.summary).join('\n');
  assert.match(text, /firmware: "coreboot" is not a valid value/);
  assert.match(text, /accel: "hvf" is not a valid value/);
  assert.match(text, /unknown option "boot_test\.memroy"/);
  assert.equal(diagnostics.length, 3, text);
});

test('boot_test: two blocks are an error', () => {
  const { diagnostics } = resolve({ ...BASE_BUILDER, boot_test: [{}, {}] });
  assert.match(diagnostics.map((d) => d.summary).join('\n'), /only one boot_test block is allowed, got 2/);
});

test('firmware follows the Hyper-V generation', () => {
  assert.equal(firmwareForGeneration('V1'), 'bios');
  assert.equal(firmwareForGeneration('V2'), 'uefi');
  assert.equal(firmwareForGeneration(undefined), 'bios');
});
