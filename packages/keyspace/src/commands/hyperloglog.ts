// HyperLogLog commands on the exact byte representation Redis keeps in the string value:
// "HYLL", encoding, 3 unused bytes, 8-byte little-endian cached cardinality (MSB of the last byte
// set = stale), then sparse opcodes (ZERO 00xxxxxx, XZERO 01xxxxxx yyyyyyyy, VAL 1vvvvvxx) or 16384
// dense 6-bit registers. PFADD, PFMERGE and PFCOUNT's cache write are byte-for-byte Redis's.
// Source of truth: redis/src/hyperloglog.c (hllSparseSet, hllSparseToDense, hllCount with the
// Ertl estimator of Redis 5.0+), MurmurHash64A.

import { ERR, fail, lookupKey, lookupTyped } from '../exec-context.js';
import { OK } from '../reply.js';
import { MutableString, stringBytes, toMutable } from '../values.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';
import type { StringValue } from '../values.js';

const HLL_P = 14;
const HLL_Q = 64 - HLL_P;
/** HLL_REGISTERS: 16384 6-bit registers. */
export const HLL_REGISTERS = 1 << HLL_P;
const HLL_BITS = 6;
const HLL_REGISTER_MAX = (1 << HLL_BITS) - 1;
/** HLL_HDR_SIZE: magic, encoding, 3 unused bytes, 8-byte cached cardinality. */
export const HLL_HDR_SIZE = 16;
/** Total bytes of a dense HLL (header + 12288 register bytes). */
export const HLL_DENSE_SIZE = HLL_HDR_SIZE + Math.floor((HLL_REGISTERS * HLL_BITS + 7) / 8);
/** HLL_DENSE encoding byte. */
export const HLL_DENSE = 0;
/** HLL_SPARSE encoding byte. */
export const HLL_SPARSE = 1;
const HLL_SPARSE_VAL_MAX_VALUE = 32;
const HLL_SPARSE_VAL_MAX_LEN = 4;
const HLL_SPARSE_ZERO_MAX_LEN = 64;
const HLL_SPARSE_XZERO_MAX_LEN = 16384;
/** hll-sparse-max-bytes default. */
export const HLL_SPARSE_MAX_BYTES = 3000;
const HLL_ALPHA_INF = 0.721347520444481703680;
const INVALID_HLL_ERR = 'INVALIDOBJ Corrupted HLL object detected';

const isZero = (b: number): boolean => (b & 0xc0) === 0;
const isXzero = (b: number): boolean => (b & 0xc0) === 0x40;
const isVal = (b: number): boolean => (b & 0x80) !== 0;
const zeroLen = (b: number): number => (b & 0x3f) + 1;
const xzeroLen = (b0: number, b1: number): number => (((b0 & 0x3f) << 8) | b1) + 1;
const valValue = (b: number): number => ((b >> 2) & 0x1f) + 1;
const valLen = (b: number): number => (b & 0x3) + 1;
const valByte = (val: number, len: number): number => (((val - 1) << 2) | (len - 1)) | 0x80;

// MurmurHash64A on (hi, lo) 32-bit halves: exact 64-bit arithmetic with numbers (no bigints in
// the per-element path).
const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;

/** (ah:al) * (bh:bl) mod 2^64 as [hi, lo]. */
function mul64(ah: number, al: number, bh: number, bl: number): [number, number] {
  const a0 = al & 0xffff;
  const a1 = al >>> 16;
  const b0 = bl & 0xffff;
  const b1 = bl >>> 16;
  const mid = a0 * b1 + a1 * b0;
  const loFull = a0 * b0 + (mid % 65536) * 65536;
  const lo = loFull >>> 0;
  const carry = Math.floor(loFull / 4294967296);
  const hi = (a1 * b1 + Math.floor(mid / 65536) + carry + Math.imul(ah, bl) + Math.imul(al, bh)) >>> 0;
  return [hi, lo];
}

/**
 * MurmurHash64A (little-endian blocks), as Redis hashes HLL elements with seed 0xadc83b19.
 * @returns [hi, lo] 32-bit halves of the hash
 * @see redis/src/hyperloglog.c MurmurHash64A
 */
export function murmurHash64A(key: Uint8Array, seed: number): [number, number] {
  const len = key.byteLength;
  let [hh, hl] = mul64(0, len >>> 0, M_HI, M_LO);
  hl = (hl ^ seed) >>> 0;
  const blocks = len - (len & 7);
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  for (let i = 0; i < blocks; i += 8) {
    let [kh, kl] = mul64(view.getUint32(i + 4, true), view.getUint32(i, true), M_HI, M_LO);
    kl = (kl ^ (kh >>> 15)) >>> 0; // k ^= k >> 47
    [kh, kl] = mul64(kh, kl, M_HI, M_LO);
    hh = (hh ^ kh) >>> 0;
    hl = (hl ^ kl) >>> 0;
    [hh, hl] = mul64(hh, hl, M_HI, M_LO);
  }
  const rem = len & 7;
  if (rem > 0) {
    for (let i = rem - 1; i >= 0; i--) {
      const b = key[blocks + i]!;
      if (i >= 4) hh = (hh ^ (b << (8 * (i - 4)))) >>> 0;
      else hl = (hl ^ (b << (8 * i))) >>> 0;
    }
    [hh, hl] = mul64(hh, hl, M_HI, M_LO);
  }
  hl = (hl ^ (hh >>> 15)) >>> 0;
  [hh, hl] = mul64(hh, hl, M_HI, M_LO);
  hl = (hl ^ (hh >>> 15)) >>> 0;
  return [hh, hl];
}

/** Register index and run length ("000..1" count) of an element. @see hllPatLen */
export function hllPatLen(ele: Uint8Array): [index: number, count: number] {
  const [hi, lo] = murmurHash64A(ele, 0xadc83b19);
  const index = lo & (HLL_REGISTERS - 1);
  // hash >>= HLL_P; hash |= 1 << HLL_Q; count = 1 + trailing zeros.
  const rlo = ((lo >>> HLL_P) | (hi << (32 - HLL_P))) >>> 0;
  const rhi = ((hi >>> HLL_P) | (1 << (HLL_Q - 32))) >>> 0;
  const ctz = (v: number): number => 31 - Math.clz32(v & -v);
  return [index, 1 + (rlo !== 0 ? ctz(rlo) : 32 + ctz(rhi))];
}

function denseGet(regs: Uint8Array, base: number, regnum: number): number {
  const byte = base + Math.floor((regnum * HLL_BITS) / 8);
  const fb = (regnum * HLL_BITS) & 7;
  const b0 = regs[byte]!;
  const b1 = regs[byte + 1] ?? 0;
  return ((b0 >> fb) | (b1 << (8 - fb))) & HLL_REGISTER_MAX;
}

function denseSet(regs: Uint8Array, base: number, regnum: number, val: number): void {
  const byte = base + Math.floor((regnum * HLL_BITS) / 8);
  const fb = (regnum * HLL_BITS) & 7;
  const fb8 = 8 - fb;
  regs[byte] = (regs[byte]! & ~(HLL_REGISTER_MAX << fb)) | ((val << fb) & 0xff);
  if (byte + 1 < regs.byteLength) regs[byte + 1] = (regs[byte + 1]! & ~(HLL_REGISTER_MAX >> fb8)) | (val >> fb8);
}

/** A new empty HLL: sparse, one XZERO covering the 16384 registers, cardinality 0 (valid). */
export function createHll(): MutableString {
  const b = new Uint8Array(HLL_HDR_SIZE + 2);
  b.set([0x48, 0x59, 0x4c, 0x4c]); // "HYLL"
  b[4] = HLL_SPARSE;
  const l = HLL_SPARSE_XZERO_MAX_LEN - 1;
  b[HLL_HDR_SIZE] = (l >> 8) | 0x40;
  b[HLL_HDR_SIZE + 1] = l & 0xff;
  return new MutableString(b, 64);
}

/** isHLLObjectOrReply: the string must look like an HLL. */
function checkHll(v: StringValue): void {
  const b = stringBytes(v);
  const ok =
    b.byteLength >= HLL_HDR_SIZE &&
    b[0] === 0x48 && b[1] === 0x59 && b[2] === 0x4c && b[3] === 0x4c &&
    b[4]! <= HLL_SPARSE &&
    !(b[4] === HLL_DENSE && b.byteLength !== HLL_DENSE_SIZE);
  if (!ok) fail('WRONGTYPE Key is not a valid HyperLogLog string value.');
}

const invalidateCache = (m: MutableString): void => {
  m.bytes[15] = m.bytes[15]! | 0x80;
};

/** hllSparseToDense: decode the opcodes into registers; keeps the header. */
function sparseToDense(m: MutableString): void {
  if (m.bytes[4] === HLL_DENSE) return;
  const dense = new Uint8Array(HLL_DENSE_SIZE + 1);
  dense.set(m.bytes.subarray(0, HLL_HDR_SIZE));
  dense[4] = HLL_DENSE;
  let idx = 0;
  let p = HLL_HDR_SIZE;
  const end = m.length;
  while (p < end) {
    const b = m.bytes[p]!;
    if (isZero(b)) {
      idx += zeroLen(b);
      p++;
    } else if (isXzero(b)) {
      idx += xzeroLen(b, m.bytes[p + 1]!);
      p += 2;
    } else {
      const runlen = valLen(b);
      const regval = valValue(b);
      if (runlen + idx > HLL_REGISTERS) break;
      for (let i = 0; i < runlen; i++) denseSet(dense, HLL_HDR_SIZE, idx++, regval);
      p++;
    }
  }
  if (idx !== HLL_REGISTERS) fail(INVALID_HLL_ERR);
  m.bytes = dense;
  m.length = HLL_DENSE_SIZE;
}

/** hllDenseSet: 1 when the register grew. */
function denseAdd(m: MutableString, index: number, count: number): number {
  if (count > denseGet(m.bytes, HLL_HDR_SIZE, index)) {
    denseSet(m.bytes, HLL_HDR_SIZE, index, count);
    return 1;
  }
  return 0;
}

/** Replace bytes [at, at+oldlen) with `seq`, moving the tail. */
function splice(m: MutableString, at: number, oldlen: number, seq: number[]): void {
  const oldLength = m.length;
  const delta = seq.length - oldlen;
  if (delta > 0) m.ensureLength(oldLength + delta);
  m.bytes.copyWithin(at + seq.length, at + oldlen, oldLength);
  if (delta < 0) m.length = oldLength + delta;
  for (let i = 0; i < seq.length; i++) m.bytes[at + i] = seq[i]!;
}

/**
 * hllSparseSet: set register `index` to `count` if larger, splitting runs, merging equal
 * adjacent VALs, promoting to dense past hll-sparse-max-bytes or for counts above 32.
 * @returns 1 when changed, 0 when not
 */
function sparseSet(m: MutableString, index: number, count: number, maxBytes: number): number {
  if (count > HLL_SPARSE_VAL_MAX_VALUE) return promote(m, index, count);
  let p = HLL_HDR_SIZE;
  let end = m.length;
  let first = 0;
  let prev = -1;
  let span = 0;
  while (p < end) {
    const b = m.bytes[p]!;
    let oplen = 1;
    if (isZero(b)) span = zeroLen(b);
    else if (isVal(b)) span = valLen(b);
    else {
      span = xzeroLen(b, m.bytes[p + 1]!);
      oplen = 2;
    }
    if (index <= first + span - 1) break;
    prev = p;
    p += oplen;
    first += span;
  }
  if (span === 0 || p >= end) fail(INVALID_HLL_ERR);
  const b = m.bytes[p]!;
  const zero = isZero(b);
  const xzero = isXzero(b);
  const val = !zero && !xzero;
  const runlen = zero ? zeroLen(b) : xzero ? xzeroLen(b, m.bytes[p + 1]!) : valLen(b);
  let updated = false;
  if (val) {
    if (valValue(b) >= count) return 0;
    if (runlen === 1) {
      m.bytes[p] = valByte(count, 1);
      updated = true;
    }
  }
  if (!updated && zero && runlen === 1) {
    m.bytes[p] = valByte(count, 1);
    updated = true;
  }
  if (!updated) {
    const seq: number[] = [];
    const last = first + span - 1;
    const pushZeros = (len: number): void => {
      if (len > HLL_SPARSE_ZERO_MAX_LEN) seq.push(((len - 1) >> 8) | 0x40, (len - 1) & 0xff);
      else seq.push(len - 1);
    };
    if (zero || xzero) {
      if (index !== first) pushZeros(index - first);
      seq.push(valByte(count, 1));
      if (index !== last) pushZeros(last - index);
    } else {
      const curval = valValue(b);
      if (index !== first) seq.push(valByte(curval, index - first));
      seq.push(valByte(count, 1));
      if (index !== last) seq.push(valByte(curval, last - index));
    }
    const oldlen = xzero ? 2 : 1;
    const delta = seq.length - oldlen;
    if (delta > 0 && m.length + delta > maxBytes) return promote(m, index, count);
    splice(m, p, oldlen, seq);
    end += delta;
  }
  // Step 4: merge adjacent VAL opcodes with the same value, scanning up to 5 opcodes from prev.
  p = prev >= 0 ? prev : HLL_HDR_SIZE;
  let scanlen = 5;
  while (p < end && scanlen-- > 0) {
    const c = m.bytes[p]!;
    if (isXzero(c)) {
      p += 2;
      continue;
    }
    if (isZero(c)) {
      p++;
      continue;
    }
    if (p + 1 < end && isVal(m.bytes[p + 1]!)) {
      const v1 = valValue(c);
      const v2 = valValue(m.bytes[p + 1]!);
      if (v1 === v2) {
        const len = valLen(c) + valLen(m.bytes[p + 1]!);
        if (len <= HLL_SPARSE_VAL_MAX_LEN) {
          m.bytes[p + 1] = valByte(v1, len);
          m.bytes.copyWithin(p, p + 1, end);
          m.length--;
          end--;
          continue;
        }
      }
    }
    p++;
  }
  invalidateCache(m);
  return 1;
}

function promote(m: MutableString, index: number, count: number): number {
  sparseToDense(m);
  return denseAdd(m, index, count);
}

/** Registers of an HLL as an array of 16384 values. @see hllMerge (per encoding) */
function registersOf(b: Uint8Array, length: number): Uint8Array {
  const regs = new Uint8Array(HLL_REGISTERS);
  if (b[4] === HLL_DENSE) {
    for (let i = 0; i < HLL_REGISTERS; i++) regs[i] = denseGet(b, HLL_HDR_SIZE, i);
    return regs;
  }
  let i = 0;
  let p = HLL_HDR_SIZE;
  while (p < length) {
    const c = b[p]!;
    if (isZero(c)) {
      i += zeroLen(c);
      p++;
    } else if (isXzero(c)) {
      i += xzeroLen(c, b[p + 1]!);
      p += 2;
    } else {
      const runlen = valLen(c);
      const regval = valValue(c);
      if (runlen + i > HLL_REGISTERS) break;
      for (let k = 0; k < runlen; k++) regs[i++] = regval;
      p++;
    }
  }
  if (i !== HLL_REGISTERS) fail(INVALID_HLL_ERR);
  return regs;
}

function hllTau(x0: number): number {
  let x = x0;
  if (x === 0 || x === 1) return 0;
  let zPrime: number;
  let y = 1.0;
  let z = 1 - x;
  do {
    x = Math.sqrt(x);
    zPrime = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
  } while (zPrime !== z);
  return z / 3;
}

function hllSigma(x0: number): number {
  let x = x0;
  if (x === 1) return Infinity;
  let zPrime: number;
  let y = 1;
  let z = x;
  do {
    x *= x;
    zPrime = z;
    z += x * y;
    y += y;
  } while (zPrime !== z);
  return z;
}

/**
 * Estimated cardinality (Ertl's improved estimator, Redis 5.0+).
 * @see redis/src/hyperloglog.c hllCount
 */
export function hllCount(regs: Uint8Array): number {
  const m = HLL_REGISTERS;
  const reghisto = new Array<number>(64).fill(0);
  for (let i = 0; i < m; i++) reghisto[regs[i]!]!++;
  let z = m * hllTau((m - reghisto[HLL_Q + 1]!) / m);
  for (let j = HLL_Q; j >= 1; --j) {
    z += reghisto[j]!;
    z *= 0.5;
  }
  z += m * hllSigma(reghisto[0]! / m);
  const e = (HLL_ALPHA_INF * m * m) / z;
  // llroundl: half away from zero (e is positive).
  const f = Math.floor(e);
  return e - f >= 0.5 ? f + 1 : f;
}

/** The HLL at key as a MutableString stored back in the db (WRONGTYPE unless a valid HLL). */
function hllForWrite(x: Exec, key: string, v: StringValue): MutableString {
  checkHll(v);
  const m = toMutable(v);
  x.db.dict.set(key, m);
  return m;
}

/** @see redis/src/hyperloglog.c pfaddCommand */
function pfadd(x: Exec): Reply {
  const key = x.argv[1]!;
  const v = lookupKey(x, key);
  let m: MutableString;
  let updated = 0;
  if (v === undefined) {
    m = createHll();
    x.db.dict.set(key, m);
    updated++;
  } else {
    lookupTyped<StringValue>(x, key, 'string');
    m = hllForWrite(x, key, v as StringValue);
  }
  for (let j = 2; j < x.argv.length; j++) {
    const [index, count] = hllPatLen(Buffer.from(x.argv[j]!, 'latin1'));
    const changed = m.bytes[4] === HLL_DENSE ? denseAdd(m, index, count) : sparseSet(m, index, count, HLL_SPARSE_MAX_BYTES);
    if (changed) updated++;
  }
  if (updated) invalidateCache(m);
  return updated ? 1 : 0;
}

/** PFCOUNT: one key recomputes and stores a stale cache; several keys only read. */
function pfcount(x: Exec): Reply {
  if (x.argv.length > 2) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (let j = 1; j < x.argv.length; j++) {
      const v = lookupTyped<StringValue>(x, x.argv[j]!, 'string');
      if (v === undefined) continue;
      checkHll(v);
      const b = stringBytes(v);
      const regs = registersOf(b, b.byteLength);
      for (let i = 0; i < HLL_REGISTERS; i++) if (regs[i]! > max[i]!) max[i] = regs[i]!;
    }
    return hllCount(max);
  }
  const key = x.argv[1]!;
  const v = lookupTyped<StringValue>(x, key, 'string');
  if (v === undefined) return 0;
  const m = hllForWrite(x, key, v);
  const b = m.bytes;
  if ((b[15]! & 0x80) === 0) {
    let card = 0;
    for (let i = 7; i >= 0; i--) card = card * 256 + b[8 + i]!;
    return card;
  }
  const card = hllCount(registersOf(b, m.length));
  let c = card;
  for (let i = 0; i < 8; i++) {
    b[8 + i] = c % 256;
    c = Math.floor(c / 256);
  }
  return card;
}

/** @see redis/src/hyperloglog.c pfmergeCommand */
function pfmerge(x: Exec): Reply {
  const max = new Uint8Array(HLL_REGISTERS);
  let useDense = false;
  for (let j = 1; j < x.argv.length; j++) {
    const v = lookupKey(x, x.argv[j]!);
    if (v === undefined) continue;
    const s = lookupTyped<StringValue>(x, x.argv[j]!, 'string')!;
    checkHll(s);
    const b = stringBytes(s);
    if (b[4] === HLL_DENSE) useDense = true;
    const regs = registersOf(b, b.byteLength);
    for (let i = 0; i < HLL_REGISTERS; i++) if (regs[i]! > max[i]!) max[i] = regs[i]!;
  }
  const key = x.argv[1]!;
  const v = lookupKey(x, key);
  let m: MutableString;
  if (v === undefined) {
    m = createHll();
    x.db.dict.set(key, m);
  } else m = hllForWrite(x, key, v as StringValue);
  if (useDense) sparseToDense(m);
  for (let j = 0; j < HLL_REGISTERS; j++) {
    if (max[j] === 0) continue;
    if (m.bytes[4] === HLL_DENSE) denseAdd(m, j, max[j]!);
    else sparseSet(m, j, max[j]!, HLL_SPARSE_MAX_BYTES);
  }
  invalidateCache(m);
  return OK;
}

/** PFDEBUG TODENSE converts; the other subcommands only read. */
function pfdebug(x: Exec): Reply {
  const sub = x.argv[1]!.toLowerCase();
  const key = x.argv[2]!;
  const v = lookupTyped<StringValue>(x, key, 'string');
  if (v === undefined) fail('ERR The specified key does not exist');
  if (sub === 'todense') {
    const m = hllForWrite(x, key, v);
    const was = m.bytes[4] === HLL_SPARSE;
    sparseToDense(m);
    return was ? 1 : 0;
  }
  if (sub === 'getreg' || sub === 'decode' || sub === 'encoding' || sub === 'simd') return null;
  fail(ERR.syntax);
}

/** HyperLogLog commands by lowercase name, with Redis's arity. */
export const HLL_COMMANDS: CommandTable = {
  pfadd: { arity: -2, fn: pfadd },
  pfcount: { arity: -2, fn: pfcount },
  pfmerge: { arity: -2, fn: pfmerge },
  pfdebug: { arity: 3, fn: pfdebug },
};
