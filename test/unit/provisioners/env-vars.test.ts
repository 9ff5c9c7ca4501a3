import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AzchrootError } from '../../../src/errors.js';
import { baseScriptVars, collectEnvVars, commandVars, flattenEnvVars, goSprintf } from '../../../src/provisioners/env-vars.js';
import { formatDuration } from '../../../src/provisioners/wrappers.js';
import { hostGoos } from '../../../src/provisioners/shell-local.js';

test('the Vars string matches what Packer 1.6.6 printed', () => {
  const vars = collectEnvVars({ PACKER_BUILDER_TYPE: 'null', PACKER_BUILD_NAME: 's' }, ["A=it's", 'B=$HOME'], {});
  assert.equal(flattenEnvVars(vars, "%s='%s' "), `A='it'"'"'s' B='$HOME' PACKER_BUILDER_TYPE='null' PACKER_BUILD_NAME='s' `);
});

test('env wins over environment_vars, which win over the base variables; only the first = splits', () => {
  const vars = collectEnvVars(baseScriptVars('ex', { AZCHROOT_DEVICE: '/dev/sdc' }), ['PACKER_BUILD_NAME=mine', 'K=a=b', 'E=list'], { E: 'map' });
  assert.deepEqual(vars, { PACKER_BUILDER_TYPE: 'azure-chroot', PACKER_BUILD_NAME: 'mine', AZCHROOT_DEVICE: '/dev/sdc', K: 'a=b', E: 'map' });
});

test('an environment_vars entry without a key is refused with its value', () => {
  assert.throws(() => collectEnvVars({}, ['=x'], {}), (e: unknown) => AzchrootError.is(e) && e.code === 'AZC_PROVISIONER_ENV' && e.message.includes('"=x"'));
  assert.throws(() => collectEnvVars({}, ['NOEQUALS'], {}), /not in format 'key=value'/);
});

test('env_var_format follows Go verbs, including the use_env_var_file form', () => {
  assert.equal(goSprintf("export %s='%s'\n", 'K', 'v'), "export K='v'\n");
  assert.equal(goSprintf('%s=%v 100%%', 'K', 'v'), 'K=v 100%');
  assert.equal(goSprintf('%s=%s %s', 'K', 'v'), 'K=v %!s(MISSING)');
  assert.equal(flattenEnvVars({ b: '2', a: '1' }, "export %s='%s'\n"), "export a='1'\nexport b='2'\n");
});

test('durations print like Go', () => {
  assert.equal(formatDuration(0), '0s');
  assert.equal(formatDuration(250), '250ms');
  assert.equal(formatDuration(10_000), '10s');
  assert.equal(formatDuration(1_500), '1.5s');
  assert.equal(formatDuration(90_000), '1m30s');
  assert.equal(formatDuration(3_600_000), '1h0m0s');
});

test('host OS names map to GOOS', () => {
  assert.equal(hostGoos('linux'), 'linux');
  assert.equal(hostGoos('win32'), 'windows');
  assert.equal(hostGoos('darwin'), 'darwin');
});

test('{{.Vars}} for a command line refers to secret variables, which go into the environment', () => {
  const vars = { A: 'plain', TOKEN: 'xx-s3cret-xx', 'BAD-NAME': 'n' };
  const packer = commandVars(vars, "%s='%s' ", ['s3cret']);
  assert.equal(packer.text, `A='plain' BAD-NAME='n' TOKEN="$TOKEN" `);
  assert.deepEqual(packer.env, { TOKEN: 'xx-s3cret-xx' });
  assert.equal(commandVars(vars, "export %s='%s'; ", ['s3cret']).text, `export A='plain'; export BAD-NAME='n'; export TOKEN=''"$TOKEN"''; `);
  assert.equal(commandVars({ TOKEN: 'xx-s3cret-xx' }, 'export %s="%s"\n', ['s3cret']).text, 'export TOKEN="${TOKEN}"\n');
  assert.equal(commandVars({ TOKEN: 'xx-s3cret-xx' }, '%s=%s ', ['s3cret']).text, 'TOKEN="$TOKEN" ');
  // Secrets shorter than the redactor's minimum are not looked for.
  assert.deepEqual(commandVars({ A: 'ab' }, "%s='%s' ", ['ab']).env, {});
});
