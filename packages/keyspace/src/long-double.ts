// x86-64 `long double` (80-bit extended: 64-bit mantissa, exponent -16382..16383) emulated with
// bigints, for INCRBYFLOAT and HINCRBYFLOAT: strtold, one addition, and ld2string's human mode
// ("%.17Lf" with trailing zeros removed). Source of truth: redis/src/util.c string2ld, ld2string;
// redis/src/t_string.c incrbyfloatCommand; glibc strtold / printf (round half to even).

/** A finite long double `(-1)^neg * mant * 2^exp` with `mant < 2^64`, or an infinity. */
export interface LongDouble {
  neg: boolean;
  mant: bigint;
  exp: number;
  inf: boolean;
  /** Set on the NaN of `inf + -inf`. */
  nan?: boolean;
}

const MANT_BITS = 64;
/** Smallest exponent of the unit in the last place (denormals): 2^-16445. */
const MIN_ULP_EXP = -16445;
/** Largest finite value is (2^64 - 1) * 2^(16383 - 63). */
const MAX_EXP = 16383 - 63;
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

const bitLength = (v: bigint): number => (v === 0n ? 0 : v.toString(2).length);

/**
 * Round `num / den * 2^exp` (num, den > 0) to 64 significant bits, half to even, with the
 * extended format's denormal and overflow limits.
 */
function roundToLongDouble(neg: boolean, num: bigint, den: bigint, exp: number): LongDouble {
  if (num === 0n) return { neg, mant: 0n, exp: 0, inf: false };
  // Scale so that the quotient has at least 66 bits.
  const shift = Math.max(0, MANT_BITS + 2 - (bitLength(num) - bitLength(den)));
  const q0 = (num << BigInt(shift)) / den;
  let sticky = (num << BigInt(shift)) % den !== 0n;
  let q = q0;
  let e = exp - shift;
  let extra = bitLength(q) - MANT_BITS;
  if (e + extra < MIN_ULP_EXP) extra = MIN_ULP_EXP - e;
  if (extra > 0) {
    const bx = BigInt(extra);
    const rem = q & ((1n << bx) - 1n);
    q >>= bx;
    e += extra;
    const half = 1n << (bx - 1n);
    if (rem > half || (rem === half && (sticky || (q & 1n) === 1n))) q += 1n;
    sticky = false;
    if (bitLength(q) > MANT_BITS) {
      q >>= 1n;
      e += 1;
    }
  }
  if (q === 0n) return { neg, mant: 0n, exp: 0, inf: false };
  if (e > MAX_EXP) return { neg, mant: 0n, exp: 0, inf: true };
  return { neg, mant: q, exp: e, inf: false };
}

const DEC_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

/**
 * Parse text as Redis's string2ld does: strtold over the whole text (an embedded NUL fails), no
 * leading space, no NaN, no overflow and no underflow to zero, under 5 KiB.
 * @returns the value, or null ("value is not a valid float")
 * @see redis/src/util.c string2ld
 */
export function string2ld(text: string): LongDouble | null {
  if (text.length === 0 || text.length >= MAX_LONG_DOUBLE_CHARS) return null;
  // strtold must consume every byte (eptr - buf == slen): an embedded NUL fails.
  const s = text;
  if (/^[ \t\n\v\f\r]/.test(s)) return null;
  const inf = /^([+-]?)(?:inf|infinity)$/i.exec(s);
  if (inf !== null) return { neg: inf[1] === '-', mant: 0n, exp: 0, inf: true };
  let m = DEC_RE.exec(s);
  if (m !== null) {
    const intPart = m[2] ?? '';
    const frac = m[3] ?? '';
    if (intPart.length + frac.length === 0) return null;
    const digits = BigInt((intPart + frac).replace(/^0+(?=\d)/, '') || '0');
    const e10 = Number(m[4] ?? '0') - frac.length;
    if (!Number.isFinite(e10)) return null;
    if (digits === 0n) return { neg: m[1] === '-', mant: 0n, exp: 0, inf: false };
    // Far outside the range: overflow or underflow, both rejected.
    const magnitude = e10 + (intPart + frac).replace(/^0+/, '').length;
    if (magnitude > 4940) return null;
    if (magnitude < -4960) return null;
    let num = digits;
    let den = 1n;
    if (e10 >= 0) num *= 10n ** BigInt(e10);
    else den = 10n ** BigInt(-e10);
    const r = roundToLongDouble(m[1] === '-', num, den, 0);
    if (r.inf || r.mant === 0n) return null;
    return r;
  }
  m = HEX_RE.exec(s);
  if (m !== null) {
    const intPart = m[2] ?? '';
    const frac = m[3] ?? '';
    if (intPart.length + frac.length === 0) return null;
    const mant = BigInt(`0x${intPart || '0'}${frac}`);
    const exp = Number(m[4] ?? '0') - 4 * frac.length;
    if (mant === 0n) return { neg: m[1] === '-', mant: 0n, exp: 0, inf: false };
    if (exp > 20000 || exp < -20000) return null;
    const r = roundToLongDouble(m[1] === '-', mant, 1n, exp);
    if (r.inf || r.mant === 0n) return null;
    return r;
  }
  return null;
}

/** Exact value as a signed fraction num/2^-exp (or num*2^exp). */
function signedMant(v: LongDouble): bigint {
  return v.neg ? -v.mant : v.mant;
}

/**
 * `a + b` in extended precision (one rounding, half to even), as the C expression `value += incr`.
 */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.inf || b.inf) {
    if (a.inf && b.inf && a.neg !== b.neg) return { neg: false, mant: 0n, exp: 0, inf: true, nan: true };
    return a.inf ? a : b;
  }
  if (a.mant === 0n && b.mant === 0n) return { neg: a.neg && b.neg, mant: 0n, exp: 0, inf: false };
  if (a.mant === 0n) return b;
  if (b.mant === 0n) return a;
  const e = Math.min(a.exp, b.exp);
  const sum = (signedMant(a) << BigInt(a.exp - e)) + (signedMant(b) << BigInt(b.exp - e));
  if (sum === 0n) return { neg: false, mant: 0n, exp: 0, inf: false };
  return roundToLongDouble(sum < 0n, sum < 0n ? -sum : sum, 1n, e);
}

/** Whether a result is NaN or infinite ("increment would produce NaN or Infinity"). */
export function isNanOrInf(v: LongDouble): boolean {
  return v.inf || v.nan === true;
}

/** A long double from an integer (the value of an int-encoded string). */
export function longDoubleFromBigInt(v: bigint): LongDouble {
  if (v === 0n) return { neg: false, mant: 0n, exp: 0, inf: false };
  return roundToLongDouble(v < 0n, v < 0n ? -v : v, 1n, 0);
}

/**
 * ld2string(LD_STR_HUMAN): `%.17Lf`, trailing zeros after the point removed (and the point), `-0`
 * turned into `0`.
 * @see redis/src/util.c ld2string
 */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.inf) return v.neg ? '-inf' : 'inf';
  let intText: string;
  let fracText: string;
  if (v.exp >= 0) {
    intText = (v.mant << BigInt(v.exp)).toString();
    fracText = '';
  } else {
    const scaled = v.mant * 10n ** 17n;
    const sh = BigInt(-v.exp);
    let q = scaled >> sh;
    const rem = scaled - (q << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    const digits = q.toString().padStart(18, '0');
    intText = digits.slice(0, digits.length - 17);
    fracText = digits.slice(digits.length - 17).replace(/0+$/, '');
  }
  let out = (v.neg ? '-' : '') + intText + (fracText.length > 0 ? `.${fracText}` : '');
  if (out === '-0') out = '0';
  return out;
}
