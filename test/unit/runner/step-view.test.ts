import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, runItems, runCleanups, type Timing } from '../../../src/runner/step-view.js';
import { CleanupStack } from '../../../src/runner/cleanup-stack.js';
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
    const stack = new CleanupStack();
    stack.push('x', async () => { throw new Error('x failed'); });
    stack.push('y', async () => undefined);
    const timings: Timing[] = [];
    const failures = await runCleanups(view, new MemoryReporter(), stack, timings);
    assert.deepEqual(failures.map((f) => f.id), ['x']);
    assert.deepEqual(timings.map((x) => x.step), ['cleanup:y', 'cleanup:x']);
  });
}

test('formatDuration', () => {
  assert.equal(formatDuration(850), '850 ms');
  assert.equal(formatDuration(12_340), '12.3 s');
  assert.equal(formatDuration(125_000), '2m05s');
});
