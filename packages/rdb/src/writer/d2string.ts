// Scores as text, the way Redis formats a double before storing it in a zset listpack/ziplist or
// as a type-3 string-double: integral values as integers, others as `%.17g` (Redis <= 7.0) or the
// Grisu2 digits laid out by fpconv_dtoa (Redis 7.2+, FORMAT.md 11.4).
// Source of truth: redis/src/util.c d2string, double2ll; redis/deps/fpconv/fpconv_dtoa.c;
// redis/src/rdb.c rdbSaveDoubleValue.

import { fpconvDtoa } from '../fpconv-dtoa.js';

/**
 * Which Redis formats the text: `'g17'` is Redis <= 7.0 (`%.17g`; integral values with
 * |x| < 2^52 as integers), `'fpconv'` is Redis 7.2+ (fpconv_dtoa; integral values with
 * |x| <= 2^62 as integers).
 */
export type DoubleStyle = 'g17' | 'fpconv';

const TWO_POW_52 = 4503599627370496;
const TWO_POW_62 = 4611686018427387904;

/**
 * Format a double as Redis's d2string does, so that strtod (and {@link parseRedisDouble}) reads
 * back the identical double. One deliberate difference: -0 is always written `-0` (Redis 7.0's
 * d2string does so too, but its rdbSaveDoubleValue and 7.2's listpack path print `0`), so that
 * the sign of zero survives a round trip.
 * @param value any double
 * @param style the Redis generation to imitate, see {@link DoubleStyle}
 * @returns `nan`, `inf`, `-inf`, `-0`, an integer, or decimal/scientific text
 * @see redis/src/util.c d2string
 */
export function d2string(value: number, style: DoubleStyle): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  if (Number.isInteger(value)) {
    if (style === 'g17' ? value > -TWO_POW_52 + 1 && value < TWO_POW_52 : Math.abs(value) <= TWO_POW_62) {
      return BigInt(value).toString();
    }
  }
  return style === 'g17' ? formatG17(value) : fpconvDtoa(value);
}

/**
 * C's `printf("%.17g", value)` for a finite non-zero double: 17 significant digits, exponent form
 * when the exponent is below -4 or at least 17, trailing zeros removed.
 */
function formatG17(value: number): string {
  const e = value.toExponential(16); // correctly rounded: "-d.dddddddddddddddde+X"
  const ePos = e.indexOf('e');
  const negative = e[0] === '-';
  const digits = e.slice(negative ? 1 : 0, ePos).replace('.', '');
  const exp = Number(e.slice(ePos + 1));
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 17) {
    const frac = digits.slice(1).replace(/0+$/, '');
    const abs = Math.abs(exp);
    return `${sign}${digits[0]}${frac === '' ? '' : `.${frac}`}e${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
  }
  let int: string;
  let frac: string;
  if (exp >= 0) {
    int = digits.slice(0, exp + 1);
    frac = digits.slice(exp + 1);
  } else {
    int = '0';
    frac = '0'.repeat(-exp - 1) + digits;
  }
  frac = frac.replace(/0+$/, '');
  return `${sign}${int}${frac === '' ? '' : `.${frac}`}`;
}
