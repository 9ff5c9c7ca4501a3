import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDeferredTemplate, deferredField, renderStepTemplate } from '../../../src/interpolate/deferred-fields.js';
import type { TemplateRuntime } from '../../../src/config/model.js';

const RUNTIME: TemplateRuntime = { kind: 'json', userVars: { pkg: 'nginx' }, templateDir: '/t', startTime: 1795300773, runUuid: 'r', buildName: 'example', buildType: 'azure-chroot' };

test('deferred: step rendering uses step data, build data, user vars and vm', () => {
  const out = renderStepTemplate('{{.Device}} {{user `pkg`}} {{ build `SourceImageName` }} {{vm `location`}} {{timestamp}}', RUNTIME, { Device: '/dev/sdc' }, { SourceImageName: '/img' }, (k) => `vm-${k}`);
  assert.equal(out, '/dev/sdc nginx /img vm-location 1795300773');
});

test('deferred: the list knows each field and its placeholders', () => {
  assert.deepEqual(deferredField('builder', 'azure-chroot', 'post_mount_commands')?.placeholders, ['Device', 'MountPath']);
  assert.deepEqual(deferredField('provisioner', 'shell', 'execute_command')?.placeholders, ['Vars', 'Path', 'EnvVarFile']);
  assert.equal(deferredField('builder', 'azure-chroot', 'image_resource_id'), undefined);
});

test('deferred: load-time check reports typos with a suggestion and HCL-only failures', () => {
  assert.deepEqual(checkDeferredTemplate('mkfs {{.Devise}}', ['Device'], 'hcl2'), [{ summary: '{{.Devise}} is not available in "mkfs {{.Devise}}"', detail: 'did you mean {{.Device}}? available here: {{.Device}}' }]);
  assert.match(checkDeferredTemplate('{{user `x`}}', [], 'hcl2')[0]!.summary, /user cannot be used/);
  assert.deepEqual(checkDeferredTemplate('{{user `x`}} {{.Device}}', ['Device'], 'json'), []);
});
