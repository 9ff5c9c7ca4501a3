// The HCL differential table (test/fixtures/hcl-differential/table.json): expressions with the
// jsonencode() text `packer console` 1.6.6 printed, and where 1.6.6 is wrong, the later Packer
// result azchroot implements. Shared by every test that checks expression semantics.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFunctions, type EvalContext, type HclValue } from '../../src/hcl/index.js';
import { parseHclFile } from '../../src/template/hcl-syntax.js';
import { declareVariables } from '../../src/template/hcl2/variables.js';
import { PACKER_COMPAT_VERSION } from '../../src/version.js';

export type Verdict = { value: string } | { error: string; detail?: string };

export interface DifferentialRow {
  expr: string;
  /** What packer console 1.6.6 printed for jsonencode(expr). */
  packer: Verdict;
  /** Where 1.6.6 is wrong: the later, documented result (what azchroot must give). */
  later?: Verdict;
  note?: string;
}

export const DIFFERENTIAL_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'hcl-differential');

/** The rows of the table. */
export function differentialRows(): DifferentialRow[] {
  return (JSON.parse(readFileSync(join(DIFFERENTIAL_DIR, 'table.json'), 'utf8')) as { rows: DifferentialRow[] }).rows;
}

/** What azchroot must give for a row. */
export function expected(row: DifferentialRow): Verdict {
  return row.later ?? row.packer;
}

/** The evaluation context of the table: var.* from variables.pkr.hcl, read by the template loader's own variable code. */
export async function differentialContext(): Promise<EvalContext> {
  const file = join(DIFFERENTIAL_DIR, 'variables.pkr.hcl');
  const parsed = await parseHclFile(file, readFileSync(file, 'utf8'));
  const diagnostics = [...parsed.diagnostics];
  const declared = declareVariables([parsed], {}, diagnostics);
  if (diagnostics.length > 0) throw new Error(`variables.pkr.hcl: ${diagnostics.map((d) => d.summary).join('; ')}`);
  const vars: Record<string, HclValue> = {};
  for (const [name, v] of declared) vars[name] = v.defaultValue ?? null;
  return {
    variables: { var: vars, path: { root: '.', cwd: '/work' }, packer: { version: PACKER_COMPAT_VERSION } },
    functions: createFunctions({ baseDir: DIFFERENTIAL_DIR, cwd: '/work', env: {} }),
  };
}
