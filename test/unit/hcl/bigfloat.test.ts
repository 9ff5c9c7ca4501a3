// BigFloat: Go big.Float semantics as cty uses them. Expected digits are what Packer 1.6.6
// (Go big.Float) printed for the same operations (see the differential table), or follow from
// the IEEE/Go rules stated in each case.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { add, BigFloat, cmp, mul, quo, sub } from '../../../src/hcl/bigfloat.js';

const P = (s: string): BigFloat => BigFloat.parse(s) as BigFloat;

describe('BigFloat', () => {
  it('parses decimals at 512 bits and prints the shortest form that reads back', () => {
    assert.equal(add(P('0.1'), P('0.2')).toString(), '0.3');
    assert.equal(P('1.50').toString(), '1.5');
    assert.equal(P('1e-7').toString(), '0.0000001');
    assert.equal(P('123456789012345678901234567890').toString(), '123456789012345678901234567890');
    assert.equal(P('1e400').toString(), '1' + '0'.repeat(400));
    assert.equal(P('-0').toString(), '-0');
  });
  it('rounds quotients to nearest even at 512 bits (Packer: 155 threes and a 5)', () => {
    assert.equal(quo(P('1'), P('3')).toString(), '0.' + '3'.repeat(154) + '5');
    assert.equal(mul(P('3'), P('1.1')).toString(), '3.3' + '0'.repeat(152) + '2');
  });
  it('keeps the precision of its operands: integers from functions have 64 bits', () => {
    assert.equal(quo(BigFloat.fromInt(3), BigFloat.fromInt(7)).toString(), '0.42857142857142857144');
    assert.equal(quo(BigFloat.fromInt(3), P('7')).prec, 512);
  });
  it('represents float64 results with 53 bits, printed as Go prints them', () => {
    assert.equal(BigFloat.fromFloat64(2 ** 64).toString(), '18446744073709550000');
    assert.equal(BigFloat.fromFloat64(Math.SQRT2).toString(), '1.4142135623730951');
    assert.equal(BigFloat.fromFloat64(1e21).toString(), '1000000000000000000000');
  });
  it('formats %f %e %g like Go (default precision 6, shortest %g)', () => {
    assert.equal(P('0.1').text('f', 20), '0.10000000000000000000');
    assert.equal(quo(P('1'), P('3')).text('f', 6), '0.333333');
    assert.equal(P('12345678901234567890').text('e', 6), '1.234568e+19');
    assert.equal(P('1e21').text('g', -1), '1e+21');
    assert.equal(P('0.000001234').text('g', -1), '1.234e-06');
    assert.equal(P('2.5').text('f', 0), '2');
    assert.equal(P('3.5').text('f', 0), '4');
  });
  it('divides by zero into infinity and refuses 0/0', () => {
    assert.equal(quo(P('1'), P('0')).toString(), '+Inf');
    assert.equal(quo(P('-1'), P('0')).toString(), '-Inf');
    assert.throws(() => quo(P('0'), P('0')), RangeError);
  });
  it('compares exactly, beyond float64', () => {
    assert.equal(cmp(P('9007199254740993'), P('9007199254740992')), 1);
    assert.equal(cmp(P('-0'), P('0')), 0);
    assert.equal(sub(P('12345678901234567891'), P('12345678901234567890')).toString(), '1');
  });
  it('rejects what cty.ParseNumberVal rejects', () => {
    for (const s of ['', ' 1', '0x10', '1_000', '1e', '.', 'abc']) assert.equal(BigFloat.parse(s), undefined, s);
    for (const [s, v] of [['5.', '5'], ['.5', '0.5'], ['+5', '5'], ['-5e-2', '-0.05']]) assert.equal(P(s as string).toString(), v);
  });
  it('converts to the nearest float64 and to integers', () => {
    assert.equal(P('0.1').toFloat64(), 0.1);
    assert.equal(P('9007199254740993').toFloat64(), 9007199254740992);
    assert.equal(P('-7.9').toBigInt(), -7n);
  });
});
