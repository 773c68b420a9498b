// Ziplist: <zlbytes:u32le><zltail:u32le><zllen:u16le><entry>...<zlend 0xff>;
// entry = <prevlen: 1 byte, or 0xfe + u32le><encoding><data>. Read-only since Redis 7.0.
// Source of truth: redis/src/ziplist.c (zipEntrySafe, ziplistValidateIntegrity, zipStoreEntryEncoding).

import { FormatError } from '@redis-forensics/core';

import { parseCanonicalInt } from '../integer-text.js';

import type { ListpackEntry } from './listpack.js';

export const ZIPLIST_HEADER_SIZE = 10; // zlbytes + zltail + zllen
export const ZIP_END = 0xff; // zlend
export const ZIP_BIG_PREVLEN = 0xfe; // prevlen >= 254: 0xfe + u32le
export const ZIP_STR_06B = 0x00; // 00pppppp
export const ZIP_STR_14B = 0x40; // 01pppppp qqqqqqqq (big-endian)
export const ZIP_STR_32B = 0x80; // 10______ + u32be
export const ZIP_INT_16B = 0xc0; // i16le
export const ZIP_INT_32B = 0xd0; // i32le
export const ZIP_INT_64B = 0xe0; // i64le
export const ZIP_INT_24B = 0xf0; // i24le
export const ZIP_INT_8B = 0xfe; // i8
export const ZIP_INT_IMM_MIN = 0xf1; // immediate 0..12 = (byte & 0x0f) - 1
export const ZIP_INT_IMM_MAX = 0xfd;

/**
 * Decode and deeply validate a ziplist (zlbytes, zltail, every prevlen and encoding, zllen, the
 * terminator), like ziplistValidateIntegrity with deep = 1.
 * @param blob the complete ziplist (an RDB string, already LZF-decompressed)
 * @param baseOffset absolute file offset of `blob[0]`
 * @returns entries in order: strings as views into `blob`, integers as number (or bigint beyond 2^53)
 * @throws {@link FormatError} ZIPLIST_BAD_HEADER, ZIPLIST_BAD_TAIL, ZIPLIST_BAD_PREVLEN,
 *   ZIPLIST_BAD_ENCODING, ZIPLIST_BAD_COUNT, ZIPLIST_MISSING_TERMINATOR, ZIPLIST_ENTRY_OVERFLOW
 * @see redis/src/ziplist.c ziplistValidateIntegrity
 */
export function decodeZiplist(blob: Uint8Array, baseOffset: number = 0): ListpackEntry[] {
  const size = blob.length;
  if (size < ZIPLIST_HEADER_SIZE + 1) {
    throw new FormatError('ZIPLIST_BAD_HEADER', baseOffset, `ziplist of ${size} bytes is shorter than the 11-byte minimum`);
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const zlbytes = view.getUint32(0, true);
  if (zlbytes !== size) {
    throw new FormatError('ZIPLIST_BAD_HEADER', baseOffset, `zlbytes says ${zlbytes} bytes, blob has ${size}`);
  }
  const zltail = view.getUint32(4, true);
  const zllen = view.getUint16(8, true);
  const endAt = size - 1;
  if (blob[endAt] !== ZIP_END) {
    throw new FormatError('ZIPLIST_MISSING_TERMINATOR', baseOffset + endAt, `last byte is 0x${blob[endAt]!.toString(16)}, expected 0xff`);
  }
  if (zltail > endAt) {
    throw new FormatError('ZIPLIST_BAD_TAIL', baseOffset + 4, `zltail ${zltail} points past the end (${endAt})`);
  }
  const out: ListpackEntry[] = [];
  let p = ZIPLIST_HEADER_SIZE;
  let prevSize = 0;
  let lastStart = -1;
  while (p < endAt) {
    const start = p;
    let prevlen: number;
    if (blob[p]! < ZIP_BIG_PREVLEN) {
      prevlen = blob[p]!;
      p += 1;
    } else if (blob[p] === ZIP_BIG_PREVLEN) {
      if (p + 5 > endAt) overflow(baseOffset, start, endAt);
      prevlen = view.getUint32(p + 1, true);
      p += 5;
    } else {
      throw new FormatError('ZIPLIST_BAD_PREVLEN', baseOffset + p, 'prevlen byte 0xff inside the entries');
    }
    if (prevlen !== prevSize) {
      throw new FormatError('ZIPLIST_BAD_PREVLEN', baseOffset + start, `prevlen is ${prevlen}, previous entry has ${prevSize} bytes`);
    }
    if (p >= endAt) overflow(baseOffset, start, endAt);
    const enc = blob[p]!;
    let value: ListpackEntry;
    if (enc < 0xc0) {
      let len: number;
      const kind = enc & 0xc0;
      if (kind === ZIP_STR_06B) {
        len = enc & 0x3f;
        p += 1;
      } else if (kind === ZIP_STR_14B) {
        if (p + 2 > endAt) overflow(baseOffset, start, endAt);
        len = ((enc & 0x3f) << 8) | blob[p + 1]!;
        p += 2;
      } else {
        if (p + 5 > endAt) overflow(baseOffset, start, endAt);
        len = view.getUint32(p + 1, false);
        p += 5;
      }
      if (p + len > endAt) overflow(baseOffset, start, endAt);
      value = blob.subarray(p, p + len);
      p += len;
    } else {
      p += 1;
      let width: number;
      switch (enc) {
        case ZIP_INT_16B: width = 2; break;
        case ZIP_INT_32B: width = 4; break;
        case ZIP_INT_64B: width = 8; break;
        case ZIP_INT_24B: width = 3; break;
        case ZIP_INT_8B: width = 1; break;
        default:
          if (enc >= ZIP_INT_IMM_MIN && enc <= ZIP_INT_IMM_MAX) width = 0;
          else throw new FormatError('ZIPLIST_BAD_ENCODING', baseOffset + p - 1, `invalid entry encoding byte 0x${enc.toString(16)}`);
      }
      if (p + width > endAt) overflow(baseOffset, start, endAt);
      switch (width) {
        case 0: value = (enc & 0x0f) - 1; break;
        case 1: value = view.getInt8(p); break;
        case 2: value = view.getInt16(p, true); break;
        case 3: value = ((blob[p]! | (blob[p + 1]! << 8) | (blob[p + 2]! << 16)) << 8) >> 8; break;
        case 4: value = view.getInt32(p, true); break;
        default: {
          const big = view.getBigInt64(p, true);
          value = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
        }
      }
      p += width;
    }
    out.push(value);
    prevSize = p - start;
    lastStart = start;
  }
  if (p !== endAt) overflow(baseOffset, lastStart, endAt);
  const expectedTail = lastStart === -1 ? ZIPLIST_HEADER_SIZE : lastStart;
  if (zltail !== expectedTail) {
    throw new FormatError('ZIPLIST_BAD_TAIL', baseOffset + 4, `zltail is ${zltail}, last entry starts at ${expectedTail}`);
  }
  if (zllen !== 65535 && zllen !== out.length) {
    throw new FormatError('ZIPLIST_BAD_COUNT', baseOffset + 8, `zllen says ${zllen} entries, found ${out.length}`);
  }
  return out;
}

function overflow(baseOffset: number, start: number, endAt: number): never {
  throw new FormatError('ZIPLIST_ENTRY_OVERFLOW', baseOffset + Math.max(start, 0), `entry runs past the end marker at ${baseOffset + endAt}`);
}

/**
 * Encode entries as Redis <= 6.2 does, byte for byte: canonical integer strings of length 1..31
 * become the smallest integer form, prevlens use 5 bytes from 254 up.
 * @see redis/src/ziplist.c __ziplistInsert, zipTryEncoding, zipStoreEntryEncoding
 */
export function encodeZiplist(elements: readonly (Uint8Array | number | bigint)[]): Uint8Array {
  const entries: Uint8Array[] = [];
  let prevSize = 0;
  let total = ZIPLIST_HEADER_SIZE + 1;
  let tail = ZIPLIST_HEADER_SIZE;
  for (const el of elements) {
    let int: bigint | undefined;
    if (typeof el === 'number') int = BigInt(el);
    else if (typeof el === 'bigint') int = el;
    else if (el.length <= 31) int = parseCanonicalInt(el);
    const body = int !== undefined ? encodeZipInt(int) : encodeZipString(el as Uint8Array);
    const prev = prevSize < ZIP_BIG_PREVLEN ? Uint8Array.of(prevSize) : prevlen5(prevSize);
    const entry = new Uint8Array(prev.length + body.length);
    entry.set(prev);
    entry.set(body, prev.length);
    tail = total - 1;
    entries.push(entry);
    total += entry.length;
    prevSize = entry.length;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total, true);
  view.setUint32(4, tail, true);
  view.setUint16(8, Math.min(elements.length, 65535), true);
  let p = ZIPLIST_HEADER_SIZE;
  for (const e of entries) {
    out.set(e, p);
    p += e.length;
  }
  out[p] = ZIP_END;
  return out;
}

function prevlen5(size: number): Uint8Array {
  const b = new Uint8Array(5);
  b[0] = ZIP_BIG_PREVLEN;
  new DataView(b.buffer).setUint32(1, size, true);
  return b;
}

function encodeZipInt(v: bigint): Uint8Array {
  if (v >= 0n && v <= 12n) return Uint8Array.of(ZIP_INT_IMM_MIN + Number(v));
  if (v >= -128n && v <= 127n) return Uint8Array.of(ZIP_INT_8B, Number(v) & 0xff);
  if (v >= -32768n && v <= 32767n) {
    const b = new Uint8Array(3);
    b[0] = ZIP_INT_16B;
    new DataView(b.buffer).setInt16(1, Number(v), true);
    return b;
  }
  if (v >= -8388608n && v <= 8388607n) {
    const u = Number(v) & 0xffffff;
    return Uint8Array.of(ZIP_INT_24B, u & 0xff, (u >> 8) & 0xff, (u >> 16) & 0xff);
  }
  if (v >= -2147483648n && v <= 2147483647n) {
    const b = new Uint8Array(5);
    b[0] = ZIP_INT_32B;
    new DataView(b.buffer).setInt32(1, Number(v), true);
    return b;
  }
  const b = new Uint8Array(9);
  b[0] = ZIP_INT_64B;
  new DataView(b.buffer).setBigInt64(1, v, true);
  return b;
}

function encodeZipString(s: Uint8Array): Uint8Array {
  const len = s.length;
  let out: Uint8Array;
  if (len <= 0x3f) {
    out = new Uint8Array(1 + len);
    out[0] = ZIP_STR_06B | len;
    out.set(s, 1);
  } else if (len <= 0x3fff) {
    out = new Uint8Array(2 + len);
    out[0] = ZIP_STR_14B | (len >> 8);
    out[1] = len & 0xff;
    out.set(s, 2);
  } else {
    out = new Uint8Array(5 + len);
    out[0] = ZIP_STR_32B;
    new DataView(out.buffer).setUint32(1, len, false);
    out.set(s, 5);
  }
  return out;
}
