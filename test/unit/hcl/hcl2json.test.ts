// End to end with the real syntax layer: @cdktn/hcl2json output evaluated by our evaluator gives
// what `packer console` 1.6.6 printed for the same locals.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from '@cdktn/hcl2json';
import { createFunctions, evaluateJson, toPlain } from '../../../src/hcl/index.js';

const source = `
locals {
  a = "a\\\\b \${var.x}"
  b = "say \\"\${var.x}\\" and \\\\n"
  c = join("\\n", ["p", "q"])
  d = "\${upper("x")}-\${ "lit" }"
  e = <<-EOT
    %{ if var.c ~}
    yes
    %{~ endif }
  EOT
  f = { "k-\${var.x}" = 1, (var.x) = 2 }
  g = [for s in ["a"] : "\${s}\\t"]
  h = "%{ for x in ["a","b"] }\${x},%{ endfor }"
  i = var.c ? "y" : "n"
  j = "50% done $\${HOME} %%{x}"
}
`;

// Values printed by packer 1.6.6 `console` for the same file with x = "X", c = true.
const packer: Record<string, unknown> = {
  a: 'a\\b X',
  b: 'say "X" and \\n',
  c: 'p\nq',
  d: 'X-lit',
  e: '        yes\n\n',
  f: { X: 2, 'k-X': 1 },
  g: ['a\t'],
  h: 'a,b,',
  i: 'y',
  j: '50% done ${HOME} %{x}',
};

describe('hcl2json output', () => {
  it('evaluates like packer console', async () => {
    const json = (await parse('t.pkr.hcl', source)) as { locals: Record<string, unknown>[] };
    const locals = json.locals[0] as Record<string, unknown>;
    const ctx = { variables: { var: { x: 'X', c: true } }, functions: createFunctions({ baseDir: '.', cwd: '.', env: {} }) };
    for (const [name, expected] of Object.entries(packer)) {
      assert.deepStrictEqual(toPlain(evaluateJson(locals[name], ctx)), expected, `local.${name} from ${JSON.stringify(locals[name])}`);
    }
  });
});
