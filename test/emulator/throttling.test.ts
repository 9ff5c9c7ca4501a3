// Compute's request budgets (PutVM3Min / PutVM30Min): every VM write reports what is left in
// x-ms-ratelimit-remaining-resource; the 241st in three minutes is refused with 429 and a Retry-After
// until the window frees a slot. Polite mode never adds transient faults.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createThrottling } from '../../src/emulator/arm/throttling.js';
import { createVariety } from '../../src/emulator/variety.js';
import type { ArmError } from '../../src/emulator/http-kit.js';

test('throttling: PutVM budgets count down and refuse the request over the 3-minute limit until the window moves on', () => {
  let now = 1_000_000;
  const th = createThrottling(createVariety('polite'), 1, () => now);
  assert.deepEqual(th.admit('virtualMachines.attachDetachDataDisks', 'POST'), { 'x-ms-ratelimit-remaining-resource': 'Microsoft.Compute/PutVM3Min;239,Microsoft.Compute/PutVM30Min;1199' });
  assert.deepEqual(th.admit('disks.get', 'GET'), {}, 'operations outside a budget carry no budget header');
  for (let i = 0; i < 239; i++) {
    now += 100;
    th.admit('virtualMachines.createOrUpdate', 'PUT');
  }
  now += 100;
  let refused: ArmError | undefined;
  try {
    th.admit('virtualMachines.update', 'PATCH');
  } catch (e) {
    refused = e as ArmError;
  }
  assert.equal(refused?.status, 429);
  assert.equal(refused?.code, 'OperationNotAllowed');
  assert.equal(refused?.details?.[0]?.target, 'PutVM3Min');
  assert.equal(JSON.parse(String(refused?.details?.[0]?.message)).allowedRequestCount, 240);
  // The first request leaves the window 180 s after it was made.
  assert.equal(refused?.headers['Retry-After'], String(Math.ceil((1_000_000 + 180_000 - now) / 1000)));
  now = 1_000_000 + 180_001;
  assert.match(th.admit('virtualMachines.update', 'PATCH')['x-ms-ratelimit-remaining-resource']!, /^Microsoft\.Compute\/PutVM3Min;0,Microsoft\.Compute\/PutVM30Min;959$/);
});

test('variety: polite mode always takes the first choice; real mode replays the same choices for the same seed', () => {
  const polite = createVariety('polite', 5);
  assert.deepEqual([1, 2, 3].map(() => polite.pick(['a', 'b', 'c'])), ['a', 'a', 'a']);
  assert.equal(polite.chance(1), false);
  const run = (seed: number) => {
    const v = createVariety('real', seed);
    return Array.from({ length: 20 }, () => v.pick(['a', 'b', 'c'])).join('');
  };
  assert.equal(run(9), run(9));
  assert.notEqual(run(9), run(10));
  assert.match(run(9), /a/);
  assert.match(run(9), /[bc]/);
});
