// Shared fixtures for the HCL evaluator tests: a context shaped like Packer's and a case runner.

import assert from 'node:assert/strict';
import { createFunctions, type EvalContext, evaluateTemplate, fromPlain, HclError, type HclValue, isUnknown, toPlain, UnknownValue } from '../../../src/hcl/index.js';

export interface Case {
  text: string;
  /** Extra or replacement root variables (plain data: JS numbers become HCL numbers). */
  vars?: Record<string, unknown>;
  /** The expected result as plain data (numbers as JS numbers). */
  expect?: unknown;
  /** Expected HclError summary. */
  error?: string;
  /** Substring expected in the error detail. */
  detail?: string;
  /** The result must be unknown. */
  unknown?: boolean;
}

export const NOW = new Date('2021-03-04T05:06:07Z');

/** A context like the one the loader builds for a provisioner body at prepare time. */
export function makeContext(extra: Record<string, unknown> = {}, baseDir = '/tmp', cwd = '/work'): EvalContext {
  return {
    variables: plainVariables({
      var: {
        x: 'X', y: 'Y', z: 'zk', n: 2, count: 3, c: true, s: '2',
        pkgs: ['git', 'curl'],
        l: ['a', 'b'],
        m: { b: 1, a: 2 },
        disks: [{ name: 'os', size: 30, tags: ['x'] }, { name: 'data', size: 100, tags: ['y', 'z'] }],
        nested: { one: { two: 'deep' } },
        nul: null,
      },
      local: { a: 'A' },
      source: { name: new UnknownValue('source.name'), type: 'azure-chroot' },
      build: { ID: new UnknownValue('build.ID') },
      path: { root: '.', cwd },
      ...extra,
    }),
    functions: createFunctions({ baseDir, cwd, env: { HOME: '/home/u', EMPTY: '' }, now: () => NOW }),
  };
}

/** Root variables from plain data (UnknownValue kept). */
export function plainVariables(vars: Record<string, unknown>): Record<string, HclValue> {
  return fromPlain(vars) as Record<string, HclValue>;
}

/** Runs one table case, with the case text in every failure message. */
export function runCase(c: Case, ctx: EvalContext = makeContext(c.vars)): void {
  const label = `case ${JSON.stringify(c.text)}`;
  if (c.error !== undefined) {
    assert.throws(
      () => evaluateTemplate(c.text, ctx),
      (err: unknown) => {
        assert.ok(err instanceof HclError, `${label}: expected HclError, got ${String(err)}`);
        assert.equal(err.summary, c.error, `${label}: summary`);
        if (c.detail !== undefined) assert.ok(err.detail?.includes(c.detail), `${label}: detail ${JSON.stringify(err.detail)} lacks ${JSON.stringify(c.detail)}`);
        return true;
      },
      label,
    );
    return;
  }
  const got = evaluateTemplate(c.text, ctx);
  if (c.unknown) {
    assert.ok(isUnknown(got), `${label}: expected unknown, got ${JSON.stringify(got)}`);
    return;
  }
  assert.deepStrictEqual(toPlain(got), c.expect, label);
}
