// The hang fault: a request that gets no answer. The client's own time limit ends it; the request
// was not carried out; the next one is served. Left alone, the emulator answers 504 GatewayTimeout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAST, startHarness } from './helpers/harness.js';
import { validateFaultRule } from '../../src/emulator/faults.js';

const emptyDisk = { location: 'westeurope', diskSizeGB: 1, creationData: { createOption: 'Empty' as const } };

test('faults: hangMs holds a request unanswered until the client gives up; nothing is done; the next request is served', async (t) => {
  const h = await startHarness(t, { faults: [{ operation: 'disks.createOrUpdate', hangMs: 60_000, times: 1 }] });
  const c = h.client();
  await assert.rejects(c.disks.createOrUpdate(h.rg, 'hung', emptyDisk, { ...FAST, requestOptions: { timeout: 300 } }), (e: any) => e.name === 'AbortError' || /abort/i.test(String(e.message)));
  await assert.rejects(c.disks.get(h.rg, 'hung'), (e: any) => e.statusCode === 404, 'the hung create was not carried out');
  assert.equal((await c.disks.createOrUpdate(h.rg, 'hung', emptyDisk, FAST)).name, 'hung');
});

test('faults: a short hang ends in 504 GatewayTimeout; hangMs must be a non-negative number', async (t) => {
  const h = await startHarness(t, { faults: [{ operation: 'disks.get', hangMs: 50, times: 1 }] });
  const raw = await h.arm('GET', `/subscriptions/${h.sub}/resourceGroups/${h.rg}/providers/Microsoft.Compute/disks/x?api-version=2025-01-02`);
  assert.equal(raw.status, 504);
  assert.equal(raw.body.error.code, 'GatewayTimeout');
  assert.throws(() => validateFaultRule({ operation: 'disks.get', hangMs: -1 }), /hangMs must be a number/);
});
