// Number <-> text exactly as Redis does it: string2ll / string2d (strict parsing of arguments and
// stored values), ll2string, %.17g (Redis <= 7.0 replies, digests, rewrites) and fpconv_dtoa
// (7.2+, Grisu2; the one implementation is rdb's fpconvDtoa). Source of truth: redis/src/util.c,
// redis/deps/fpconv/fpconv_dtoa.c.

import { fpconvDtoa } from '@redis-forensics/rdb';

/** LLONG_MIN as a bigint. */
export const LLONG_MIN = -(2n ** 63n);
/** LLONG_MAX as a bigint. */
export const LLONG_MAX = 2n ** 63n - 1n;

/**
 * Parse a signed 64-bit integer the strict Redis way: no spaces, no `+`, no leading zeros, no
 * `-0`, within LLONG_MIN..LLONG_MAX.
 * @returns the value, or null when the text is not such an integer
 * @see redis/src/util.c string2ll
 */
export function string2ll(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  if (n === 1 && s === '0') return 0n;
  let i = 0;
  if (s.charCodeAt(0) === 0x2d) {
    i = 1;
    if (n === 1) return null;
  }
  const first = s.charCodeAt(i);
  if (first < 0x31 || first > 0x39) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 0x30 || c > 0x39) return null;
  }
  const v = BigInt(s);
  return v < LLONG_MIN || v > LLONG_MAX ? null : v;
}

/** Whether {@link string2ll} accepts `s`, without making a bigint for texts under 19 chars. */
export function isString2ll(s: string): boolean {
  const n = s.length;
  if (n === 0 || n >= 19) return n !== 0 && string2ll(s) !== null;
  if (n === 1) return s.charCodeAt(0) >= 0x30 && s.charCodeAt(0) <= 0x39;
  let i = s.charCodeAt(0) === 0x2d ? 1 : 0;
  const first = s.charCodeAt(i);
  if (first < 0x31 || first > 0x39) return false;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** {@link string2ll} as a JS number (exact for |v| <= 2^53; callers use it for counts and indexes). */
export function string2l(s: string): number | null {
  const v = string2ll(s);
  return v === null ? null : Number(v);
}

/** Decimal text of an integer (ll2string). */
export function ll2string(v: bigint | number): string {
  return typeof v === 'bigint' ? v.toString() : String(v);
}

const DEC_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF_RE = /^[+-]?(?:inf|infinity)$/i;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const SPACE_RE = /^[ \t\n\v\f\r]/;

/** A hex float (`0x1.8p3`) as glibc strtod reads it. */
function parseHexFloat(m: RegExpExecArray): number | null {
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits.length + fracDigits.length === 0) return null;
  let mant = BigInt(`0x${intDigits || '0'}${fracDigits}`);
  let exp = Number(m[4] ?? '0') - 4 * fracDigits.length;
  let value: number;
  if (mant === 0n) value = 0;
  else {
    // Keep 64 significant bits plus a sticky bit so Number() rounds like strtod.
    const bits = mant.toString(2).length;
    if (bits > 64) {
      const shift = BigInt(bits - 64);
      const sticky = (mant & ((1n << shift) - 1n)) !== 0n ? 1n : 0n;
      mant = (mant >> shift) | sticky;
      exp += bits - 64;
    }
    value = Number(mant) * 2 ** exp;
    if (!Number.isFinite(value) && exp < 0) value = Number(mant) * 2 ** (exp + 64) * 2 ** -64;
    if (value === 0 || !Number.isFinite(value)) {
      // Outside double's range: ERANGE.
      return null;
    }
  }
  return m[1] === '-' ? -value : value;
}

/**
 * Parse a double the way Redis validates one (strtod over the whole string, no leading space,
 * no NaN, no overflow to ±HUGE_VAL, no underflow to 0; `inf`, hex floats and exponents accepted).
 * @returns the value, or null when Redis would reply "value is not a valid float"
 * @see redis/src/util.c string2d; redis/src/object.c getDoubleFromObject
 */
export function string2d(s: string): number | null {
  if (s.length === 0 || SPACE_RE.test(s)) return null;
  if (DEC_RE.test(s)) {
    const v = Number(s);
    if (!Number.isFinite(v)) return null;
    if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return null;
    return v;
  }
  if (INF_RE.test(s)) return s.charCodeAt(0) === 0x2d ? -Infinity : Infinity;
  const hex = HEX_RE.exec(s);
  if (hex !== null) return parseHexFloat(hex);
  return null;
}

/**
 * C's `%.17g` for a double (glibc): 17 significant digits, trailing zeros removed, exponent form
 * when the exponent is < -4 or >= 17, `inf`/`-inf`/`nan`.
 * @see redis/src/debug.c xorObjectDigest (<= 7.0), redis/src/aof.c rioWriteBulkDouble (<= 7.0)
 */
export function formatDoubleG17(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const e = x.toExponential(16);
  const ePos = e.indexOf('e');
  const exp = Number(e.slice(ePos + 1));
  if (exp < -4 || exp >= 17) {
    let mant = e.slice(0, ePos);
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const abs = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
  }
  let fixed = x.toFixed(16 - exp);
  if (fixed.includes('.')) fixed = fixed.replace(/0+$/, '').replace(/\.$/, '');
  return fixed;
}

/**
 * Redis 7.2+'s double text: fpconv_dtoa over Grisu2 (shortest round-trip except in rare cases
 * where Grisu2 emits 17 digits), plain integers up to nd+6 trailing zeros, plain decimals for
 * exponents > -7, otherwise `d.ddde+X`. The same function as `@redis-forensics/rdb`'s fpconvDtoa.
 * @see redis/deps/fpconv/fpconv_dtoa.c fpconv_dtoa, emit_digits
 */
export function formatDoubleShortest(x: number): string {
  return fpconvDtoa(x);
}

/**
 * Redis <= 7.0's d2string: `-0`/`0`, integers below 2^52 as integers, otherwise `%.17g`.
 * @see redis/src/util.c d2string
 */
export function d2string(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  if (x > -4503599627370495 && x < 4503599627370496 && Number.isInteger(x)) return String(x);
  return formatDoubleG17(x);
}

/** How a server version formats doubles in replies, digests and rewrites. */
export type DoubleStyle = 'g17' | 'shortest';

/** Redis 7.2 switched doubles to fpconv_dtoa; earlier versions (and Valkey 7.2+ too) differ. */
export function doubleStyleFor(serverVersion: string | undefined): DoubleStyle {
  if (serverVersion === undefined) return 'shortest';
  const [maj = 0, min = 0] = serverVersion.split('.').map((p) => Number.parseInt(p, 10));
  return maj > 7 || (maj === 7 && min >= 2) ? 'shortest' : 'g17';
}

/** Format a double in the given style (`%.17g` or fpconv_dtoa). */
export function formatDouble(x: number, style: DoubleStyle): string {
  return style === 'g17' ? formatDoubleG17(x) : formatDoubleShortest(x);
}
