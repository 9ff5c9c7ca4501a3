// Every row of the HCL differential table evaluates, through the public evaluator, to the
// jsonencode() text Packer printed (or the later-fixed result where 1.6.6 is wrong), or fails
// with the same diagnostic summary.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateTemplate, HclError } from '../../../src/hcl/index.js';
import { differentialContext, differentialRows, expected, type Verdict } from '../../helpers/hcl-differential.js';

async function evaluateRow(expr: string): Promise<Verdict> {
  const ctx = await differentialContext();
  try {
    const v = evaluateTemplate(`\${jsonencode(${expr})}`, ctx);
    return { value: typeof v === 'string' ? v : `<not a string: ${String(v)}>` };
  } catch (err) {
    if (err instanceof HclError) return { error: err.summary, ...(err.detail ? { detail: err.detail } : {}) };
    throw err;
  }
}

describe('HCL differential table (packer console 1.6.6)', () => {
  const rows = differentialRows();

  it('has at least 300 rows, each with a verdict', () => {
    assert.ok(rows.length >= 300, `only ${rows.length} rows`);
    for (const r of rows) assert.ok('value' in r.packer || 'error' in r.packer, r.expr);
  });

  it('every row gives the expected result', async () => {
    const failures: string[] = [];
    for (const row of rows) {
      const want = expected(row);
      const got = await evaluateRow(row.expr);
      const ok = 'value' in want ? 'value' in got && got.value === want.value : 'error' in got && got.error === want.error;
      if (!ok) failures.push(`${row.expr}\n    want ${JSON.stringify(want).slice(0, 300)}\n    got  ${JSON.stringify(got).slice(0, 300)}`);
    }
    assert.equal(failures.length, 0, `${failures.length} of ${rows.length} rows differ:\n  ${failures.join('\n  ')}`);
  });
});
