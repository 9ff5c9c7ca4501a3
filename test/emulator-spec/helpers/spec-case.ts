// One case derived from a published Azure REST example: the request we send, the status codes the
// example allows, the headers a 202 carries, and the key paths of the first answer and of the final
// result. `runCases` runs a table of them against one emulator, each as its own subtest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness, type RawResponse } from '../../emulator/helpers/harness.js';
import { shapeProblems, type Shape } from './shape.js';

export const DISK_API = '2025-01-02';
export const COMPUTE_API = '2024-11-01';
export const GALLERY_API = '2025-03-03';

export interface SpecRequest {
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST';
  /** Path and query, e.g. /subscriptions/…/disks/d1?api-version=… */
  path: string;
  body?: unknown;
}

export interface Outcome {
  first: RawResponse;
  /** What the long-running operation produced (the Location answer), or the first body when synchronous. */
  result: unknown;
  /** The GET after the operation, when the case asks for one. */
  got?: RawResponse;
}

export interface SpecCase {
  /** The example the case follows (file name without .json). */
  example: string;
  what: string;
  setup?: (h: Harness) => Promise<void>;
  request: (h: Harness) => SpecRequest;
  /** Status codes the example lists for the first answer. */
  statuses: readonly number[];
  /** Headers the example shows on a 202 answer. */
  acceptedHeaders?: readonly string[];
  /** Key paths of the first answer's body. */
  shape?: Shape;
  /** Key paths after the operation: of a GET on `path` (default the request path), or of the operation's result. */
  final?: { from: 'get' | 'result'; shape: Shape; path?: (h: Harness) => string };
  check?: (h: Harness, outcome: Outcome) => void | Promise<void>;
}

/** /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/{rest}?api-version={api} */
export function rgPath(h: Harness, rest: string, api: string): string {
  return `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/${rest}?api-version=${api}`;
}

function pathOf(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

function header(res: RawResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Follows the operation a first answer started (Azure-AsyncOperation, then Location) and returns its result. */
export async function finishLro(h: Harness, first: RawResponse): Promise<unknown> {
  const asyncUrl = header(first, 'Azure-AsyncOperation');
  const location = header(first, 'Location');
  if (!asyncUrl && !location) return first.body;
  if (asyncUrl) {
    // Bounded by count, not time: the instant profile finishes on the first poll.
    for (let i = 0; ; i++) {
      const status = await h.arm('GET', pathOf(asyncUrl));
      assert.equal(status.status, 200, `operation status answered ${status.status}: ${status.text}`);
      if (status.body.status !== 'InProgress') {
        assert.equal(status.body.status, 'Succeeded', `operation ended ${status.body.status}: ${status.text}`);
        break;
      }
      assert.ok(i < 200, 'operation still InProgress after 200 polls');
    }
  }
  if (!location) return undefined;
  for (let i = 0; ; i++) {
    const res = await h.arm('GET', pathOf(location));
    if (res.status !== 202) {
      assert.ok(res.status === 200 || res.status === 204, `Location answered ${res.status}: ${res.text}`);
      return res.body;
    }
    assert.ok(i < 200, 'Location still 202 after 200 polls');
  }
}

/** Sends a request and waits for its operation; fails unless it succeeds. Returns the result. */
export async function armDone(h: Harness, req: SpecRequest): Promise<unknown> {
  const first = await h.arm(req.method, req.path, { body: req.body });
  assert.ok(first.status >= 200 && first.status < 300, `${req.method} ${req.path} answered ${first.status}: ${first.text}`);
  return finishLro(h, first);
}

function assertShape(body: unknown, shape: Shape, label: string): void {
  const problems = shapeProblems(body, shape);
  assert.deepEqual(problems, [], `${label} differs from the example:\n  ${problems.join('\n  ')}\nbody: ${JSON.stringify(body)}`);
}

/** Runs one case; returns what happened for further checks. */
export async function runCase(h: Harness, c: SpecCase): Promise<Outcome> {
  await c.setup?.(h);
  const req = c.request(h);
  const first = await h.arm(req.method, req.path, { body: req.body });
  assert.ok(c.statuses.includes(first.status), `${c.example}: ${req.method} answered ${first.status}, the example allows ${c.statuses.join('/')}; body ${first.text}`);
  if (first.status === 202) {
    for (const name of c.acceptedHeaders ?? []) assert.ok(header(first, name), `${c.example}: 202 answer lacks the ${name} header`);
  }
  if (c.shape) assertShape(first.body, c.shape, `${c.example}: first answer`);
  const result = await finishLro(h, first);
  const outcome: Outcome = { first, result };
  if (c.final?.from === 'result') assertShape(result, c.final.shape, `${c.example}: operation result`);
  if (c.final?.from === 'get') {
    const got = await h.arm('GET', c.final.path?.(h) ?? req.path);
    assert.equal(got.status, 200, `${c.example}: GET after the operation answered ${got.status}: ${got.text}`);
    assertShape(got.body, c.final.shape, `${c.example}: GET after the operation`);
    outcome.got = got;
  }
  await c.check?.(h, outcome);
  return outcome;
}

/** Registers one test running `cases` in order against one fresh emulator (fake disk backend). */
export function runCases(title: string, cases: readonly SpecCase[]): void {
  test(title, async (t) => {
    const h = await startHarness(t);
    for (const c of cases) await t.test(`${c.example}: ${c.what}`, () => runCase(h, c).then(() => undefined));
  });
}
