// `azchroot console` agrees with `packer console` on the HCL differential table (the expressions,
// through jsonencode, with the template loader's own variables), prints values as Packer does, and
// takes expressions one per line from stdin, exiting 1 when one fails.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { evaluatorFor } from '../../../src/cli/commands/console.js';
import { evaluateExpression, formatConsoleValue, HclError } from '../../../src/hcl/index.js';
import { loadTemplate } from '../../../src/template/load.js';
import { DIFFERENTIAL_DIR, differentialRows, expected } from '../../helpers/hcl-differential.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

test('console gives the differential table\'s results for jsonencode(<expr>) with the table\'s variables', async () => {
  const { template, diagnostics } = await loadTemplate(join(DIFFERENTIAL_DIR, 'variables.pkr.hcl'), { cwd: '/work', env: {} });
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  const evaluate = evaluatorFor(template!);
  const failures: string[] = [];
  for (const row of differentialRows()) {
    const want = expected(row);
    let got: { value: string } | { error: string };
    try {
      got = { value: evaluate(`jsonencode(${row.expr})`) };
    } catch (err) {
      if (!(err instanceof HclError)) throw err;
      got = { error: err.summary };
    }
    const ok = 'value' in want ? 'value' in got && got.value === want.value : 'error' in got && got.error === want.error;
    if (!ok) failures.push(`${row.expr}: want ${JSON.stringify(want).slice(0, 200)}, got ${JSON.stringify(got).slice(0, 200)}`);
  }
  assert.deepEqual(failures, []);
});

test('console numbers as packer console prints them: 64-bit whole numbers in full, the rest in Go\'s %g', () => {
  const cases: [string, string][] = [['1000000', '1000000'], ['123456', '123456'], ['1e21', '1e+21'], ['1e20', '1e+20'], ['0.000001', '1e-06'], ['0.5', '0.5'],
    ['12345678901234567890', '1.2345678901234567e+19'], ['1234567.5', '1.2345675e+06'], ['-3', '-3'], ['0.0001', '0.0001'], ['1 / 3', '0.3333333333333333']];
  const ctx = { variables: {}, functions: {} };
  for (const [expr, want] of cases) assert.equal(formatConsoleValue(evaluateExpression(expr, ctx)), want, expr);
});

test('console prints values as packer console does; one expression per line from stdin; exit 1 after a failing one', () => {
  const template = join(DIFFERENTIAL_DIR, 'variables.pkr.hcl');
  const input = ['var.lst', '{b = 1, a = "x"}', 'upper("web")', '"multi\\nline"', 'var.nope', 'null', 'true', '5 / 2', ''].join('\n');
  const r = spawnSync(process.execPath, ['bin/azchroot', 'console', template], { cwd: root, input, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, '[\n  "a",\n  "b",\n  "c",\n]\n{\n  "a" = "x"\n  "b" = 1\n}\nWEB\nmulti\nline\nnull\ntrue\n2.5\n');
  assert.match(r.stderr, /^Error: Reference to undeclared input variable\n\nAn input variable with the name "nope" has not been declared/);
  // Sensitive values are masked, whole or inside a longer value.
  const dir = mkdtempSync(join(tmpdir(), 'azc-console-'));
  try {
    writeFileSync(join(dir, 's.pkr.hcl'), 'variable "pw" {\n  default   = "hunter2-x"\n  sensitive = true\n}\nlocals { url = "https://u:${var.pw}@h" }\n');
    const s = spawnSync(process.execPath, ['bin/azchroot', 'console', join(dir, 's.pkr.hcl')], { cwd: root, input: 'var.pw\nlocal.url\n', encoding: 'utf8' });
    assert.equal(s.stdout, '<sensitive>\nhttps://u:<sensitive>@h\n', s.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const bare = spawnSync(process.execPath, ['bin/azchroot', 'console'], { cwd: root, input: 'upper("x")\npacker.version\n', encoding: 'utf8' });
  assert.equal(bare.status, 0, bare.stderr);
  assert.match(bare.stdout, /^X\n\d+\.\d+\.\d+\n$/);
});
