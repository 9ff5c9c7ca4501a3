// Table of HCL2 loader cases: each writes inline files (or uses a fixture) and asserts the resolved
// model or the exact diagnostics (code, position, path).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadOptions, LoadResult, RawBuild } from '../../../src/template/model.js';
import { brief, errors, loadFixture, loadInline } from './helpers.js';
import { PACKER_COMPAT_VERSION } from '../../../src/version.js';

interface Case {
  name: string;
  files?: Record<string, string | Buffer>;
  fixture?: string;
  entry?: string;
  options?: LoadOptions;
  check(r: LoadResult): void;
}

const NULL_SOURCE = 'source "null" "a" {\n  communicator = "none"\n}\n';
const build = (body: string): string => `${NULL_SOURCE}build {\n  sources = ["source.null.a"]\n${body}\n}\n`;
const only = (r: LoadResult): RawBuild => {
  assert.deepEqual(errors(r), []);
  assert.equal(r.template?.builds.length, 1);
  return r.template!.builds[0]!;
};
const varValue = (r: LoadResult, name: string): unknown => r.template!.variables.find((v) => v.name === name)?.value;
const shellLines = (b: RawBuild): unknown[] => b.provisioners.map((p) => (p.config.inline as unknown[])[0]);

const cases: Case[] = [
  // --- variables: precedence, types, conversion
  {
    name: 'precedence: default < PKR_VAR_ < auto var file < -var-file < -var (templates.md §2.4 sample)',
    fixture: 'precedence',
    options: {
      varFiles: ['precedence/vf.pkrvars.hcl'],
      env: { PKR_VAR_v_env: 'from-env', PKR_VAR_v_cli: 'from-env', PKR_VAR_v_all: 'from-env' },
      vars: [['v_cli', 'from-cli'], ['v_all', 'from-cli']],
    },
    check: (r) => {
      const b = only(r);
      assert.deepEqual(shellLines(b), ['echo default=from-default auto=from-auto file=from-varfile env=from-auto cli=from-cli all=from-cli']);
      const from = Object.fromEntries(r.template!.variables.map((v) => [v.name, v.from]));
      assert.deepEqual(from, { v_default: 'default', v_auto: 'auto-var-file', v_file: 'var-file', v_env: 'auto-var-file', v_cli: 'cli', v_all: 'cli' });
      assert.deepEqual(r.template!.files, ['precedence/vars.pkr.hcl', 'precedence/x.auto.pkrvars.hcl', 'precedence/vf.pkrvars.hcl']);
    },
  },
  {
    name: 'a single file loads no auto var files',
    fixture: 'precedence/vars.pkr.hcl',
    check: (r) => assert.deepEqual(shellLines(only(r)), ['echo default=from-default auto=from-default file=from-default env=from-default cli=from-default all=from-default']),
  },
  {
    name: 'later -var wins over an earlier one',
    files: { 't.pkr.hcl': 'variable "x" {\n  default = "d"\n}\n' + build('') },
    entry: 't.pkr.hcl',
    options: { vars: [['x', 'one'], ['x', 'two']] },
    check: (r) => assert.equal(varValue(r, 'x'), 'two'),
  },
  {
    name: 'PKR_VAR_ for list(string) is parsed as an HCL expression',
    files: { 't.pkr.hcl': 'variable "lst" {\n  type = list(string)\n  default = []\n}\n' + build('') },
    entry: 't.pkr.hcl',
    options: { env: { PKR_VAR_lst: '["x", "y"]' } },
    check: (r) => assert.deepEqual(varValue(r, 'lst'), ['x', 'y']),
  },
  {
    name: 'PKR_VAR_ naming a variable for list(string) is "Variables not allowed"',
    files: { 't.pkr.hcl': 'variable "lst" {\n  type = list(string)\n  default = []\n}\n' + build('') },
    entry: 't.pkr.hcl',
    options: { env: { PKR_VAR_lst: 'x' } },
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_VALUE - variable.lst']);
      assert.match(r.diagnostics[0]!.summary, /PKR_VAR_lst/);
      assert.match(r.diagnostics[0]!.detail!, /Variables may not be used here/);
    },
  },
  {
    name: '-var for a number variable: literal text converted ("abc" fails)',
    files: { 't.pkr.hcl': 'variable "n" {\n  type = number\n  default = 1\n}\n' + build('') },
    entry: 't.pkr.hcl',
    options: { vars: [['n', 'abc']] },
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_VALUE - variable.n']);
      assert.match(r.diagnostics[0]!.detail!, /number/);
    },
  },
  {
    name: '-var for a number variable converts "42" to 42',
    files: { 't.pkr.hcl': 'variable "n" {\n  type = number\n  default = 1\n}\n' + build('') },
    entry: 't.pkr.hcl',
    options: { vars: [['n', '42']] },
    check: (r) => assert.equal(varValue(r, 'n'), 42),
  },
  {
    name: '-var bool=1 is an error (bool values are HCL expressions)',
    files: { 't.pkr.hcl': 'variable "b" {\n  type = bool\n  default = false\n}\n' + build('') },
    entry: 't.pkr.hcl',
    options: { vars: [['b', '1']] },
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_VALUE - variable.b']),
  },
  {
    name: 'object default is converted to the type (extra attributes dropped, "2" -> 2)',
    files: { 't.pkr.hcl': 'variable "o" {\n  type = object({ a = string, b = number })\n  default = { a = "x", b = "2", extra = 1 }\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(errors(r), []);
      assert.deepEqual(varValue(r, 'o'), { a: 'x', b: 2 });
      assert.match(r.template!.variables[0]!.type!, /^object\(/);
    },
  },
  {
    name: 'default incompatible with the type is reported at the default',
    files: { 't.pkr.hcl': 'variable "n" {\n  type    = number\n  default = "abc"\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(brief(errors(r)), ['error AZC_TPL_VAR_VALUE 3:3 variable.n.default']),
  },
  {
    name: 'variable defaults see only env(): var.* is an error, upper() is unknown',
    files: { 't.pkr.hcl': 'variable "a" {\n  default = "x"\n}\nvariable "b" {\n  default = var.a\n}\nvariable "c" {\n  default = upper("x")\n}\nvariable "d" {\n  default = env("HOME")\n}\n' + build('') },
    entry: 't.pkr.hcl',
    options: { env: { HOME: '/home/me' } },
    check: (r) => {
      assert.deepEqual(brief(errors(r)), ['error AZC_TPL_EXPRESSION 5:3 variable.b.default', 'error AZC_TPL_EXPRESSION 8:3 variable.c.default']);
      assert.match(errors(r)[1]!.summary + (errors(r)[1]!.detail ?? ''), /upper/);
      assert.equal(varValue(r, 'd'), '/home/me');
    },
  },
  {
    name: 'unset variable: no default and no value',
    files: { 't.pkr.hcl': 'variable "nodef" {\n  type = string\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_UNSET 1:1 variable.nodef']);
      assert.equal(r.diagnostics[0]!.summary, 'unset variable "nodef"');
    },
  },
  {
    name: 'an unset variable is reported once, not again at every use',
    files: { 't.pkr.hcl': 'variable "rg" {\n  type = string\n}\nlocals {\n  name = "img-${var.rg}"\n}\nsource "null" "a" {\n  x = local.name\n  y = upper(var.rg)\n}\nbuild {\n  sources = ["source.null.a"]\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_UNSET 1:1 variable.rg']),
  },
  {
    name: 'undefined -var is an error; PKR_VAR_ of an undeclared name is ignored',
    files: { 't.pkr.hcl': build('') },
    entry: 't.pkr.hcl',
    options: { vars: [['nope', '1']], env: { PKR_VAR_other: 'x' } },
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_UNDEFINED - variable.nope']),
  },
  {
    name: 'undeclared name in a var file is a warning; a variable block there is an error',
    files: { 't.pkr.hcl': build(''), 'v.pkrvars.hcl': 'nope = 1\nvariable "x" {\n  default = 1\n}\n' },
    entry: 't.pkr.hcl',
    options: { varFiles: ['v.pkrvars.hcl'] },
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_FILE 2:1 -', 'warning AZC_TPL_VAR_UNDECLARED 1:1 variable.nope']),
  },
  {
    name: 'var files are evaluated without functions',
    files: { 't.pkr.hcl': 'variable "x" {\n  default = ""\n}\n' + build(''), 'v.pkrvars.hcl': 'x = upper("a")\n' },
    entry: 't.pkr.hcl',
    options: { varFiles: ['v.pkrvars.hcl'] },
    check: (r) => assert.deepEqual(brief(errors(r)), ['error AZC_TPL_EXPRESSION 1:1 variable.x']),
  },
  {
    name: 'JSON var files (.pkrvars.json) set values too',
    files: { 't.pkr.hcl': 'variable "x" {\n  default = ""\n}\nvariable "l" {\n  type = list(number)\n  default = []\n}\n' + build(''), 'v.pkrvars.json': '{"x": "from-json", "l": [1, "2"]}' },
    entry: 't.pkr.hcl',
    options: { varFiles: ['v.pkrvars.json'] },
    check: (r) => {
      assert.equal(varValue(r, 'x'), 'from-json');
      assert.deepEqual(varValue(r, 'l'), [1, 2]);
    },
  },
  {
    name: 'variables {} block declares variables typed by their values',
    files: { 't.pkr.hcl': 'variables {\n  a = "x"\n  n = 3\n}\n' + build('  provisioner "shell-local" { inline = ["${var.a}-${var.n}"] }') },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(shellLines(only(r)), ['x-3']),
  },
  {
    name: 'duplicate variable across files',
    files: { 'a.pkr.hcl': 'variable "x" {\n  default = 1\n}\n', 'b.pkr.hcl': '\nvariable "x" {\n  default = 2\n}\n' + build('') },
    entry: '.',
    check: (r) => {
      assert.deepEqual(brief(errors(r)), ['error AZC_TPL_VAR_DUPLICATE 2:1 variable.x']);
      assert.equal(errors(r)[0]!.pos!.file, 'b.pkr.hcl');
      assert.match(errors(r)[0]!.detail!, /a\.pkr\.hcl:1:1/);
    },
  },
  {
    name: 'unknown argument in a variable block: did you mean',
    files: { 't.pkr.hcl': 'variable "x" {\n  defualt = 1\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_UNKNOWN_KEY 2:3 variable.x.defualt', 'error AZC_TPL_VAR_UNSET 1:1 variable.x']);
      assert.match(r.diagnostics[0]!.detail!, /did you mean "default"\?/);
    },
  },
  // --- validation and sensitive
  {
    name: 'validation: a failing condition reports the error_message',
    files: { 't.pkr.hcl': 'variable "size" {\n  type = number\n  default = 10\n  validation {\n    condition     = var.size >= 30\n    error_message = "The size must be at least 30."\n  }\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_VALIDATION 5:5 variable.size']);
      assert.equal(r.diagnostics[0]!.detail, 'The size must be at least 30.');
    },
  },
  {
    name: 'validation: passes with a -var value that satisfies it; functions are available',
    files: { 't.pkr.hcl': 'variable "name" {\n  default = "x"\n  validation {\n    condition     = length(var.name) > 3\n    error_message = "Too short."\n  }\n}\n' + build('') },
    entry: 't.pkr.hcl',
    options: { vars: [['name', 'long-enough']] },
    check: (r) => assert.deepEqual(r.diagnostics, []),
  },
  {
    name: 'validation: error_message must be a sentence',
    files: { 't.pkr.hcl': 'variable "v" {\n  default = "x"\n  validation {\n    condition     = true\n    error_message = "lowercase and no period"\n  }\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_VALIDATION 5:5 variable.v.validation.error_message']),
  },
  {
    name: 'sensitive variables and locals: every string leaf is listed',
    files: { 't.pkr.hcl': 'variable "s" {\n  sensitive = true\n  default = { user = "admin", pass = "p@ss", port = 22 }\n}\nlocal "token" {\n  expression = "tok-${var.s.pass}"\n  sensitive  = true\n}\nlocals {\n  public = "visible"\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(errors(r), []);
      assert.deepEqual([...r.template!.sensitiveValues].sort(), ['admin', 'p@ss', 'tok-p@ss']);
      assert.equal(r.template!.variables[0]!.sensitive, true);
    },
  },
  // --- locals
  {
    name: 'locals are order-independent (b uses a defined after it)',
    files: { 't.pkr.hcl': 'locals {\n  b = "${local.a}-b"\n  a = "A"\n}\n' + build('  provisioner "shell-local" { inline = [local.b] }') },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(shellLines(only(r)), ['A-b']),
  },
  {
    name: 'locals across files and local blocks see var, path and packer',
    files: { 'a.pkr.hcl': 'variable "v" {\n  default = "V"\n}\nlocal "l" {\n  expression = "${local.m}/${packer.version}"\n}\n', 'b.pkr.hcl': 'locals {\n  m = "${var.v}@${path.root}"\n}\n' + build('  provisioner "shell-local" { inline = [local.l] }') },
    entry: '.',
    check: (r) => assert.deepEqual(shellLines(only(r)), [`V@./${PACKER_COMPAT_VERSION}`]),
  },
  {
    name: 'duplicate local definition',
    files: { 't.pkr.hcl': 'locals {\n  a = 1\n}\nlocals {\n  a = 2\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_LOCAL_DUPLICATE 5:3 local.a']),
  },
  {
    name: 'cyclic locals are reported',
    files: { 't.pkr.hcl': 'locals {\n  a = local.b\n  b = local.a\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.equal(errors(r)[0]!.code, 'AZC_TPL_LOCAL_CYCLE');
      assert.match(errors(r)[0]!.detail!, /local\.a -> local\.b -> local\.a|local\.b -> local\.a -> local\.b/);
    },
  },
  {
    name: 'locals cannot see source.name',
    files: { 't.pkr.hcl': 'locals {\n  a = source.name\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(brief(errors(r)), ['error AZC_TPL_EXPRESSION 2:3 locals.a']),
  },
  // --- sources and builds
  {
    name: 'build-level source blocks: rename and merged attributes make extra builds',
    files: { 't.pkr.hcl': 'source "null" "one" {\n  communicator = "none"\n}\nbuild {\n  name    = "bld"\n  sources = ["source.null.one"]\n  source "null.one" {\n    name = "two"\n    extra = "x"\n  }\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(errors(r), []);
      assert.deepEqual(r.template!.builds.map((b) => [b.name, b.buildName, b.sourceName, b.sourceLabel, b.builder]), [
        ['bld.null.one', 'bld', 'one', 'one', { communicator: 'none' }],
        ['bld.null.two', 'bld', 'two', 'one', { communicator: 'none', extra: 'x' }],
      ]);
    },
  },
  {
    name: 'build-level source re-setting an attribute is "Duplicate argument"',
    files: { 't.pkr.hcl': 'source "null" "one" {\n  communicator = "none"\n}\nbuild {\n  source "source.null.one" {\n    communicator = "ssh"\n  }\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_DUPLICATE_ARGUMENT 6:5 build.source.source.null.one.communicator']);
      assert.match(r.diagnostics[0]!.detail!, /t\.pkr\.hcl:2:3/);
    },
  },
  {
    name: 'sources.T.N and T.N references; unknown source with did you mean',
    files: { 't.pkr.hcl': 'source "null" "one" {\n  communicator = "none"\n}\nbuild {\n  sources = ["sources.null.one", "null.one", "source.null.onw"]\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_SOURCE_UNKNOWN 5:3 build.sources[2]']);
      assert.match(r.diagnostics[0]!.detail!, /did you mean "source\.null\.one"/);
      assert.equal(r.template!.builds.length, 2);
    },
  },
  {
    name: 'duplicate source block',
    files: { 't.pkr.hcl': NULL_SOURCE + '\nsource "null" "a" {\n  communicator = "none"\n}\n' + 'build {\n  sources = ["source.null.a"]\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_SOURCE_DUPLICATE 5:1 source.null.a']),
  },
  {
    name: 'a build without sources',
    files: { 't.pkr.hcl': NULL_SOURCE + 'build {\n  name = "x"\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_BUILD_NO_SOURCES 4:1 build']),
  },
  {
    name: 'source bodies see source.name/type, var and local; nested blocks stay arrays',
    fixture: 'azure/basic.pkr.hcl',
    check: (r) => {
      const b = only(r);
      assert.equal(b.name, 'azure-chroot.ubuntu');
      assert.equal(b.builder.client_secret, 's3cr3t');
      assert.deepEqual(b.builder.shared_image_destination, [{ gallery_name: 'gallery', image_name: 'ubuntu-westeurope', image_version: '1.0.0', resource_group: 'rg' }]);
      assert.deepEqual(r.template!.sensitiveValues, ['s3cr3t']);
      // Declaration order, not hcl2json's sorted order.
      assert.deepEqual(r.template!.variables.map((v) => v.name), ['location', 'client_secret']);
      assert.equal(r.template!.variables.find((v) => v.name === 'location')!.description, 'Azure region of the image.');
    },
  },
  {
    name: 'Go-template text is preserved; build.X becomes {{ build `X` }}',
    fixture: 'azure/basic.pkr.hcl',
    check: (r) => {
      const b = only(r);
      assert.equal(b.builder.mount_path, '/mnt/packer-azure-chroot-disks/{{.Device}}');
      assert.match(b.builder.image_resource_id as string, /^\/subscriptions\/\{\{ vm `subscription_id` \}\}\//);
      assert.deepEqual(b.provisioners[0]!.config.inline, ['echo image={{ build `SourceImageName` }} device={{ build `Device` }}', 'echo {{ .Vars }}']);
      assert.deepEqual(b.postProcessors[0]![0]!.config, { output: 'manifest-ubuntu.json' });
    },
  },
  {
    name: 'contextual values: source.name, build.name, path.root, path.cwd, packer.version, $${ escape',
    files: { 't.pkr.hcl': 'source "null" "one" {\n  communicator = "none"\n}\nbuild {\n  name = "bld"\n  source "source.null.one" {\n    name = "two"\n  }\n  provisioner "shell-local" {\n    inline = ["${source.name} ${source.type} ${build.name} ${packer.version} ${path.root} $${HOME} {{ build_name }}", "${build.PackerRunUUID}"]\n  }\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => {
      const b = only(r);
      assert.equal(b.name, 'bld.null.two');
      assert.deepEqual(b.provisioners[0]!.config.inline, [`two null bld ${PACKER_COMPAT_VERSION} . \${HOME} {{ build_name }}`, '{{ build `PackerRunUUID` }}']);
    },
  },
  {
    name: 'path.cwd is absolute',
    files: { 't.pkr.hcl': build('  provisioner "shell-local" { inline = [path.cwd] }') },
    entry: 't.pkr.hcl',
    check: (r) => assert.match(shellLines(only(r))[0] as string, /^\/.*azc-tpl-/),
  },
  // --- provisioner order, dynamic, only/except/override
  {
    name: 'provisioner and post-processor order across types (templates.md §1.4)',
    fixture: 'order/order.pkr.hcl',
    check: (r) => {
      const b = only(r);
      assert.deepEqual(b.provisioners.map((p) => [p.type, p.origin.path, p.origin.pos?.line]), [
        ['shell-local', 'build.provisioner[0]', 7],
        ['file', 'build.provisioner[1]', 8],
        ['shell-local', 'build.provisioner[2]', 12],
      ]);
      assert.deepEqual(b.provisioners.map((p) => p.config.inline ?? p.config.destination), [['echo 1'], 'b', ['echo 3']]);
      assert.deepEqual(b.postProcessors.map((c) => c.map((p) => [p.type, p.config])), [
        [['manifest', {}]],
        [['shell-local', { inline: ['echo pp'] }]],
        [['manifest', { output: 'm2.json' }]],
      ]);
    },
  },
  {
    name: 'dynamic provisioner keeps its place in order; iterator defaults to the block type',
    files: { 't.pkr.hcl': 'variable "pkgs" {\n  default = ["a", "b"]\n}\n' + build('  provisioner "shell" { inline = ["first"] }\n  dynamic "provisioner" {\n    for_each = var.pkgs\n    labels   = ["shell"]\n    content {\n      inline = ["install ${provisioner.value} ${provisioner.key}"]\n    }\n  }\n  provisioner "file" {\n    source = "x"\n    destination = "/y"\n  }') },
    entry: 't.pkr.hcl',
    check: (r) => {
      const b = only(r);
      assert.deepEqual(b.provisioners.map((p) => [p.type, p.config.inline ?? p.config.destination, p.origin.path]), [
        ['shell', ['first'], 'build.provisioner[0]'],
        ['shell', ['install a 0'], 'build.provisioner[1]'],
        ['shell', ['install b 1'], 'build.provisioner[2]'],
        ['file', '/y', 'build.provisioner[3]'],
      ]);
    },
  },
  {
    name: 'dynamic with an iterator over a map, and dynamic nested blocks in a source body',
    files: { 't.pkr.hcl': 'source "null" "a" {\n  communicator = "none"\n  dynamic "disk" {\n    for_each = { x = 1, y = 2 }\n    iterator = d\n    content {\n      name = d.key\n      size = d.value\n    }\n  }\n}\nbuild {\n  sources = ["source.null.a"]\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(only(r).builder, { communicator: 'none', disk: [{ name: 'x', size: 1 }, { name: 'y', size: 2 }] }),
  },
  {
    name: 'only/except are exact matches on type.name (renamed source included)',
    files: { 't.pkr.hcl': 'source "null" "one" {\n  communicator = "none"\n}\nbuild {\n  sources = ["source.null.one"]\n  source "source.null.one" {\n    name = "two"\n  }\n  provisioner "shell-local" {\n    only   = ["null.two"]\n    inline = ["only-two"]\n  }\n  provisioner "shell-local" {\n    only   = ["two"]\n    inline = ["bare-name-matches-nothing"]\n  }\n  provisioner "shell-local" {\n    except = ["null.two"]\n    inline = ["not-two"]\n  }\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(errors(r), []);
      assert.deepEqual(r.template!.builds.map((b) => [b.name, shellLines(b)]), [
        ['null.one', ['not-two']],
        ['null.two', ['only-two']],
      ]);
    },
  },
  {
    name: 'override is keyed by source name and merged into the body; reserved keys are removed',
    files: { 't.pkr.hcl': 'source "null" "one" {\n  communicator = "none"\n}\nbuild {\n  sources = ["source.null.one"]\n  source "source.null.one" {\n    name = "two"\n  }\n  provisioner "shell-local" {\n    name         = "prov"\n    inline       = ["default"]\n    pause_before = "10s"\n    timeout      = "5m"\n    max_retries  = 2\n    override = {\n      two = { inline = ["for two"] }\n      "null.one" = { inline = ["ignored"] }\n    }\n  }\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(errors(r), []);
      const [one, two] = r.template!.builds;
      assert.deepEqual(one!.provisioners[0]!.config, { inline: ['default'] });
      assert.deepEqual(two!.provisioners[0]!.config, { inline: ['for two'] });
      const p = two!.provisioners[0]!;
      assert.deepEqual([p.name, p.pauseBefore, p.timeout, p.maxRetries], ['prov', '10s', '5m', 2]);
    },
  },
  {
    name: 'only and except together is an error',
    files: { 't.pkr.hcl': build('  provisioner "shell-local" {\n    only   = ["null.a"]\n    except = ["null.a"]\n    inline = ["x"]\n  }') },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_ONLY_EXCEPT 8:5 build.provisioner[0].except']),
  },
  {
    name: 'bad pause_before duration is reported with its path',
    files: { 't.pkr.hcl': build('  provisioner "shell-local" {\n    inline       = ["x"]\n    pause_before = "ten seconds"\n  }') },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_EXPRESSION 8:5 build.provisioner[0].pause_before']),
  },
  {
    name: 'post-processors chains, single post-processors, keep_input_artifact and only',
    files: { 't.pkr.hcl': build('  post-processors {\n    post-processor "manifest" {\n      name = "m"\n      keep_input_artifact = true\n    }\n    post-processor "shell-local" { inline = ["chained"] }\n  }\n  post-processor "shell-local" {\n    only   = ["null.zzz"]\n    inline = ["skipped"]\n  }\n  post-processor "manifest" {}') },
    entry: 't.pkr.hcl',
    check: (r) => {
      const b = only(r);
      assert.deepEqual(b.postProcessors.map((c) => c.map((p) => [p.type, p.name, p.keepInputArtifact, p.origin.path])), [
        [['manifest', 'm', true, 'build.post-processors[0].post-processor[0]'], ['shell-local', undefined, undefined, 'build.post-processors[0].post-processor[1]']],
        [['manifest', undefined, undefined, 'build.post-processor[2]']],
      ]);
    },
  },
  {
    name: 'CLI -only/-except globs on build names',
    files: { 't.pkr.hcl': 'source "null" "one" {\n  communicator = "none"\n}\nsource "null" "two" {\n  communicator = "none"\n}\nsource "null" "three" {\n  communicator = "none"\n}\nbuild {\n  name = "b"\n  sources = ["source.null.one", "source.null.two", "source.null.three"]\n}\n' },
    entry: 't.pkr.hcl',
    options: { only: ['b.null.t*'], except: ['*three'] },
    check: (r) => assert.deepEqual(r.template!.builds.map((b) => b.name), ['b.null.two']),
  },
  {
    name: 'CLI -except on a post-processor name cuts the rest of its chain',
    files: { 't.pkr.hcl': build('  post-processors {\n    post-processor "manifest" {}\n    post-processor "shell-local" {\n      name = "notify"\n      inline = ["x"]\n    }\n    post-processor "manifest" { output = "after.json" }\n  }') },
    entry: 't.pkr.hcl',
    options: { except: ['notify'] },
    check: (r) => assert.deepEqual(only(r).postProcessors.map((c) => c.map((p) => p.type)), [['manifest']]),
  },
  // --- structure, syntax, files
  {
    name: 'a local block needs a label and an expression',
    files: { 't.pkr.hcl': 'local "x" {\n  expresion = 1\n}\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_UNKNOWN_KEY 2:3 local.x.expresion', 'error AZC_TPL_BAD_BLOCK 1:1 local.x']);
      assert.match(r.diagnostics[0]!.detail!, /did you mean "expression"\?/);
    },
  },
  {
    name: 'unknown top-level block and attribute are reported with positions',
    files: { 't.pkr.hcl': 'builds {\n}\nfoo = 1\n' + build('') },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_UNKNOWN_BLOCK 1:1 builds', 'error AZC_TPL_UNKNOWN_BLOCK 3:1 foo']);
      assert.match(r.diagnostics[0]!.detail!, /did you mean "build"\?/);
    },
  },
  {
    name: 'unknown key in a build block with did you mean',
    files: { 't.pkr.hcl': build('  provisoner "shell" {}') },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_UNKNOWN_KEY 6:3 build.provisoner']);
      assert.match(r.diagnostics[0]!.detail!, /did you mean "provisioner"\?/);
    },
  },
  {
    name: 'syntax error position (file:line:col) and no template',
    fixture: 'errors/syntax.pkr.hcl',
    check: (r) => {
      assert.equal(r.template, undefined);
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_SYNTAX 7:3 -']);
      assert.equal(r.diagnostics[0]!.pos!.file, 'errors/syntax.pkr.hcl');
      assert.equal(r.diagnostics[0]!.summary, 'Missing item separator');
    },
  },
  {
    name: 'several syntax errors in one file are all reported',
    files: { 't.pkr.hcl': 'a = 1\na = 2\nb {\n' },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(r.diagnostics.map((d) => [d.summary, d.pos?.line]), [['Attribute redefined', 2], ['Unclosed configuration block', 3]]),
  },
  {
    name: 'non-UTF-8 file is an error naming the file',
    files: { 't.pkr.hcl': Buffer.concat([Buffer.from('source "null" "a" {\n  x = "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n}\n')]) },
    entry: 't.pkr.hcl',
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_ENCODING 2:8 -']);
      assert.match(r.diagnostics[0]!.summary, /t\.pkr\.hcl/);
    },
  },
  {
    name: 'directory: .pkr.hcl and .pkr.json files in lexical order, auto var files, subdirs ignored',
    files: {
      'b.pkr.json': '{"variable": {"x": {"default": "from-json-decl"}}, "source": {"null": {"j": {"communicator": "none"}}}}',
      'a.pkr.hcl': 'build {\n  sources = ["source.null.j"]\n  provisioner "shell-local" { inline = ["${var.x}"] }\n}\n',
      'z.auto.pkrvars.json': '{"x": "from-auto-json"}',
      'sub/ignored.pkr.hcl': 'this is not valid {{{',
      'notes.txt': 'ignored',
    },
    entry: '.',
    check: (r) => {
      assert.deepEqual(errors(r), []);
      assert.deepEqual(r.template!.files, ['a.pkr.hcl', 'b.pkr.json', 'z.auto.pkrvars.json']);
      assert.deepEqual(shellLines(r.template!.builds[0]!), ['from-auto-json']);
      assert.equal(r.template!.root, '.');
    },
  },
  {
    name: '.pkr.json: positions of bad values come from the JSON reader',
    files: { 't.pkr.json': '{\n  "source": {"null": {"a": {"communicator": "none"}}},\n  "build": {\n    "sources": ["source.null.nope"]\n  }\n}\n' },
    entry: 't.pkr.json',
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_SOURCE_UNKNOWN 4:17 build.sources[0]']),
  },
  {
    name: 'a missing template is a read error',
    files: {},
    entry: 'missing.pkr.hcl',
    check: (r) => {
      assert.equal(r.template, undefined);
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_READ - -']);
    },
  },
  {
    name: 'syntaxOnly: structure errors are reported, nothing is evaluated',
    files: { 't.pkr.hcl': 'variable "x" {}\nbogus {}\n' + build('  provisoner "x" {}\n  provisioner "shell-local" { inline = [var.undefined_thing] }') },
    entry: 't.pkr.hcl',
    options: { syntaxOnly: true },
    check: (r) => {
      assert.equal(r.template, undefined);
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_UNKNOWN_BLOCK 2:1 bogus', 'error AZC_TPL_UNKNOWN_KEY 8:3 build.provisoner']);
    },
  },
  {
    name: 'evaluation errors point at the attribute and keep sibling errors',
    files: { 't.pkr.hcl': 'source "null" "a" {\n  communicator = "none"\n  x = var.nope\n  y = upper(1, 2)\n}\nbuild {\n  sources = ["source.null.a"]\n}\n' },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_EXPRESSION 3:3 source.null.a.x', 'error AZC_TPL_EXPRESSION 4:3 source.null.a.y']),
  },
  {
    name: 'functions: formatdate, join, timestamp uses the fixed clock',
    files: { 't.pkr.hcl': build('  provisioner "shell-local" { inline = ["${formatdate("YYYY-MM-DD", timestamp())} ${join(",", ["a", "b"])}"] }') },
    entry: 't.pkr.hcl',
    check: (r) => assert.deepEqual(shellLines(only(r)), ['2020-01-02 a,b']),
  },
];

for (const c of cases) {
  test(c.name, async () => {
    const r = c.fixture !== undefined ? await loadFixture(c.fixture, c.options) : await loadInline(c.files ?? {}, c.entry ?? '.', c.options);
    c.check(r);
  });
}
