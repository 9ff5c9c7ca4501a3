import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, runItems, runCleanups, type Timing } from '../../../src/runner/step-view.js';
import type { PendingResource } from '../../../src/ledger/journal.js';
import { MemoryReporter } from '../../../src/report/reporter.js';
import { HostError } from '../../../src/errors.js';

for (const view of ['tty', 'plain'] as const) {
  test(`step view (${view}): items run in order, disabled ones are skipped, the step's own error comes out, timings recorded`, async () => {
    const ran: string[] = [];
    const timings: Timing[] = [];
    const boom = new HostError('AZC_HOST_X', 'boom');
    const items = ['a', 'b', 'c', 'd'].map((id) => ({
      id,
      title: `Step ${id}`,
      enabled: () => id !== 'b',
      exec: async () => {
        ran.push(id);
        if (id === 'c') throw boom;
      },
    }));
    const error = await runItems(view, new MemoryReporter(), items, timings).then(() => undefined, (e: unknown) => e);
    assert.equal(error, boom);
    assert.deepEqual(ran, ['a', 'c']);
    assert.deepEqual(timings.map((x) => x.step), ['a', 'c']);
  });

  test(`step view (${view}): cleanup failures are returned, not thrown`, async () => {
    const timings: Timing[] = [];
    const mount: PendingResource = { kind: 'mount', id: '/m', status: 'created', temporary: true, seq: 2 };
    const disk: PendingResource = { kind: 'disk', id: '/d', status: 'created', temporary: true, seq: 1 };
    const report = await runCleanups(view, new MemoryReporter(), 2, async (hooks) => {
      hooks.before?.(mount);
      hooks.after?.(mount, 1);
      hooks.before?.(disk);
      const error = new Error('disk failed');
      hooks.after?.(disk, 1, error);
      return { removed: [mount], kept: [], failed: [{ kind: 'disk', id: '/d', label: 'temporary disk /d', error }] };
    }, timings);
    assert.deepEqual(report.failed.map((f) => f.id), ['/d']);
    assert.deepEqual(timings.map((x) => x.step), ['cleanup:mount', 'cleanup:disk']);
  });
}

test('formatDuration', () => {
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(12_340), '12.3 s');
  assert.equal(formatDuration(125_000), '2m05s');
});
