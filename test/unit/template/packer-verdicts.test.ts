// The template cases where azchroot once disagreed with Packer, through `validate`: Packer's verdict
// (required_version against the template-language version; HCL2 attribute types; legacy JSON's
// loose decoding), each with a message naming the attribute or the versions.

import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Diagnostic } from '../../../src/diagnostics.js';
import { validate } from '../../../src/validate.js';
import { PACKER_COMPAT_VERSION } from '../../../src/version.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const IMAGE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/images/img';

/** An HCL2 template; `source` and `prov` are extra lines inside the source and shell provisioner blocks. */
function hcl(opts: { packer?: string; source?: string; prov?: string }): string {
  return [
    ...(opts.packer ? ['packer {', opts.packer, '}'] : []),
    'source "azure-chroot" "x" {',
    '  source            = "credativ:Debian:9:latest"',
    `  image_resource_id = "${IMAGE}"`,
    ...(opts.source ? [opts.source] : []),
    '}',
    'build {',
    '  sources = ["source.azure-chroot.x"]',
    '  provisioner "shell" {',
    opts.prov ?? '    inline = ["echo hi"]',
    '  }',
    '}',
    '',
  ].join('\n');
}

async function check(t: { after(fn: () => unknown): void }, name: string, text: string): Promise<Diagnostic[]> {
  const dir = await makeTempDir(t, 'azc-verdict-');
  const file = join(dir, name);
  await writeFile(file, text);
  return (await validate(file, { cwd: dir })).diagnostics;
}

const errors = (ds: Diagnostic[]): Diagnostic[] => ds.filter((d) => d.severity === 'error');

test('required_version that the implemented Packer version does not meet is refused, naming both versions', async (t) => {
  const ds = errors(await check(t, 't.pkr.hcl', hcl({ packer: '  required_version = ">= 99.0.0"' })));
  assert.equal(ds.length, 1, JSON.stringify(ds));
  const d = ds[0] as Diagnostic;
  assert.equal(d.summary, 'Unsupported Packer Core version');
  assert.match(d.detail ?? '', />= 99\.0\.0/);
  assert.ok(d.detail?.includes(PACKER_COMPAT_VERSION), d.detail);
  assert.equal(d.pos?.line, 2);
});

test('the usual required_version constraints of real templates are met', async (t) => {
  for (const c of ['>= 1.7.0', '>= 1.7.2, < 2', '~> 1.7', '>= 1.6.5', '!= 1.7.1']) {
    const ds = errors(await check(t, 't.pkr.hcl', hcl({ packer: `  required_version = "${c}"` })));
    assert.deepEqual(ds, [], c);
  }
  for (const c of ['< 1.7', '~> 1.8', '= 1.6.6', '!= 1.7.2', '>= 1.7.3']) {
    const ds = errors(await check(t, 't.pkr.hcl', hcl({ packer: `  required_version = "${c}"` })));
    assert.deepEqual(ds.map((d) => d.summary), ['Unsupported Packer Core version'], c);
  }
  const bad = errors(await check(t, 't.pkr.hcl', hcl({ packer: '  required_version = ">= banana"' })));
  assert.deepEqual(bad.map((d) => d.summary), ['Invalid required_version']);
});

test('required_plugins for the azure plugin is accepted and ignored with a note', async (t) => {
  const plugins = '  required_plugins {\n    azure = {\n      version = ">= 2.0.0"\n      source  = "github.com/hashicorp/azure"\n    }\n  }';
  const ds = await check(t, 't.pkr.hcl', hcl({ packer: `  required_version = ">= 1.7.0"\n${plugins}` }));
  assert.deepEqual(errors(ds), []);
  const note = ds.find((d) => d.code === 'AZC_TPL_PLUGIN_IGNORED');
  assert.ok(note, JSON.stringify(ds));
  assert.equal(note.severity, 'warning');
  assert.match(note.summary, /"azure" is ignored/);
});

for (const [attr, where] of [['copy_files', 'source'], ['pre_mount_commands', 'source'], ['inline', 'prov']] as const) {
  test(`HCL2: a single string for ${attr} is refused: list of string required`, async (t) => {
    const line = where === 'source' ? `  ${attr} = "echo x"` : `    ${attr} = "echo hi"`;
    const ds = errors(await check(t, 't.pkr.hcl', hcl({ [where]: line })));
    const d = ds.find((x) => x.path?.endsWith(attr));
    assert.ok(d, JSON.stringify(ds));
    assert.equal(d.summary, 'Incorrect attribute value type');
    assert.match(d.detail ?? '', new RegExp(`^Inappropriate value for attribute "${attr}": list of string required\\.`));
    assert.equal(d.pos?.file.endsWith('t.pkr.hcl'), true);
    assert.equal(d.pos?.line, where === 'source' ? 4 : 8);
  });
}

test('.pkr.json templates have HCL2 attribute types too', async (t) => {
  const json = {
    source: { 'azure-chroot': { x: { source: 'credativ:Debian:9:latest', image_resource_id: IMAGE, copy_files: '/etc/resolv.conf' } } },
    build: { sources: ['source.azure-chroot.x'] },
  };
  const ds = errors(await check(t, 't.pkr.json', JSON.stringify(json, null, 2)));
  assert.deepEqual(ds.map((d) => d.detail?.split('.')[0]), ['Inappropriate value for attribute "copy_files": list of string required']);
});

test('legacy JSON keeps Packer\'s loose decoding: a single string is a list of one', async (t) => {
  const json = {
    builders: [{ type: 'azure-chroot', source: 'credativ:Debian:9:latest', image_resource_id: IMAGE, copy_files: '/etc/resolv.conf' }],
    provisioners: [{ type: 'shell', inline: 'echo hi' }],
  };
  assert.deepEqual(errors(await check(t, 't.json', JSON.stringify(json, null, 2))), []);
});

test('number literals of attributes keep all their digits (hcl2json hands them over as doubles)', async (t) => {
  const dir = await makeTempDir(t, 'azc-verdict-');
  const file = join(dir, 't.pkr.hcl');
  const text = hcl({ prov: '    inline = ["${var.big} ${local.x} ${local.y}"]' }) +
    'variable "big" {\n  type    = number\n  default = 9007199254740993\n}\nlocals {\n  x = 12345678901234567890 # a comment\n  y = 0.1\n}\n';
  await writeFile(file, text);
  const r = await validate(file, { cwd: dir });
  assert.deepEqual(errors(r.diagnostics), []);
  assert.deepEqual(r.template?.builds[0]?.provisioners[0]?.config.inline, ['9007199254740993 12345678901234567890 0.1']);
});
