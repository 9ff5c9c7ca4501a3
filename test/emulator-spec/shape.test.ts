// The key-path checker the example cases rely on: it must report missing keys, wrong types and
// empty arrays, or every other test here could pass without checking anything.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shapeProblems, under } from './helpers/shape.js';

const body = {
  id: '/x',
  properties: {
    diskSizeGB: 4,
    timeCreated: '2024-01-01T00:00:00Z',
    regions: [{ name: 'a', count: 1 }, { name: 'b' }],
    empty: [],
  },
};

test('shape: a conforming body has no problems', () => {
  assert.deepEqual(shapeProblems(body, { id: 'string', 'properties.diskSizeGB': 'integer', 'properties.timeCreated': 'date', 'properties.regions[].name': 'string', 'properties.empty': 'array' }), []);
});

test('shape: missing keys, wrong types, non-dates and non-integers are reported with their path', () => {
  const problems = shapeProblems(body, {
    name: 'string',
    id: 'number',
    'properties.timeCreated': 'integer',
    'properties.regions[].count': 'integer',
    'properties.diskSizeGB': 'date',
  });
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.match(problems[0]!, /^name: "name" is missing/);
  assert.match(problems[1]!, /^id: expected number, got string/);
  assert.match(problems[3]!, /"properties\.regions\[1\]\.count" is missing/);
});

test('shape: [] needs a non-empty array; a leading [] checks a bare array body', () => {
  assert.match(shapeProblems(body, { 'properties.empty[].name': 'string' })[0]!, /non-empty array/);
  assert.deepEqual(shapeProblems([{ name: 'v' }], { '[].name': 'string' }), []);
  assert.equal(shapeProblems({ value: [] }, { '[].name': 'string' }).length, 1);
  assert.deepEqual(shapeProblems({ value: [{ id: 'a' }] }, under('value[]', { id: 'string' })), []);
  assert.equal(shapeProblems({ value: [{ id: 1 }] }, under('value[]', { id: 'string' })).length, 1);
});
