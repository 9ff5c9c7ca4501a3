// go-version constraint syntax for packer { required_version }.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConstraint, satisfies } from '../../../src/template/version-constraint.js';

test('operators, commas and the pessimistic operator follow hashicorp/go-version', () => {
  const yes: [string, string][] = [
    ['1.7.2', '>= 1.7.0'], ['1.7.2', '>= 1.7.2, < 2'], ['1.7.2', '~> 1.7'], ['1.7.2', '~> 1.7.0'], ['1.7.2', '!= 1.7.1'],
    ['1.7.2', '1.7.2'], ['1.7.2', '= 1.7.2'], ['1.7.2', '> 1.7'], ['1.7.2', '<= 1.7.2'], ['1.7.2', 'v1.7.2'], ['1.7.2', '>=1.7'],
  ];
  const no: [string, string][] = [
    ['1.7.2', '>= 99.0.0'], ['1.7.2', '~> 1.8'], ['1.7.2', '~> 1.6.0'], ['1.7.2', '< 1.7.2'], ['1.7.2', '!= 1.7.2'], ['1.7.2', '>= 1.7.0, < 1.7.1'],
    ['1.7.2', '>= 1.7.3-beta'],
  ];
  for (const [v, c] of yes) assert.equal(satisfies(v, c), true, `${v} ${c}`);
  for (const [v, c] of no) assert.equal(satisfies(v, c), false, `${v} ${c}`);
  assert.equal(satisfies('1.7.0', '> 1.7.0-beta'), true);
});

test('malformed constraints are refused with the bad term named', () => {
  for (const c of ['>= banana', '', '>= 1.7,', '=> 1.7', '1.2.3.4']) assert.throws(() => parseConstraint(c), /malformed constraint/, c);
});
