import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CleanupStack } from '../../../src/runner/cleanup-stack.js';

test('cleanup stack: LIFO, every entry runs even when one fails, failures are returned', async () => {
  const stack = new CleanupStack();
  const ran: string[] = [];
  stack.push('a', async () => void ran.push('a'));
  stack.push('b', async () => { ran.push('b'); throw new Error('b broke'); });
  stack.push('c', async () => void ran.push('c'));
  assert.deepEqual(stack.pendingIds(), ['c', 'b', 'a']);
  const failures = await stack.unwind();
  assert.deepEqual(ran, ['c', 'b', 'a']);
  assert.deepEqual(failures.map((f) => [f.id, (f.error as Error).message]), [['b', 'b broke']]);
  assert.equal(stack.size, 0);
  assert.deepEqual(await stack.unwind(), []);
});
