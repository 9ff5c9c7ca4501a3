import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderGoTemplate, renderUntilStable, scanGoTemplate, GoTemplateError } from '../../../src/interpolate/go-template.js';
import { templateFunctions, templatesUseVm, cleanResourceName, type FunctionContext } from '../../../src/interpolate/functions.js';
import { formatGoLayout } from '../../../src/interpolate/time-format.js';
import { PACKER_COMPAT_VERSION } from '../../../src/version.js';

// 1795300773 = 2026-11-21T22:39:33Z, a Saturday.
const BASE: FunctionContext = {
  kind: 'json', phase: 'config', userVars: { a: 'A', name: 'web' }, templateDir: '/work/t', startTime: 1795300773,
  cwd: '/work/cwd', buildName: 'example', buildType: 'azure-chroot', vm: (k) => `vm-${k}`,
};
const render = (text: string, over: Partial<FunctionContext> = {}, data: Record<string, string> = {}): string =>
  renderGoTemplate(text, { funcs: templateFunctions({ ...BASE, ...over }), data });

const CASES: [name: string, text: string, expected: string, over?: Partial<FunctionContext>, data?: Record<string, string>][] = [
  ['plain text passes through', 'no actions here', 'no actions here'],
  ['user variable', 'x-{{ user `a` }}-y', 'x-A-y'],
  ['missing user variable is empty outside the variables section', '[{{user `nope`}}]', '[]'],
  ['env in the variables section', '{{ env `HOME_X` }}', '/home/x', { phase: 'variables', env: { HOME_X: '/home/x' } }],
  ['timestamp is the start time', '{{timestamp}}', '1795300773'],
  ['isotime without layout is RFC 3339', '{{isotime}}', '2026-11-21T22:39:33Z'],
  ['isotime with a Go layout', '{{isotime `2006-01-02`}}', '2026-11-21'],
  ['isotime long names, 12-hour clock, zone', '{{ isotime "Monday January 2 03:04:05 PM MST Z07:00 -0700" }}', 'Saturday November 21 10:39:33 PM UTC Z +0000'],
  ['isotime short names and fractions', '{{isotime `Mon Jan _2 15:04:05.000 06`}}', 'Sat Nov 21 22:39:33.000 26'],
  ['strftime', '{{strftime `%Y%m%d-%H%M%S %a %b %j %%`}}', '20261121-223933 Sat Nov 325 %'],
  ['build_name and build_type', '{{build_name}}/{{build_type}}', 'example/azure-chroot'],
  ['template_dir in JSON templates', '{{template_dir}}', '/work/t'],
  ['pwd', '{{pwd}}', '/work/cwd'],
  ['split', '{{split `a-b-c` `-` 1}}', 'b'],
  ['replace n', '{{ replace "a" "X" 1 "aaa" }}', 'Xaa'],
  ['replace_all', '{{replace_all `a` `X` `aaa`}}', 'XXX'],
  ['upper and lower with a pipeline', '{{ "Ab" | upper }} {{ "Ab" | lower }}', 'AB ab'],
  ['parenthesised call', '{{ lower (user `name` | upper) }}', 'web'],
  ['clean_resource_name', '{{clean_resource_name `my image#1 (v2)..`}}', 'my-image-1--v2'],
  ['packer_version', '{{packer_version}}', PACKER_COMPAT_VERSION],
  ['build at load time keeps its text', 'id={{ build `SourceImageName` }}', 'id={{ build `SourceImageName` }}'],
  ['build at step time', '{{ build `SourceImageName` }}', '/img', { phase: 'step', buildData: { SourceImageName: '/img' } }],
  ['vm lookup', '{{ vm `subscription_id` }}', 'vm-subscription_id'],
  ['data fields', 'mount {{.Device}}1 {{ .MountPath }}', 'mount /dev/sdc1 /mnt/x', {}, { Device: '/dev/sdc', MountPath: '/mnt/x' }],
  ['trim markers', 'a  {{- "b" -}}  c', 'abc'],
  ['comments', 'a{{/* note */}}b{{- /* x */ -}} c', 'abc'],
  ['Go escapes in double quotes', '{{ "tab\\there\\x41\\u00e9" }}', 'tab\thereAé'],
  ['negative number is not a trim marker', '{{ split "a-b" "-" 0 }}', 'a'],
];

for (const [name, text, expected, over, data] of CASES) {
  test(`go template: ${name}`, () => {
    assert.equal(render(text, over, data), expected);
  });
}

const ERRORS: [name: string, text: string, message: RegExp, over?: Partial<FunctionContext>][] = [
  ['undefined function', 'ab {{ nope }}', /^template: root:1:7: function "nope" not defined$/],
  ['missing data key', '{{ .Foo }}', /^template: root:1:4: executing "root" at <\.Foo>: map has no entry for key "Foo"$/],
  ['env outside the variables section', '{{env `HOME`}}', /error calling env: env vars are not allowed here/],
  ['user in HCL2', '{{user `a`}}', /error calling user: .*var\.a/, { kind: 'hcl2' }],
  ['template_dir in HCL2', '{{template_dir}}', /template path not available/, { kind: 'hcl2' }],
  ['unknown vm key', '{{vm `size`}}', /unknown metadata key: size \(supported: name, subscription_id, resource_group, location, zone, resource_id\)/],
  ['split out of range', '{{split `a-b` `-` 5}}', /the substring 5 was unavailable/],
  ['sed is deprecated', '{{sed `s/a/b/` `a`}}', /sed is deprecated/],
  ['vault unsupported', '{{vault `secret/x` `k`}}', /vault is not supported/],
  ['if is unsupported', '{{ if .A }}x{{ end }}', /"if" is not supported/],
  ['unclosed action', 'a {{ upper "x" ', /unclosed action/],
  ['missing build data at step time', '{{build `Nope`}}', /build data "Nope" is not available; available keys: ID/, { phase: 'step', buildData: { ID: 'x' } }],
  ['user unset in the variables section', '{{user `zz`}}', /variable not set: zz/, { phase: 'variables' }],
];

for (const [name, text, message, over] of ERRORS) {
  test(`go template error: ${name}`, () => {
    assert.throws(() => render(text, over), (err: unknown) => err instanceof GoTemplateError && message.test(err.message));
  });
}

test('go template: error positions count lines', () => {
  assert.throws(() => render('line one\n  {{ bad }}'), /template: root:2:6: function "bad" not defined/);
});

test('go template: uuid is time-ordered and 36 characters', () => {
  const a = render('{{uuid}}');
  const b = render('{{uuid}}');
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.notEqual(a, b);
  const secs = Number.parseInt(a.slice(0, 8), 16);
  assert.ok(Math.abs(secs - Date.now() / 1000) < 600);
});

test('go template: renderUntilStable renders output that contains actions again', () => {
  const funcs = templateFunctions({ ...BASE, userVars: { outer: '{{user `inner`}}', inner: 'deep' } });
  assert.equal(renderUntilStable('{{user `outer`}}', { funcs, data: {} }), 'deep');
  assert.equal(renderGoTemplate('{{user `outer`}}', { funcs, data: {} }), '{{user `inner`}}');
});

test('go template: scan lists functions and fields', () => {
  assert.deepEqual(scanGoTemplate('{{ .Device }} {{ vm `x` | upper }} {{ lower (timestamp) }}'), { funcs: ['vm', 'upper', 'lower', 'timestamp'], fields: ['Device'], userVariables: [] });
  assert.deepEqual(scanGoTemplate('{{ user `a` }} {{ user "b" | upper }} {{ lower (user `c`) }} {{ upper `user` }}').userVariables, ['a', 'b', 'c']);
  assert.throws(() => scanGoTemplate('{{ "unterminated }}'), GoTemplateError);
});

test('go template: templatesUseVm', () => {
  assert.equal(templatesUseVm(['a', '{{ vm `name` }}']), true);
  assert.equal(templatesUseVm(['{{ user `vm` }}', 'vm']), false);
});

test('go template: clean_resource_name replaces multi-byte characters byte by byte', () => {
  assert.equal(cleanResourceName('aé_b.'), 'a--_b');
});

test('go template: Go layouts pad and trim fractional seconds', () => {
  const t = new Date(Date.UTC(2021, 0, 5, 3, 4, 5, 120));
  assert.equal(formatGoLayout(t, '2006-1-2 3:4:5 .000 .999 _2 002'), '2021-1-5 3:4:5 .120 .12  5 005');
});
