// The CLI as a user runs it: exit codes, Packer-style flags, messages that point at the spot,
// every example valid offline, secrets masked, and a start-up that loads no build-only module.

import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const fixtures = join(root, 'test/fixtures/cli');

function azchroot(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['bin/azchroot', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
}

/** Every example: a template file, or a directory holding templates. */
function examples(): string[] {
  const dir = join(root, 'examples');
  return readdirSync(dir)
    .filter((n) => /\.(pkr\.hcl|pkr\.json|json)$/.test(n) || (statSync(join(dir, n)).isDirectory() && n !== 'files'))
    .map((n) => `examples/${n}`);
}

test('every example validates offline', () => {
  const list = examples();
  assert.ok(list.length >= 9, `expected at least 9 examples, found ${list.join(', ')}`);
  // The service-principal JSON example reads its values from ARM_* variables, as documented in it.
  const env = { ARM_CLIENT_ID: 'c', ARM_CLIENT_SECRET: 's', ARM_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000001', ARM_IMAGE_RESOURCEGROUP_ID: 'rg' };
  for (const example of list) {
    const r = azchroot(['validate', example], env);
    assert.equal(r.code, 0, `${example}:\n${r.all}`);
    assert.match(r.stdout, /The configuration is valid\./);
  }
});

test('a typo in a key points at the line and suggests the right key', () => {
  const r = azchroot(['validate', join(fixtures, 'typo.pkr.hcl')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /typo\.pkr\.hcl:4:3: error\[AZC_SCHEMA_UNKNOWN_KEY\]: unknown option "os_disk_cache_typ"/);
  assert.match(r.stderr, /source\.azure-chroot\.example\.os_disk_cache_typ/);
  assert.match(r.stderr, /did you mean "os_disk_cache_type"\?/);
  assert.doesNotMatch(r.all, /\n\s+at /, 'no stack trace for bad input');
});

test('-only takes Packer globs, commas outside {a,b}; a selection that matches nothing warns in validate and inspect alike', () => {
  const template = join(fixtures, 'missing-variable.pkr.hcl');
  for (const only of ['azure-chroot.{example,other}', 'nomatch,azure-chroot.exampl?', 'azure-chroot.[a-f]*']) {
    const r = azchroot(['validate', '-var', 'image_rg=x', `-only=${only}`, template]);
    assert.equal(r.code, 0, r.all);
    assert.doesNotMatch(r.all, /AZC_NO_BUILDS/, only);
  }
  for (const command of ['validate', 'inspect']) {
    const r = azchroot([command, '-var', 'image_rg=x', '-only', 'nomatch', template]);
    assert.equal(r.code, 0, r.all);
    assert.match(r.stderr, /warning\[AZC_NO_BUILDS\]: no build is selected: -only\/-except matched nothing\n    the builds are azure-chroot\.example;/, command);
  }
});

test("build takes Packer's -color=false, -timestamp-ui and -parallel-builds=N; a bad value names the flag's values", () => {
  // An invalid template: the build stops before it asks anything of the host, IMDS or Azure.
  const r = azchroot(['build', '-color=false', '-timestamp-ui', '-parallel-builds=2', join(fixtures, 'typo.pkr.hcl')]);
  assert.equal(r.code, 2, r.all);
  assert.match(r.stderr, /error\[AZC_SCHEMA_UNKNOWN_KEY\]: unknown option "os_disk_cache_typ"/, 'the flags were taken and the template was read');
  assert.doesNotMatch(r.all, /Instance Metadata|169\.254/);
  const bad = azchroot(['build', '-parallel-builds=many', join(fixtures, 'typo.pkr.hcl')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: option '-parallel-builds <n>' argument 'many' is invalid\. expected a whole number/, 'named as typed, in Packer\'s single-dash form');
  assert.match(azchroot(['build', '--color=maybe', join(fixtures, 'typo.pkr.hcl')]).stderr, /option '--color \[bool\]' argument 'maybe' is invalid/);
  assert.equal(azchroot(['-v']).stdout.trim(), azchroot(['version']).stdout.trim().replace(/^azchroot /, ''));
});

test("validate, inspect and version take -machine-readable and write Packer's rows", () => {
  const bad = azchroot(['validate', '-machine-readable', join(fixtures, 'typo.pkr.hcl')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /^\d{10},,ui,error,.*typo\.pkr\.hcl:4:3: error\[AZC_SCHEMA_UNKNOWN_KEY\]: unknown option "os_disk_cache_typ" \[[^\n]*\]\\n    did you mean "os_disk_cache_type"\?\n$/);
  const good = azchroot(['validate', '-machine-readable', '-var', 'image_rg=x', join(fixtures, 'missing-variable.pkr.hcl')]);
  assert.deepEqual([good.code, good.all], [0, ''], 'as Packer: nothing on success');
  const version = azchroot(['version', '-machine-readable']).stdout.split('\n').map((l) => l.replace(/^\d{10},/, ''));
  assert.deepEqual(version.slice(0, 3), [`,version,${azchroot(['-v']).stdout.trim()}`, ',version-prelease,', ',version-commit,']);
  const inspect = azchroot(['inspect', '-machine-readable', '-var', 'image_rg=x', join(fixtures, 'missing-variable.pkr.hcl')]);
  assert.match(inspect.stdout, /^\d{10},,template-variable,image_rg,x,1\n/m);
  assert.match(inspect.stdout, /^\d{10},,template-builder,azure-chroot\.example,azure-chroot$/m);
});

test("build -debug is Packer's step-by-step mode: it needs a terminal (and says where debug output went); --trace is the stack traces", () => {
  const r = azchroot(['build', '-debug', join(fixtures, 'typo.pkr.hcl')]);
  assert.equal(r.code, 2, r.all);
  assert.match(r.stderr, /-debug pauses before each step until Enter is pressed, and needs a terminal\nHint: .*--trace or AZCHROOT_DEBUG=1/);
  const traced = azchroot(['--trace', 'validate', join(fixtures, 'typo.pkr.hcl')]);
  assert.equal(traced.code, 1);
  const old = azchroot(['--debug', 'validate', join(fixtures, 'typo.pkr.hcl')]);
  assert.equal(old.code, 1, 'the program-level --debug still works');
});

test('a wrong type names the expected type and the value', () => {
  const r = azchroot(['validate', join(fixtures, 'bad-type.pkr.hcl')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /bad-type\.pkr\.hcl:4:3: error\[AZC_SCHEMA_TYPE\]: os_disk_size_gb: expected a whole number, got string "big"/);
});

test('an HCL syntax error gives file, line and column', () => {
  const r = azchroot(['validate', join(fixtures, 'syntax-error.pkr.hcl')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /syntax-error\.pkr\.hcl:2:\d+: error\[AZC_TPL_SYNTAX\]: (Unterminated template string|Invalid multi-line string)/);
});

test('a missing required variable says how to set it', () => {
  const r = azchroot(['validate', join(fixtures, 'missing-variable.pkr.hcl')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /missing-variable\.pkr\.hcl:1:1: error\[AZC_TPL_VAR_UNSET\]: unset variable "image_rg"/);
  assert.match(r.stderr, /-var image_rg=/);
  const ok = azchroot(['validate', '-var', 'image_rg=my-rg', join(fixtures, 'missing-variable.pkr.hcl')]);
  assert.equal(ok.code, 0, ok.all);
  const env = azchroot(['validate', join(fixtures, 'missing-variable.pkr.hcl')], { PKR_VAR_image_rg: 'from-env' });
  assert.equal(env.code, 0, env.all);
});

test('Packer single-dash flags and double-dash flags are the same', () => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-cli-'));
  try {
    const single = azchroot(['validate', '-var=image_rg=x', '-syntax-only', join(fixtures, 'missing-variable.pkr.hcl')]);
    assert.equal(single.code, 0, single.all);
    assert.match(single.stdout, /Syntax-only check passed/);
    const double = azchroot(['validate', '--var', 'image_rg=x', join(fixtures, 'missing-variable.pkr.hcl')]);
    assert.equal(double.code, 0, double.all);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exit codes: 0 valid, 1 invalid, 2 usage error; --help and version succeed', () => {
  assert.equal(azchroot(['validate', 'examples/quickstart.pkr.hcl']).code, 0);
  assert.equal(azchroot(['validate', join(fixtures, 'typo.pkr.hcl')]).code, 1);
  assert.equal(azchroot(['validate']).code, 2);
  assert.equal(azchroot(['validate', '--no-such-flag', 'x']).code, 2);
  assert.equal(azchroot(['frobnicate']).code, 2);
  const help = azchroot(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /validate/);
  assert.match(help.stdout, /build/);
  assert.equal(azchroot(['build', '--help']).code, 0);
  const version = azchroot(['version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^azchroot \d+\.\d+\.\d+/);
  const missing = azchroot(['validate', '/nonexistent/template.pkr.hcl']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /cannot read template/);
});

test('sensitive values are masked in inspect and in diagnostics', () => {
  const inspect = azchroot(['inspect', join(fixtures, 'sensitive.pkr.hcl')]);
  assert.equal(inspect.code, 0, inspect.all);
  assert.doesNotMatch(inspect.all, /hunter2-do-not-print/);
  assert.match(inspect.stdout, /password \(string\) = <sensitive>/);
  assert.match(inspect.stdout, /flavour \(string\) = "plain"/);
  // Run order across provisioner types is the source order.
  assert.match(inspect.stdout, /1\. shell\n\s+2\. file\n\s+3\. shell/);
  const validate = azchroot(['validate', join(fixtures, 'sensitive.pkr.hcl')]);
  assert.equal(validate.code, 1, 'the sensitive value is not a valid cache type');
  assert.doesNotMatch(validate.all, /hunter2-do-not-print/);
  assert.match(validate.stderr, /os_disk_cache_type/);
});

test('validate, inspect and --help load no Azure SDK, listr2 or execa', () => {
  const dir = mkdtempSync(join(tmpdir(), 'azc-trace-'));
  try {
    for (const args of [['validate', 'examples/quickstart.pkr.hcl'], ['validate', 'examples/managed-identity.json'], ['inspect', 'examples/quickstart.pkr.hcl'], ['--help']]) {
      const trace = join(dir, `${args.join('_').replace(/[^a-z_.]/gi, '')}.txt`);
      const r = spawnSync(process.execPath, ['--import', './dist/test/helpers/trace-imports.js', 'bin/azchroot', ...args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, AZC_TRACE_IMPORTS: trace },
      });
      assert.equal(r.status, 0, r.stderr);
      const loaded = readFileSync(trace, 'utf8');
      for (const heavy of ['@azure/', 'listr2', 'execa', '/src/emulator/', '/src/runner/', '/src/steps/']) {
        assert.ok(!loaded.includes(heavy), `${args.join(' ')} loaded ${heavy}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
