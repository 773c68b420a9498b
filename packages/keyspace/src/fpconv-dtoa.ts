// Grisu2 double -> text, ported operation for operation (64-bit unsigned arithmetic as bigints) so
// that the rare non-shortest outputs of Grisu2 (e.g. -342060.476344789 -> "-3.4206047634478903e+5")
// are reproduced: Redis 7.2+ uses it for zset scores in replies, digests and AOF rewrites.
// Source of truth: redis/deps/fpconv/fpconv_dtoa.c, fpconv_powers.h.

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const FRACMASK = 0x000fffffffffffffn;
const HIDDENBIT = 0x0010000000000000n;
const EXPBIAS = 1023 + 52;
const NPOWERS = 87;
const STEPPOWERS = 8;
const FIRSTPOWER = -348;
const EXPMAX = -32;
const EXPMIN = -60;

const TENS: bigint[] = [];
for (let i = 19; i >= 0; i--) TENS.push(10n ** BigInt(i));

interface Fp {
  frac: bigint;
  exp: number;
}

/* eslint-disable prettier/prettier */
const POWERS_TEN: readonly [string, number][] = [
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

const scratch = new DataView(new ArrayBuffer(8));

function dbits(d: number): bigint {
  scratch.setFloat64(0, d);
  return scratch.getBigUint64(0);
}

function buildFp(d: number): Fp {
  const bits = dbits(d);
  let frac = bits & FRACMASK;
  let exp = Number((bits >> 52n) & 0x7ffn);
  if (exp) {
    frac += HIDDENBIT;
    exp -= EXPBIAS;
  } else exp = -EXPBIAS + 1;
  return { frac, exp };
}

function normalize(fp: Fp): void {
  while ((fp.frac & HIDDENBIT) === 0n) {
    fp.frac = U64(fp.frac << 1n);
    fp.exp--;
  }
  const shift = 64 - 52 - 1;
  fp.frac = U64(fp.frac << BigInt(shift));
  fp.exp -= shift;
}

function normalizedBoundaries(fp: Fp): { lower: Fp; upper: Fp } {
  const upper: Fp = { frac: U64((fp.frac << 1n) + 1n), exp: fp.exp - 1 };
  while ((upper.frac & (HIDDENBIT << 1n)) === 0n) {
    upper.frac = U64(upper.frac << 1n);
    upper.exp--;
  }
  const uShift = 64 - 52 - 2;
  upper.frac = U64(upper.frac << BigInt(uShift));
  upper.exp -= uShift;
  const lShift = fp.frac === HIDDENBIT ? 2 : 1;
  const lower: Fp = { frac: U64((fp.frac << BigInt(lShift)) - 1n), exp: fp.exp - lShift };
  lower.frac = U64(lower.frac << BigInt(lower.exp - upper.exp));
  lower.exp = upper.exp;
  return { lower, upper };
}

function multiply(a: Fp, b: Fp): Fp {
  const lomask = 0xffffffffn;
  const ahBl = (a.frac >> 32n) * (b.frac & lomask);
  const alBh = (a.frac & lomask) * (b.frac >> 32n);
  const alBl = (a.frac & lomask) * (b.frac & lomask);
  const ahBh = (a.frac >> 32n) * (b.frac >> 32n);
  let tmp = (ahBl & lomask) + (alBh & lomask) + (alBl >> 32n);
  tmp = U64(tmp + (1n << 31n));
  return { frac: U64(ahBh + (ahBl >> 32n) + (alBh >> 32n) + (tmp >> 32n)), exp: a.exp + b.exp + 64 };
}

function findCachedPow10(exp: number): { fp: Fp; k: number } {
  const oneLogTen = 0.30102999566398114;
  const approx = Math.trunc(-(exp + NPOWERS) * oneLogTen);
  let idx = Math.trunc((approx - FIRSTPOWER) / STEPPOWERS);
  for (;;) {
    const p = POWERS_TEN[idx]!;
    const current = exp + p[1] + 64;
    if (current < EXPMIN) {
      idx++;
      continue;
    }
    if (current > EXPMAX) {
      idx--;
      continue;
    }
    return { fp: { frac: BigInt(p[0]), exp: p[1] }, k: FIRSTPOWER + idx * STEPPOWERS };
  }
}

function roundDigit(digits: number[], ndigits: number, delta: bigint, rem0: bigint, kappa: bigint, frac: bigint): void {
  let rem = rem0;
  while (rem < frac && U64(delta - rem) >= kappa && (U64(rem + kappa) < frac || U64(frac - rem) > U64(rem + kappa - frac))) {
    digits[ndigits - 1]!--;
    rem = U64(rem + kappa);
  }
}

function generateDigits(fp: Fp, upper: Fp, lower: Fp, digits: number[]): number {
  const wfrac = U64(upper.frac - fp.frac);
  let delta = U64(upper.frac - lower.frac);
  const shift = BigInt(-upper.exp);
  const oneFrac = U64(1n << shift);
  let part1 = upper.frac >> shift;
  let part2 = upper.frac & (oneFrac - 1n);
  let kappa = 10;
  let divi = 10;
  for (; kappa > 0; divi++) {
    const div = TENS[divi]!;
    const digit = part1 / div;
    if (digit !== 0n || digits.length > 0) digits.push(Number(digit));
    part1 -= digit * div;
    kappa--;
    const tmp = U64((part1 << shift) + part2);
    if (tmp <= delta) {
      roundDigit(digits, digits.length, delta, tmp, U64(div << shift), wfrac);
      return kappa;
    }
  }
  let unit = 18;
  for (;;) {
    part2 = U64(part2 * 10n);
    delta = U64(delta * 10n);
    kappa--;
    const digit = part2 >> shift;
    if (digit !== 0n || digits.length > 0) digits.push(Number(digit & 0xffffffffn));
    part2 &= oneFrac - 1n;
    if (part2 < delta) {
      roundDigit(digits, digits.length, delta, part2, oneFrac, U64(wfrac * TENS[unit]!));
      return kappa;
    }
    unit--;
  }
}

/** Grisu2 digits and decimal exponent K (value = digits x 10^K) of a positive finite double. */
export function grisu2(d: number): { digits: string; K: number } {
  const w = buildFp(d);
  const { lower, upper } = normalizedBoundaries(w);
  normalize(w);
  const { fp: cp, k } = findCachedPow10(upper.exp);
  const w2 = multiply(w, cp);
  const up = multiply(upper, cp);
  const lo = multiply(lower, cp);
  lo.frac = U64(lo.frac + 1n);
  up.frac = U64(up.frac - 1n);
  const digits: number[] = [];
  const kappa = generateDigits(w2, up, lo, digits);
  return { digits: digits.map((c) => String.fromCharCode(0x30 + c)).join(''), K: -k + kappa };
}

/**
 * fpconv_dtoa: Redis 7.2+'s double text (Grisu2 digits, then plain integer, plain decimal or
 * `d.ddde±X` as emit_digits decides; `-0`, `inf`, `-inf`, `nan`).
 * @see redis/deps/fpconv/fpconv_dtoa.c fpconv_dtoa, emit_digits
 */
export function fpconvDtoa(d: number): string {
  const neg = (dbits(d) & 0x8000000000000000n) !== 0n;
  const sign = neg ? '-' : '';
  if (d === 0) return `${sign}0`;
  if (Number.isNaN(d)) return `${sign}nan`;
  if (!Number.isFinite(d)) return `${sign}inf`;
  const { digits, K } = grisu2(d);
  let nd = digits.length;
  const exp = Math.abs(K + nd - 1);
  if (K >= 0 && exp < nd + 7) return sign + digits + '0'.repeat(K);
  if (K < 0 && (K > -7 || exp < 4)) {
    const offset = nd - Math.abs(K);
    if (offset <= 0) return `${sign}0.${'0'.repeat(-offset)}${digits}`;
    return `${sign}${digits.slice(0, offset)}.${digits.slice(offset)}`;
  }
  const expSign = K + nd - 1 < 0 ? '-' : '+';
  nd = Math.min(nd, 18 - (neg ? 1 : 0));
  return `${sign}${digits[0]}${nd > 1 ? `.${digits.slice(1, nd)}` : ''}e${expSign}${exp}`;
}
