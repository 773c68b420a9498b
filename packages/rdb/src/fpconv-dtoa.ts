// Doubles as Redis 7.2+ prints them: Grisu2 digits laid out by emit_digits, ported operation for
// operation so that Grisu2's rare non-shortest outputs (-342060.476344789 -> "-3.4206047634478903e+5")
// come out as Redis writes them. Source of truth: redis/deps/fpconv/fpconv_dtoa.c, fpconv_powers.h.
//
// The C code works on uint64_t. Here a 64-bit value is a pair of Numbers (hi, lo), each an unsigned
// 32-bit integer, and every intermediate stays below 2^53, so the arithmetic is exact without
// BigInt (which allocates per operation and made this function ~10x slower).

const TWO_32 = 4294967296;
const INV_TWO_32 = 1 / TWO_32;
const TWO_52 = 4503599627370496;

/* eslint-disable prettier/prettier */
// powers_ten: 10^k for k = firstpower + i * steppowers, as a normalized 64-bit fraction and a
// binary exponent (fpconv_powers.h, verbatim).
const POWERS_TEN: readonly (readonly [string, number])[] = [
  ['18054884314459144840', -1220], ['13451937075301367670', -1193], ['10022474136428063862', -1166], ['14934650266808366570', -1140],
  ['11127181549972568877', -1113], ['16580792590934885855', -1087], ['12353653155963782858', -1060], ['18408377700990114895', -1034],
  ['13715310171984221708', -1007], ['10218702384817765436', -980], ['15227053142812498563', -954], ['11345038669416679861', -927],
  ['16905424996341287883', -901], ['12595523146049147757', -874], ['9384396036005875287', -847], ['13983839803942852151', -821],
  ['10418772551374772303', -794], ['15525180923007089351', -768], ['11567161174868858868', -741], ['17236413322193710309', -715],
  ['12842128665889583758', -688], ['9568131466127621947', -661], ['14257626930069360058', -635], ['10622759856335341974', -608],
  ['15829145694278690180', -582], ['11793632577567316726', -555], ['17573882009934360870', -529], ['13093562431584567480', -502],
  ['9755464219737475723', -475], ['14536774485912137811', -449], ['10830740992659433045', -422], ['16139061738043178685', -396],
  ['12024538023802026127', -369], ['17917957937422433684', -343], ['13349918974505688015', -316], ['9946464728195732843', -289],
  ['14821387422376473014', -263], ['11042794154864902060', -236], ['16455045573212060422', -210], ['12259964326927110867', -183],
  ['18268770466636286478', -157], ['13611294676837538539', -130], ['10141204801825835212', -103], ['15111572745182864684', -77],
  ['11258999068426240000', -50], ['16777216000000000000', -24], ['12500000000000000000', 3], ['9313225746154785156', 30],
  ['13877787807814456755', 56], ['10339757656912845936', 83], ['15407439555097886824', 109], ['11479437019748901445', 136],
  ['17105694144590052135', 162], ['12744735289059618216', 189], ['9495567745759798747', 216], ['14149498560666738074', 242],
  ['10542197943230523224', 269], ['15709099088952724970', 295], ['11704190886730495818', 322], ['17440603504673385349', 348],
  ['12994262207056124023', 375], ['9681479787123295682', 402], ['14426529090290212157', 428], ['10748601772107342003', 455],
  ['16016664761464807395', 481], ['11933345169920330789', 508], ['17782069995880619868', 534], ['13248674568444952270', 561],
  ['9871031767461413346', 588], ['14708983551653345445', 614], ['10959046745042015199', 641], ['16330252207878254650', 667],
  ['12166986024289022870', 694], ['18130221999122236476', 720], ['13508068024458167312', 747], ['10064294952495520794', 774],
  ['14996968138956309548', 800], ['11173611982879273257', 827], ['16649979327439178909', 853], ['12405201291620119593', 880],
  ['9242595204427927429', 907], ['13772540099066387757', 933], ['10261342003245940623', 960], ['15290591125556738113', 986],
  ['11392378155556871081', 1013], ['16975966327722178521', 1039], ['12648080533535911531', 1066],
];
/* eslint-enable prettier/prettier */

const FIRSTPOWER = -348; // 10^-348
const STEPPOWERS = 8;
const NPOWERS = 87;
const EXPMAX = -32;
const EXPMIN = -60;

const POW_HI: number[] = [];
const POW_LO: number[] = [];
const POW_EXP: number[] = [];
for (const [decimal, exp] of POWERS_TEN) {
  // (hi, lo) = (hi, lo) * 10 + digit, in 32-bit halves.
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < decimal.length; i++) {
    const l = lo * 10 + (decimal.charCodeAt(i) - 0x30);
    const carry = Math.floor(l * INV_TWO_32);
    lo = l - carry * TWO_32;
    hi = hi * 10 + carry;
  }
  POW_HI.push(hi);
  POW_LO.push(lo);
  POW_EXP.push(exp);
}

// tens[10..19] (1000000000 .. 1) as Numbers: the divisors of the integral part.
const DIVISORS: readonly number[] = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];
// tens[i] = 10^(19 - i) as (hi, lo), for the fractional part's `unit`. Built by repeated * 10,
// which is exact: every 10^k up to 10^22 is a double.
const TENS_HI: number[] = new Array<number>(20);
const TENS_LO: number[] = new Array<number>(20);
for (let i = 19, v = 1; i >= 0; i--, v *= 10) {
  TENS_HI[i] = Math.floor(v * INV_TWO_32);
  TENS_LO[i] = v - TENS_HI[i]! * TWO_32;
}
// 2^0 .. 2^52 as Numbers.
const POW2: number[] = [];
for (let i = 0, v = 1; i <= 52; i++, v *= 2) POW2.push(v);

// The IEEE 754 bits of a double, read through a shared buffer in the platform's byte order.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

// Scratch instead of objects per call: R holds the (hi, lo) result of multiply/add64/sub64,
// DIGITS the ASCII digits grisu2 generates, OUT the text fpconvDtoa returns (at most 24 bytes).
const R = new Float64Array(2);
const DIGITS = new Uint8Array(24);
const OUT = new Uint8Array(32);
// Buffer's latin1 decoder called on a plain Uint8Array: one native call for the whole text.
const latin1Slice = Buffer.prototype.latin1Slice as (this: Uint8Array, start: number, end: number) => string;

/**
 * fpconv's multiply(): the high 64 bits of the 128-bit product a * b, rounded (half up). Each
 * 32x32-bit partial product is split into halves with Math.imul (exact low 32 bits) and a
 * Number product (the high 32 bits, off by far less than 0.5 before rounding).
 */
function multiply(ah: number, al: number, bh: number, bl: number): void {
  const ahBlLo = Math.imul(ah, bl) >>> 0;
  const ahBlHi = Math.round((ah * bl - ahBlLo) * INV_TWO_32);
  const alBhLo = Math.imul(al, bh) >>> 0;
  const alBhHi = Math.round((al * bh - alBhLo) * INV_TWO_32);
  const alBlLo = Math.imul(al, bl) >>> 0;
  const alBlHi = Math.round((al * bl - alBlLo) * INV_TWO_32);
  const ahBhLo = Math.imul(ah, bh) >>> 0;
  const ahBhHi = Math.round((ah * bh - ahBhLo) * INV_TWO_32);
  // tmp = (ah_bl & lomask) + (al_bh & lomask) + (al_bl >> 32) + (1U << 31)
  const tmp = ahBlLo + alBhLo + alBlHi + 2147483648;
  const low = ahBhLo + ahBlHi + alBhHi + Math.floor(tmp * INV_TWO_32);
  const carry = Math.floor(low * INV_TWO_32);
  R[0] = ahBhHi + carry;
  R[1] = low - carry * TWO_32;
}

// `x >>> 0` is ToUint32: exactly x modulo 2^32 for any integer below 2^53 in magnitude.

/** (ah, al) + (bh, bl) modulo 2^64, into R. */
function add64(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl;
  const carry = lo >= TWO_32 ? 1 : 0;
  R[0] = (ah + bh + carry) >>> 0;
  R[1] = lo - carry * TWO_32;
}

/** (ah, al) - (bh, bl) modulo 2^64, into R. */
function sub64(ah: number, al: number, bh: number, bl: number): void {
  const lo = al - bl;
  const borrow = lo < 0 ? 1 : 0;
  R[0] = (ah - bh - borrow) >>> 0;
  R[1] = lo + borrow * TWO_32;
}

/** (ah, al) < (bh, bl) as unsigned 64-bit integers. */
function lt64(ah: number, al: number, bh: number, bl: number): boolean {
  return ah < bh || (ah === bh && al < bl);
}

/**
 * fpconv's round_digit(): lower the last digit (DIGITS[ndigits - 1]) while that brings the
 * value closer to the double and stays inside the rounding interval.
 */
function roundDigit(
  ndigits: number,
  deltaHi: number,
  deltaLo: number,
  remHi: number,
  remLo: number,
  kappaHi: number,
  kappaLo: number,
  fracHi: number,
  fracLo: number,
): void {
  for (;;) {
    if (!lt64(remHi, remLo, fracHi, fracLo)) return; // rem < frac
    sub64(deltaHi, deltaLo, remHi, remLo);
    if (lt64(R[0]!, R[1]!, kappaHi, kappaLo)) return; // delta - rem >= kappa
    add64(remHi, remLo, kappaHi, kappaLo);
    const sumHi = R[0]!; // rem + kappa
    const sumLo = R[1]!;
    if (!lt64(sumHi, sumLo, fracHi, fracLo)) {
      // rem + kappa < frac || frac - rem > rem + kappa - frac
      sub64(fracHi, fracLo, remHi, remLo);
      const aHi = R[0]!;
      const aLo = R[1]!;
      sub64(sumHi, sumLo, fracHi, fracLo);
      if (!lt64(R[0]!, R[1]!, aHi, aLo)) return;
    }
    DIGITS[ndigits - 1]!--;
    remHi = sumHi;
    remLo = sumLo;
  }
}

/** grisu2's decimal exponent K (value ~ digits x 10^K), set by {@link grisu2}. */
let grisuK = 0;

/**
 * fpconv's grisu2() + generate_digits() for a positive finite non-zero double given by its biased
 * exponent and 52 fraction bits: writes the ASCII digits to DIGITS, sets grisuK.
 * @returns the number of digits
 */
function grisu2(biasedExp: number, fracHi: number, fracLo: number): number {
  // build_fp
  let f = fracHi * TWO_32 + fracLo;
  let e: number;
  if (biasedExp !== 0) {
    f += TWO_52;
    e = biasedExp - 1075;
  } else e = -1074;
  // get_normalized_boundaries and normalize, in closed form: with z the shift that brings the
  // hidden bit to bit 52 (0 unless subnormal), w = f * 2^(z + 11), upper = w + 2^(z + 10),
  // lower = w - 2^(z + 11 - l_shift), all with the exponent e - z - 11. w has z + 11 low zero bits,
  // so the addition never carries.
  const z = biasedExp !== 0 ? 0 : 53 - (f >= TWO_32 ? 64 - Math.clz32(Math.floor(f * INV_TWO_32)) : 32 - Math.clz32(f));
  const fn = z === 0 ? f : f * POW2[z]!; // < 2^53, exact
  const wHi = Math.floor(fn / 2097152); // the high half of fn << 11
  const wLo = (fn - wHi * 2097152) * 2048;
  let uHi = wHi;
  let uLo = wLo;
  const upBit = z + 10;
  if (upBit >= 32) uHi += POW2[upBit - 32]!;
  else uLo += POW2[upBit]!;
  const lowBit = f === TWO_52 ? 9 : z + 10;
  if (lowBit >= 32) sub64(wHi, wLo, POW2[lowBit - 32]!, 0);
  else sub64(wHi, wLo, 0, POW2[lowBit]!);
  const lHi = R[0]!;
  const lLo = R[1]!;
  const exp = e - z - 11;

  // find_cachedpow10
  const approx = Math.trunc(-(exp + NPOWERS) * 0.30102999566398114);
  let idx = Math.trunc((approx - FIRSTPOWER) / STEPPOWERS);
  let current: number;
  for (;;) {
    current = exp + POW_EXP[idx]! + 64;
    if (current < EXPMIN) idx++;
    else if (current > EXPMAX) idx--;
    else break;
  }
  const cHi = POW_HI[idx]!;
  const cLo = POW_LO[idx]!;
  let K = -(FIRSTPOWER + idx * STEPPOWERS);

  multiply(wHi, wLo, cHi, cLo);
  const wpHi = R[0]!;
  const wpLo = R[1]!;
  multiply(uHi, uLo, cHi, cLo);
  sub64(R[0]!, R[1]!, 0, 1); // upper.frac--
  const upHi = R[0]!;
  const upLo = R[1]!;
  multiply(lHi, lLo, cHi, cLo);
  add64(R[0]!, R[1]!, 0, 1); // lower.frac++

  // generate_digits. one.exp = current, so the split is at bit -current = 32 + s (s = 0..28).
  sub64(upHi, upLo, R[0]!, R[1]!);
  let deltaHi = R[0]!;
  let deltaLo = R[1]!;
  sub64(upHi, upLo, wpHi, wpLo);
  const wfracHi = R[0]!;
  const wfracLo = R[1]!;
  const s = -current - 32;
  const oneHi = POW2[s]!; // one.frac = 2^(32 + s)
  const mask = oneHi - 1;
  let part1 = upHi >>> s; // upper->frac >> -one.exp, < 2^32
  let part2Hi = upHi & mask; // upper->frac & (one.frac - 1)
  let part2Lo = upLo;
  let idxDigits = 0;
  let kappa = 10;
  // Divisors above part1 give leading zeros, which C skips too (`if (digit || idx)`); while no
  // digit is out the remainder is upper itself, which is above delta, so no early exit is missed.
  let d = 0;
  while (d < 9 && DIVISORS[d]! > part1) {
    d++;
    kappa--;
  }
  for (; kappa > 0; d++) {
    const div = DIVISORS[d]!;
    const digit = Math.floor(part1 / div);
    DIGITS[idxDigits++] = 0x30 + digit;
    part1 -= digit * div;
    kappa--;
    const tmpHi = part1 * oneHi + part2Hi; // (part1 << -one.exp) + part2, < 2^64
    if (tmpHi < deltaHi || (tmpHi === deltaHi && part2Lo <= deltaLo)) {
      grisuK = K + kappa;
      // div << -one.exp, modulo 2^64 as in C
      roundDigit(idxDigits, deltaHi, deltaLo, tmpHi, part2Lo, (div * oneHi) >>> 0, 0, wfracHi, wfracLo);
      return idxDigits;
    }
  }
  for (let unit = 18; ; unit--) {
    // part2 *= 10 (no overflow: part2 < 2^60), delta *= 10 (modulo 2^64)
    let l = part2Lo * 10;
    let carry = Math.floor(l * INV_TWO_32);
    part2Lo = l - carry * TWO_32;
    part2Hi = part2Hi * 10 + carry;
    l = deltaLo * 10;
    carry = Math.floor(l * INV_TWO_32);
    deltaLo = l - carry * TWO_32;
    deltaHi = (deltaHi * 10 + carry) >>> 0;
    kappa--;
    DIGITS[idxDigits++] = 0x30 + (part2Hi >>> s); // part2 >> -one.exp; never a leading zero here
    part2Hi &= mask; // part2 &= one.frac - 1
    if (part2Hi < deltaHi || (part2Hi === deltaHi && part2Lo < deltaLo)) {
      grisuK = K + kappa;
      // wfrac * *unit, modulo 2^64
      const tHi = TENS_HI[unit]!;
      const tLo = TENS_LO[unit]!;
      const pLo = Math.imul(wfracLo, tLo) >>> 0;
      const pHi = Math.round((wfracLo * tLo - pLo) * INV_TWO_32);
      const fracHi = (pHi + Math.imul(wfracHi, tLo) + Math.imul(wfracLo, tHi)) >>> 0;
      roundDigit(idxDigits, deltaHi, deltaLo, part2Hi, part2Lo, oneHi, 0, fracHi, pLo);
      return idxDigits;
    }
  }
}

/**
 * Format a double exactly as Redis 7.2+'s `fpconv_dtoa` does: Grisu2 digits (the shortest
 * round-trip digits, except for rare doubles where Grisu2 emits one more or a different last
 * digit), laid out as a plain integer (`10000000`), a plain decimal (`0.00001`, `12.5`) or
 * scientific notation (`1e+8`, `1.234e-5`) by emit_digits' rules, which differ from JavaScript's
 * `Number.prototype.toString` (that switches to exponent form only at 1e21). Zeros keep their sign
 * (`-0`); infinities print as `inf` / `-inf` and NaN as `nan` (`-nan` with the sign bit set).
 * Redis uses it for doubles in replies, zset scores stored as listpack text, the AOF rewrite
 * (rioWriteBulkDouble) and DEBUG DIGEST. The text always parses back (strtod, `Number()`) to the
 * identical double.
 * @param value any double
 * @returns the text Redis would write
 * @see redis/deps/fpconv/fpconv_dtoa.c fpconv_dtoa, grisu2, generate_digits, emit_digits
 */
export function fpconvDtoa(value: number): string {
  f64[0] = value;
  const bitsHi = u32[HI]!;
  const bitsLo = u32[LO]!;
  const neg = bitsHi >>> 31;
  const biasedExp = (bitsHi >>> 20) & 0x7ff;
  const fracHi = bitsHi & 0xfffff;
  // filter_special
  if (value === 0) return neg ? '-0' : '0';
  if (biasedExp === 0x7ff) {
    const special = fracHi !== 0 || bitsLo !== 0 ? 'nan' : 'inf';
    return neg ? '-' + special : special;
  }
  let nd = grisu2(biasedExp, fracHi, bitsLo);
  const K = grisuK;
  // emit_digits, into OUT after the sign
  let i = 0;
  if (neg) OUT[i++] = 0x2d; // '-'
  let exp = Math.abs(K + nd - 1);
  if (K >= 0 && exp < nd + 7) {
    // plain integer
    for (let j = 0; j < nd; j++) OUT[i++] = DIGITS[j]!;
    for (let j = 0; j < K; j++) OUT[i++] = 0x30;
    return latin1Slice.call(OUT, 0, i);
  }
  if (K < 0 && (K > -7 || exp < 4)) {
    // decimal without scientific notation
    const offset = nd + K;
    if (offset <= 0) {
      OUT[i++] = 0x30; // '0'
      OUT[i++] = 0x2e; // '.'
      for (let j = offset; j < 0; j++) OUT[i++] = 0x30;
      for (let j = 0; j < nd; j++) OUT[i++] = DIGITS[j]!;
    } else {
      for (let j = 0; j < offset; j++) OUT[i++] = DIGITS[j]!;
      OUT[i++] = 0x2e;
      for (let j = offset; j < nd; j++) OUT[i++] = DIGITS[j]!;
    }
    return latin1Slice.call(OUT, 0, i);
  }
  // scientific notation; the exponent sign is computed after the digit cut, as in C
  nd = Math.min(nd, 18 - neg);
  OUT[i++] = DIGITS[0]!;
  if (nd > 1) {
    OUT[i++] = 0x2e;
    for (let j = 1; j < nd; j++) OUT[i++] = DIGITS[j]!;
  }
  OUT[i++] = 0x65; // 'e'
  OUT[i++] = K + nd - 1 < 0 ? 0x2d : 0x2b;
  if (exp > 99) {
    const cent = Math.floor(exp / 100);
    OUT[i++] = 0x30 + cent;
    exp -= cent * 100;
    OUT[i++] = 0x30 + Math.floor(exp / 10);
  } else if (exp > 9) OUT[i++] = 0x30 + Math.floor(exp / 10);
  OUT[i++] = 0x30 + (exp % 10);
  return latin1Slice.call(OUT, 0, i);
}
