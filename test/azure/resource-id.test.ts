import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isType, nameOf, parseArmId, subscriptionOf } from '../../src/azure/resource-id.js';
import { AzchrootError } from '../../src/errors.js';

const version = '/subscriptions/sub-1/resourceGroups/rg1/providers/Microsoft.Compute/galleries/gal1/images/def1/versions/1.0.0';

test('parseArmId splits a nested id into type and name segments', () => {
  const r = parseArmId(version);
  assert.equal(r.subscription, 'sub-1');
  assert.equal(r.resourceGroup, 'rg1');
  assert.equal(r.provider, 'Microsoft.Compute');
  assert.deepEqual(r.types, ['galleries', 'images', 'versions']);
  assert.deepEqual(r.names, ['gal1', 'def1', '1.0.0']);
  assert.equal(nameOf(r), '1.0.0');
  assert.equal(r.id, version);
});

test('parseArmId accepts other key casing and stray slashes, and canonicalises', () => {
  const r = parseArmId('//SUBSCRIPTIONS/s/RESOURCEGROUPS/rg/PROVIDERS/microsoft.compute/DISKS/d1/');
  assert.equal(r.id, '/subscriptions/s/resourceGroups/rg/providers/microsoft.compute/DISKS/d1');
});

test('parseArmId rejects malformed ids with a message naming the id and the reason', () => {
  for (const [id, reason] of [
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/disks', /even number/],
    ['/subscriptions/s/resourceGroups//providers/Microsoft.Compute/disks/d', /empty segment/],
    ['/subscriptions/s/groups/rg/providers/Microsoft.Compute/disks/d', /resourceGroups/],
    ['', /./],
  ] as const) {
    assert.throws(() => parseArmId(id), (err: unknown) => {
      assert.ok(AzchrootError.is(err));
      assert.equal(err.code, 'AZC_RESOURCE_ID');
      assert.ok(err.message.includes(`"${id}"`), err.message);
      assert.match(err.message, reason);
      return true;
    });
  }
});

test('isType compares provider and type without case and needs the full nested type', () => {
  assert.equal(isType('/subscriptions/s/resourceGroups/rg/providers/microsoft.compute/Disks/d', 'Microsoft.Compute/disks'), true);
  assert.equal(isType(version, 'Microsoft.Compute/galleries/images/versions'), true);
  assert.equal(isType(version, 'Microsoft.Compute/galleries'), false);
  assert.equal(isType('/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/snapshots/x', 'Microsoft.Compute/disks'), false);
  assert.equal(isType('not an id', 'Microsoft.Compute/disks'), false);
});

test('subscriptionOf returns the subscription segment', () => {
  assert.equal(subscriptionOf(version), 'sub-1');
});
