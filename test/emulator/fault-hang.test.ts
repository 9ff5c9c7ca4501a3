// The hang fault's rule check. Its effect (a request held unanswered, then 504 GatewayTimeout, or
// cut off by the client's time limit and retried) runs on every ARM operation in test/fault-matrix.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFaultRegistry, validateFaultRule } from '../../src/emulator/faults.js';

test('faults: hangMs is a rule of its own, consumed once per request; it must be a non-negative number', () => {
  assert.throws(() => validateFaultRule({ operation: 'disks.get', hangMs: -1 }), /hangMs must be a number/);
  const registry = createFaultRegistry([{ operation: 'disks.get', hangMs: 50, times: 1 }, { operation: 'disks.get', status: 500, times: 1 }]);
  assert.equal(registry.takeHang('disks.get'), 50);
  assert.equal(registry.takeHang('disks.get'), undefined);
  assert.equal(registry.takeRequestFault('disks.get')?.status, 500, 'a hang rule is not a status rule');
  assert.deepEqual(registry.list(), []);
});
