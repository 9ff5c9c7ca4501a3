// A binary floating-point number with the semantics of Go's math/big.Float as cty uses it:
// value = ±mant·2^exp with a per-value precision in bits (512 for parsed numbers, 64 for
// integers, 53 for float64 results), every operation exactly rounded to nearest even, and the
// shortest-decimal printing of Text('f', -1). Written against the documented behaviour of
// big.Float (no library reproduces it); only what the HCL evaluator needs.

/** Precision of numbers parsed from text (cty.ParseNumberVal). */
export const PARSE_PREC = 512;

export class BigFloat {
  private constructor(
    readonly neg: boolean,
    /** Magnitude mantissa (0n for zero); bit length at most prec. */
    readonly mant: bigint,
    readonly exp: number,
    readonly prec: number,
    readonly inf: boolean,
  ) {}

  static zero(prec = 64, neg = false): BigFloat {
    return new BigFloat(neg, 0n, 0, prec, false);
  }

  static infinity(neg: boolean, prec = 64): BigFloat {
    return new BigFloat(neg, 0n, 0, prec, true);
  }

  /** ±mant·2^exp rounded to prec bits; `sticky` says nonzero bits were already dropped below mant. */
  static make(neg: boolean, mant: bigint, exp: number, prec: number, sticky = false): BigFloat {
    if (mant === 0n) return new BigFloat(neg, 0n, 0, prec, false);
    const len = bitLength(mant);
    if (len > prec) {
      const s = len - prec;
      let q = mant >> BigInt(s);
      const rem = mant & ((1n << BigInt(s)) - 1n);
      const half = 1n << BigInt(s - 1);
      if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) q += 1n;
      exp += s;
      if (bitLength(q) > prec) {
        q >>= 1n;
        exp += 1;
      }
      mant = q;
    }
    // Strip trailing zero bits so equal values have one representation.
    while ((mant & 1n) === 0n) {
      mant >>= 1n;
      exp += 1;
    }
    return new BigFloat(neg, mant, exp, prec, false);
  }

  /** An integer (big.Float.SetInt: precision max(64, bit length)). */
  static fromBigInt(n: bigint, prec?: number): BigFloat {
    const neg = n < 0n;
    const m = neg ? -n : n;
    return BigFloat.make(neg, m, 0, prec ?? Math.max(64, bitLength(m)));
  }

  /** cty.NumberIntVal: precision 64. */
  static fromInt(n: number | bigint): BigFloat {
    return BigFloat.fromBigInt(BigInt(n), 64);
  }

  /** cty.NumberFloatVal: a float64, precision 53. */
  static fromFloat64(x: number): BigFloat {
    if (Number.isNaN(x)) throw new RangeError('NaN is not a number value');
    if (!Number.isFinite(x)) return BigFloat.infinity(x < 0, 53);
    if (x === 0) return BigFloat.zero(53, Object.is(x, -0));
    const neg = x < 0;
    let a = Math.abs(x);
    let exp = 0;
    while (!Number.isInteger(a)) {
      a *= 2;
      exp -= 1;
    }
    return BigFloat.make(neg, BigInt(a), exp, 53);
  }

  /** A JS number: exact for integers and small values; used where cty goes through float64. */
  static fromNumber(x: number): BigFloat {
    return Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER ? BigFloat.fromInt(x) : BigFloat.fromFloat64(x);
  }

  /** big.ParseFloat(s, 10, prec, ToNearestEven) as cty.ParseNumberVal calls it; undefined when s is not a number. */
  static parse(s: string, prec = PARSE_PREC): BigFloat | undefined {
    const m = /^([+-]?)(?:(inf|Inf)|(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?)$/.exec(s);
    if (!m) return undefined;
    const neg = m[1] === '-';
    if (m[2]) return BigFloat.infinity(neg, prec);
    const intPart = m[3] ?? '';
    const frac = m[4] ?? '';
    if (intPart === '' && frac === '') return undefined;
    if (s.includes('e') || s.includes('E')) {
      if (m[5] === undefined) return undefined;
    }
    const digits = (intPart + frac).replace(/^0+/, '');
    if (digits === '') return BigFloat.zero(prec, neg);
    const exp10 = Number(m[5] ?? '0') - frac.length;
    const mant = BigInt(digits);
    if (exp10 === 0) return BigFloat.make(neg, mant, 0, prec);
    // Go: mant·2^exp10 exactly, then multiplied or divided by 5^|exp10| computed at prec+64 bits.
    const z = new BigFloat(neg, mant, exp10, prec, false);
    const p = pow5(Math.abs(exp10), prec + 64);
    return exp10 > 0 ? mul(z, p, prec) : quo(z, p, prec);
  }

  isZero(): boolean {
    return !this.inf && this.mant === 0n;
  }

  sign(): -1 | 0 | 1 {
    if (this.isZero()) return 0;
    return this.neg ? -1 : 1;
  }

  /** True for a finite whole number. */
  isInteger(): boolean {
    return !this.inf && (this.mant === 0n || this.exp >= 0);
  }

  /** The integer part, truncated toward zero (big.Float.Int). */
  toBigInt(): bigint {
    if (this.inf) throw new RangeError('infinity has no integer value');
    const m = this.exp >= 0 ? this.mant << BigInt(this.exp) : this.mant >> BigInt(-this.exp);
    return this.neg ? -m : m;
  }

  /** big.Float.Float64: nearest float64. */
  toFloat64(): number {
    if (this.inf) return this.neg ? -Infinity : Infinity;
    if (this.mant === 0n) return this.neg ? -0 : 0;
    const r = BigFloat.make(this.neg, this.mant, this.exp, 53);
    const v = Number(r.mant) * 2 ** r.exp;
    const out = Number.isFinite(v) || r.exp < 0 ? v : Number(r.mant) * 2 ** (r.exp - 100) * 2 ** 100;
    return r.neg ? -out : out;
  }

  withPrec(prec: number): BigFloat {
    if (this.inf || this.mant === 0n) return new BigFloat(this.neg, this.mant, this.exp, prec, this.inf);
    return BigFloat.make(this.neg, this.mant, this.exp, prec);
  }

  negate(): BigFloat {
    return new BigFloat(!this.neg, this.mant, this.exp, this.prec, this.inf);
  }

  abs(): BigFloat {
    return new BigFloat(false, this.mant, this.exp, this.prec, this.inf);
  }

  /** Text('f', -1): the shortest decimal that rounds back to this value at its precision. */
  toString(): string {
    return this.text('f', -1);
  }

  /** big.Float.Text for the formats 'f', 'e', 'E', 'g', 'G'; prec < 0 = shortest. */
  text(format: 'f' | 'e' | 'E' | 'g' | 'G', prec: number): string {
    const sign = this.neg ? '-' : '';
    if (this.inf) return this.neg ? '-Inf' : '+Inf';
    const d = this.mant === 0n ? { mant: '', exp: 0 } : toDecimal(this.mant, this.exp);
    const shortest = prec < 0;
    let p = prec;
    if (shortest) {
      if (this.mant !== 0n) roundShortest(d, this);
      if (format === 'f') p = Math.max(d.mant.length - d.exp, 0);
      else if (format === 'e' || format === 'E') p = d.mant.length - 1;
      else p = d.mant.length;
    } else if (format === 'f') {
      roundDecimal(d, d.exp + p);
    } else if (format === 'e' || format === 'E') {
      roundDecimal(d, 1 + p);
    } else {
      if (p === 0) p = 1;
      roundDecimal(d, p);
    }
    if (format === 'f') return sign + fmtF(d, p);
    if (format === 'e' || format === 'E') return sign + fmtE(d, p, format);
    let eprec = p;
    if (eprec > d.mant.length && d.mant.length >= d.exp) eprec = d.mant.length;
    if (shortest) eprec = 6;
    const e = d.exp - 1;
    if (e < -4 || e >= eprec) {
      if (p > d.mant.length) p = d.mant.length;
      return sign + fmtE(d, p - 1, format === 'g' ? 'e' : 'E');
    }
    if (p > d.exp) p = d.mant.length;
    return sign + fmtF(d, Math.max(p - d.exp, 0));
  }
}

interface Decimal {
  /** Digits without leading or trailing zeros ('' for zero). */
  mant: string;
  /** Decimal point position: value = 0.mant × 10^exp. */
  exp: number;
}

function toDecimal(mant: bigint, exp: number): Decimal {
  let digits: string;
  let point: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    point = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    point = digits.length + exp;
  }
  const trimmed = digits.replace(/0+$/, '');
  const lead = trimmed.length - trimmed.replace(/^0+/, '').length;
  return { mant: trimmed.slice(lead), exp: point - lead };
}

function trimDecimal(d: Decimal): void {
  d.mant = d.mant.replace(/0+$/, '');
  if (d.mant === '') d.exp = 0;
}

function roundUp(d: Decimal, n: number): void {
  if (n < 0 || n >= d.mant.length) return;
  let i = n;
  while (i > 0 && d.mant[i - 1] === '9') i--;
  if (i === 0) {
    d.mant = '1';
    d.exp += 1;
    return;
  }
  d.mant = d.mant.slice(0, i - 1) + String.fromCharCode(d.mant.charCodeAt(i - 1) + 1);
}

function roundDown(d: Decimal, n: number): void {
  if (n < 0 || n >= d.mant.length) return;
  d.mant = d.mant.slice(0, n);
  trimDecimal(d);
}

function shouldRoundUp(d: Decimal, n: number): boolean {
  if (d.mant[n] === '5' && n + 1 === d.mant.length) return n > 0 && (d.mant.charCodeAt(n - 1) - 48) % 2 === 1;
  return (d.mant[n] ?? '0') >= '5';
}

/** Rounds to n significant digits, half to even (Go's decimal.round). */
function roundDecimal(d: Decimal, n: number): void {
  if (n < 0 || n >= d.mant.length) return;
  if (shouldRoundUp(d, n)) roundUp(d, n);
  else roundDown(d, n);
}

function digitAt(d: Decimal, i: number): number {
  return i < d.mant.length ? d.mant.charCodeAt(i) - 48 : 0;
}

/** Go's roundShortest: the fewest digits inside the rounding interval of x at its precision. */
function roundShortest(d: Decimal, x: BigFloat): void {
  let mant = x.mant;
  let exp = x.exp;
  const s = bitLength(mant) - (x.prec + 1);
  if (s < 0) mant <<= BigInt(-s);
  else if (s > 0) mant >>= BigInt(s);
  exp += s;
  const lower = toDecimal(mant - 1n, exp);
  const upper = toDecimal(mant + 1n, exp);
  const inclusive = (mant & 2n) === 0n;
  for (let i = 0; i < d.mant.length; i++) {
    const m = digitAt(d, i);
    const l = digitAt(lower, i);
    const u = digitAt(upper, i);
    const okdown = l !== m || (inclusive && i + 1 === lower.mant.length);
    const okup = m !== u && (inclusive || m + 1 < u || i + 1 < upper.mant.length);
    if (okdown && okup) return roundDecimal(d, i + 1);
    if (okdown) return roundDown(d, i + 1);
    if (okup) return roundUp(d, i + 1);
  }
}

function fmtF(d: Decimal, prec: number): string {
  let out = '';
  if (d.exp > 0) {
    const m = Math.min(d.mant.length, d.exp);
    out += d.mant.slice(0, m) + '0'.repeat(d.exp - m);
  } else {
    out += '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = d.exp + i - 1;
      out += j >= 0 && j < d.mant.length ? d.mant[j] : '0';
    }
  }
  return out;
}

function fmtE(d: Decimal, prec: number, fmt: 'e' | 'E'): string {
  let out = d.mant.length > 0 ? (d.mant[0] as string) : '0';
  if (prec > 0) {
    out += '.';
    let i = 1;
    const m = Math.min(d.mant.length, prec + 1);
    if (i < m) {
      out += d.mant.slice(i, m);
      i = m;
    }
    for (; i <= prec; i++) out += '0';
  }
  out += fmt;
  const e = d.mant.length === 0 ? 0 : d.exp - 1;
  out += e < 0 ? '-' : '+';
  const a = Math.abs(e);
  out += a < 10 ? '0' + a : String(a);
  return out;
}

export function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  return n.toString(2).length;
}

function isNaNOp(msg: string): never {
  throw new RangeError(msg);
}

/** x·y rounded to prec (default: the larger operand precision). */
export function mul(x: BigFloat, y: BigFloat, prec = Math.max(x.prec, y.prec)): BigFloat {
  const neg = x.neg !== y.neg;
  if (x.inf || y.inf) {
    if (x.isZero() || y.isZero()) isNaNOp('multiplication of zero with infinity');
    return BigFloat.infinity(neg, prec);
  }
  return BigFloat.make(neg, x.mant * y.mant, x.exp + y.exp, prec);
}

/** x/y rounded to prec; x/0 is ±Inf, 0/0 and Inf/Inf throw. */
export function quo(x: BigFloat, y: BigFloat, prec = Math.max(x.prec, y.prec)): BigFloat {
  const neg = x.neg !== y.neg;
  if (x.inf && y.inf) isNaNOp('division of infinity by infinity');
  if (x.isZero() && y.isZero()) isNaNOp('division of zero by zero');
  if (x.inf || y.isZero()) return BigFloat.infinity(neg, prec);
  if (y.inf || x.isZero()) return BigFloat.zero(prec, neg);
  const s = Math.max(0, prec + 2 + bitLength(y.mant) - bitLength(x.mant));
  const num = x.mant << BigInt(s);
  const q = num / y.mant;
  const r = num % y.mant;
  return BigFloat.make(neg, q, x.exp - y.exp - s, prec, r !== 0n);
}

/** x+y rounded to prec. */
export function add(x: BigFloat, y: BigFloat, prec = Math.max(x.prec, y.prec)): BigFloat {
  if (x.inf || y.inf) {
    if (x.inf && y.inf && x.neg !== y.neg) isNaNOp('addition of infinities with opposite signs');
    return BigFloat.infinity(x.inf ? x.neg : y.neg, prec);
  }
  if (x.isZero() && y.isZero()) return BigFloat.zero(prec, x.neg && y.neg);
  if (x.isZero()) return y.withPrec(prec);
  if (y.isZero()) return x.withPrec(prec);
  // Align; a far smaller operand only contributes a sticky bit.
  let [a, b] = x.exp + bitLength(x.mant) >= y.exp + bitLength(y.mant) ? [x, y] : [y, x];
  const top = a.exp + bitLength(a.mant);
  const floor = top - prec - 4;
  let sticky = false;
  let bm = b.mant;
  let be = b.exp;
  if (be + bitLength(bm) < floor) {
    // b is below a's rounding position: replace it by a tiny nonzero amount.
    bm = 1n;
    be = Math.min(floor - 2, a.exp - 2);
    sticky = false;
  }
  const e = Math.min(a.exp, be);
  const am = a.mant << BigInt(a.exp - e);
  const bmm = bm << BigInt(be - e);
  const sa = a.neg ? -am : am;
  const sb = b.neg ? -bmm : bmm;
  const sum = sa + sb;
  if (sum === 0n) return BigFloat.zero(prec, false);
  return BigFloat.make(sum < 0n, sum < 0n ? -sum : sum, e, prec, sticky);
}

export function sub(x: BigFloat, y: BigFloat, prec = Math.max(x.prec, y.prec)): BigFloat {
  return add(x, y.negate(), prec);
}

/** -1, 0, 1 as x <, =, > y (zeros of either sign are equal). */
export function cmp(x: BigFloat, y: BigFloat): -1 | 0 | 1 {
  if (x.isZero() && y.isZero()) return 0;
  const sx = x.isZero() ? 0 : x.neg ? -1 : 1;
  const sy = y.isZero() ? 0 : y.neg ? -1 : 1;
  if (sx !== sy) return sx < sy ? -1 : 1;
  const mag = cmpAbs(x, y);
  return (sx < 0 ? -mag : mag) as -1 | 0 | 1;
}

function cmpAbs(x: BigFloat, y: BigFloat): -1 | 0 | 1 {
  if (x.inf || y.inf) return x.inf && y.inf ? 0 : x.inf ? 1 : -1;
  const tx = x.exp + bitLength(x.mant);
  const ty = y.exp + bitLength(y.mant);
  if (tx !== ty) return tx < ty ? -1 : 1;
  const e = Math.min(x.exp, y.exp);
  const a = x.mant << BigInt(x.exp - e);
  const b = y.mant << BigInt(y.exp - e);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** 5^n as big.Float.pow5 computes it at precision prec. */
function pow5(n: number, prec: number): BigFloat {
  if (n <= 27) return BigFloat.make(false, 5n ** BigInt(n), 0, prec);
  let z = BigFloat.make(false, 5n ** 27n, 0, prec);
  let k = n - 27;
  let f = BigFloat.make(false, 5n, 0, prec + 64);
  while (k > 0) {
    if (k & 1) z = mul(z, f, prec);
    f = mul(f, f, prec + 64);
    k = Math.floor(k / 2);
  }
  return z;
}
