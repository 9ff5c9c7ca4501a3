// Table of legacy JSON template cases (templates.md §3).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LoadOptions, LoadResult } from '../../../src/template/model.js';
import { brief, errors, loadFixture, loadInline } from './helpers.js';

interface Case {
  name: string;
  files?: Record<string, string>;
  fixture?: string;
  options?: LoadOptions;
  check(r: LoadResult): void;
}

const tpl = (o: Record<string, unknown>): string => JSON.stringify({ builders: [{ type: 'null', communicator: 'none' }], ...o }, null, 2);
const inline = (r: LoadResult, build = 0): unknown[] => r.template!.builds[build]!.provisioners.map((p) => (p.config.inline as unknown[])[0]);

const cases: Case[] = [
  {
    name: 'sample: variables rendered with user/env, sensitive, only/except/override, chains',
    fixture: 'json/legacy.json',
    options: { env: { HOME: '/root' } },
    check: (r) => {
      assert.deepEqual(r.diagnostics, []);
      const t = r.template!;
      assert.equal(t.kind, 'json');
      assert.equal(t.description, 'two null builders');
      assert.deepEqual(t.userVars, { a: 'A', b: 'A-B', home: '/root', secret: 'hunter2' });
      assert.deepEqual(t.sensitiveValues, ['hunter2']);
      assert.deepEqual(t.builds.map((b) => [b.name, b.sourceType, b.sourceName, b.builder]), [
        ['n1', 'null', 'n1', { communicator: 'none' }],
        ['null', 'null', 'null', { communicator: 'none' }],
      ]);
      // Bodies stay Go-template text; the config stage renders them.
      assert.deepEqual(inline(r, 0), ['echo P1 {{build_name}} {{build_type}} {{user `b`}} {{user `home`}}', 'echo P3 overridden for n1']);
      assert.deepEqual(inline(r, 1), ['echo P2 {{build_name}}', 'echo P3 default']);
      const [p2, p3] = t.builds[1]!.provisioners;
      assert.deepEqual([p2!.pauseBefore, p3!.timeout, p3!.maxRetries, p3!.origin.path], ['1s', '5m', 3, 'provisioners[2]']);
      assert.deepEqual(t.builds[0]!.postProcessors.map((c) => c.map((p) => [p.type, p.name, p.keepInputArtifact, p.origin.path])), [
        [['manifest', undefined, undefined, 'post-processors[0]']],
        [['manifest', 'second', true, 'post-processors[1][1]']],
      ]);
      assert.deepEqual(t.builds[1]!.postProcessors.map((c) => c.map((p) => p.type)), [['manifest'], ['shell-local', 'manifest']]);
    },
  },
  {
    name: 'variables: -var-file then -var precedence; from is recorded',
    files: { 't.json': tpl({ variables: { a: 'def', b: 'def', c: 'def' } }), 'vf.json': '{"b": "file", "c": "file"}' },
    options: { varFiles: ['vf.json'], vars: [['c', 'cli']] },
    check: (r) => {
      assert.deepEqual(r.template!.userVars, { a: 'def', b: 'file', c: 'cli' });
      assert.deepEqual(r.template!.variables.map((v) => v.from), ['default', 'var-file', 'cli']);
    },
  },
  {
    name: 'variables: null means required',
    files: { 't.json': tpl({ variables: { r: null } }) },
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_UNSET 9:5 variables.r']);
      assert.equal(r.diagnostics[0]!.summary, 'required variable not set: r');
    },
  },
  {
    name: 'variables: a required one given with -var is fine; undeclared -var names are accepted',
    files: { 't.json': tpl({ variables: { r: null } }) },
    options: { vars: [['r', 'x'], ['other', 'y']] },
    check: (r) => assert.deepEqual(r.template!.userVars, { r: 'x', other: 'y' }),
  },
  {
    name: 'variables: numbers are rejected',
    files: { 't.json': tpl({ variables: { n: 1 } }) },
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_VALUE 9:5 variables.n']),
  },
  {
    name: 'var file values must be strings',
    files: { 't.json': tpl({}), 'vf.json': '{\n  "n": 1\n}' },
    options: { varFiles: ['vf.json'] },
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_VAR_FILE 2:3 variables.n']);
      assert.match(r.diagnostics[0]!.summary, /vf\.json/);
    },
  },
  {
    name: '{{ .X }} fragments in variables are protected; user chains resolve in any order',
    files: { 't.json': tpl({ variables: { a: '{{user `b`}}-a', b: '{{user `c`}}-b', c: 'C', cmd: 'sudo {{ .Command }} {{user `c`}}' } }) },
    check: (r) => assert.deepEqual(r.template!.userVars, { a: 'C-b-a', b: 'C-b', c: 'C', cmd: 'sudo {{ .Command }} C' }),
  },
  {
    name: 'variables: a reference to an unknown user variable is reported',
    files: { 't.json': tpl({ variables: { a: '{{user `nope`}}' } }) },
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_RENDER 9:5 variables.a']);
      assert.match(r.diagnostics[0]!.summary, /nope/);
    },
  },
  {
    name: 'builder name may use {{user}}; only/except use the raw name',
    files: { 't.json': JSON.stringify({ variables: { n: 'named' }, builders: [{ type: 'null', name: '{{user `n`}}' }], provisioners: [{ type: 'shell-local', only: ['named'], inline: ['x'] }] }) },
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_ONLY_EXCEPT 1:125 provisioners[0].only[0]']);
      assert.equal(r.diagnostics[0]!.summary, "'only' specified builder 'named' not found");
      assert.equal(r.template!.builds[0]!.name, 'named');
    },
  },
  {
    name: 'builders: type required, names unique, at least one',
    files: { 't.json': JSON.stringify({ builders: [{ type: 'null' }, { type: 'null' }, { name: 'x' }] }, null, 2) },
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_BUILDER_DUPLICATE 7:7 builders[1].name', 'error AZC_TPL_BUILDER_TYPE 9:5 builders[2].type']),
  },
  {
    name: 'no builders',
    files: { 't.json': '{"builders": []}' },
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_NO_BUILDERS 1:2 builders']),
  },
  {
    name: 'override keys must be builder names',
    files: { 't.json': tpl({ provisioners: [{ type: 'shell-local', inline: ['x'], override: { nope: { inline: ['y'] } } }] }) },
    check: (r) => assert.deepEqual(r.diagnostics.map((d) => [d.summary, d.path]), [["override 'nope' doesn't exist", 'provisioners[0].override.nope']]),
  },
  {
    name: 'unknown root key with did you mean; _comment keys are allowed',
    files: { 't.json': '{\n  "_comment": "ok",\n  "builders": [{"type": "null"}],\n  "provisioner": []\n}' },
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_UNKNOWN_KEY 4:3 provisioner']);
      assert.equal(r.diagnostics[0]!.summary, "unknown root level key in template: 'provisioner'");
      assert.match(r.diagnostics[0]!.detail!, /did you mean "provisioners"\?/);
    },
  },
  {
    name: 'an undeclared user variable is an error, once per name at its first use, in every field (Packer renders "")',
    files: {
      't.json': [
        '{',
        '  "variables": {"name": "x", "other": "{{user `name`}}"},',
        '  "builders": [{"type": "null", "communicator": "none", "name": "{{ user `nam` }}"}],',
        '  "provisioners": [{"type": "shell-local", "inline": ["echo {{user \\"nam\\" | upper}}", "echo {{ lower (user `unrelatedthing`) }}", "echo {{user `name`}}"]}]',
        '}',
      ].join('\n'),
    },
    check: (r) => {
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_USER_UNDECLARED 3:57 builders[0].name', 'error AZC_TPL_USER_UNDECLARED 4:88 provisioners[0].inline[1]']);
      const [nam, other] = r.diagnostics;
      assert.equal(nam!.summary, 'user variable "nam" is not declared in "variables"');
      assert.match(nam!.detail!, /^did you mean "name"\? Declare it in "variables" .* It is used 2 times\.$/);
      assert.doesNotMatch(other!.detail!, /did you mean|used \d+ times/);
    },
  },
  {
    name: 'duplicate keys anywhere',
    files: { 't.json': '{\n  "builders": [{"type": "null", "type": "null"}]\n}' },
    check: (r) => assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_DUPLICATE_KEY 2:33 builders[0].type']),
  },
  {
    name: 'post-processors: nested arrays rejected',
    files: { 't.json': tpl({ 'post-processors': [[['manifest']]] }) },
    check: (r) => assert.deepEqual(errors(r).map((d) => [d.code, d.path]), [['AZC_TPL_PLUGIN_TYPE', 'post-processors[0][0]']]),
  },
  {
    name: 'min_packer_version above the implemented Packer version is an error',
    files: { 't.json': tpl({ min_packer_version: '1.8.0' }) },
    check: (r) => assert.match(r.diagnostics[0]!.summary, /requires Packer version 1\.8\.0/),
  },
  {
    name: 'CLI -only glob on builder names',
    files: { 't.json': JSON.stringify({ builders: [{ type: 'null', name: 'web-1' }, { type: 'null', name: 'web-2' }, { type: 'null', name: 'db' }] }) },
    options: { only: ['web-*'], except: ['*2'] },
    check: (r) => assert.deepEqual(r.template!.builds.map((b) => b.name), ['web-1']),
  },
  {
    name: 'a syntax error gives file:line:col and no template',
    files: { 't.json': '{\n  "builders": [\n    {"type": "null",}\n  ]\n}' },
    check: (r) => {
      assert.equal(r.template, undefined);
      assert.deepEqual(brief(r.diagnostics), ['error AZC_TPL_SYNTAX 3:21 -']);
    },
  },
];

for (const c of cases) {
  test(c.name, async () => {
    const r = c.fixture !== undefined ? await loadFixture(c.fixture, c.options) : await loadInline(c.files ?? {}, 't.json', c.options);
    c.check(r);
  });
}
