// Doubles as Redis 7.2+ prints them (AOF rewrite ZADD scores, listpack score strings).
// Source of truth: redis/src/fpconv_dtoa.c fpconv_dtoa (Grisu2 digits + emit_digits layout).

/**
 * Format `value` exactly as Redis 7.2+'s `fpconv_dtoa` does: the shortest round-trip digits,
 * laid out as a plain integer (`10000000`), a plain decimal (`0.00001`, `12.5`) or scientific
 * notation (`1e+8`, `1.234e-5`) by Redis's rules, which differ from JavaScript's
 * `Number.prototype.toString` (that switches to exponent form only at 1e21).
 * `0` and `-0` keep their sign; infinities print as `inf` / `-inf` and NaN as `nan`.
 * The text always parses back (strtod, `Number()`) to the identical double.
 * @param value any double
 * @returns the text Redis would write
 * @see redis/src/fpconv_dtoa.c fpconv_dtoa, emit_digits
 */
export function fpconvDtoa(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const sign = value < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits: "d.ddde+X".
  const exp = Math.abs(value).toExponential();
  const ePos = exp.indexOf('e');
  const digits = exp.slice(0, ePos).replace('.', '');
  const exp10 = Number(exp.slice(ePos + 1)); // decimal exponent of the first digit
  const nd = digits.length;
  const k = exp10 - nd + 1; // value = digits * 10^k
  const absExp = Math.abs(exp10); // emit_digits' `exp = absv(K + ndigits - 1)`
  // Plain integer: digits followed by k zeros.
  if (k >= 0 && absExp < nd + 7) return sign + digits + '0'.repeat(k);
  // Plain decimal, the point inside the digits or before them.
  if (k < 0 && (k > -7 || absExp < 4)) {
    if (exp10 < 0) return sign + '0.' + '0'.repeat(-exp10 - 1) + digits;
    return sign + digits.slice(0, exp10 + 1) + '.' + digits.slice(exp10 + 1);
  }
  // Scientific: d[.ddd]e{+|-}X, exponent without leading zeros.
  const mantissa = nd === 1 ? digits : digits[0] + '.' + digits.slice(1);
  return sign + mantissa + 'e' + (exp10 < 0 ? '-' : '+') + String(absExp);
}
