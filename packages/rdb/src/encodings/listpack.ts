// Listpack: <lpbytes:u32le><lpnumelements:u16le><entry>...<LP_EOF>; entry = <encoding+data><backlen>.
// Source of truth: redis/src/listpack.c (lpCurrentEncodedSizeUnsafe, lpGet, lpDecodeBacklen,
// lpValidateIntegrity, lpValidateNext, lpEncodeBacklen).

import { FormatError } from '@redis-forensics/core';

import { parseCanonicalInt } from '../integer-text.js';

export const LP_HDR_SIZE = 6; // u32le total bytes + u16le element count
export const LP_HDR_NUMELE_UNKNOWN = 65535; // element count not stored, count by scanning
export const LP_EOF = 0xff; // terminator
export const LP_ENCODING_7BIT_UINT = 0x00; // 0xxxxxxx
export const LP_ENCODING_6BIT_STR = 0x80; // 10xxxxxx + bytes
export const LP_ENCODING_13BIT_INT = 0xc0; // 110xxxxx yyyyyyyy
export const LP_ENCODING_12BIT_STR = 0xe0; // 1110xxxx yyyyyyyy + bytes
export const LP_ENCODING_32BIT_STR = 0xf0; // 0xf0 + u32le length + bytes
export const LP_ENCODING_16BIT_INT = 0xf1; // 0xf1 + i16le
export const LP_ENCODING_24BIT_INT = 0xf2; // 0xf2 + i24le
export const LP_ENCODING_32BIT_INT = 0xf3; // 0xf3 + i32le
export const LP_ENCODING_64BIT_INT = 0xf4; // 0xf4 + i64le

/**
 * One listpack element: a string as a zero-copy view of the blob, or an integer (a `number` when it
 * is a safe integer, else a `bigint`).
 */
export type ListpackEntry = Uint8Array | number | bigint;

/**
 * Decode and deeply validate a listpack blob (header size, every encoding, every backlen, the
 * element count, the terminator), like lpValidateIntegrity with deep = 1.
 * @param blob the complete listpack (an RDB string, already LZF-decompressed)
 * @param baseOffset absolute file offset of `blob[0]`, so errors point into the file
 * @returns the elements in order; strings are views into `blob`
 * @throws {@link FormatError} LISTPACK_BAD_HEADER, LISTPACK_BAD_ENCODING, LISTPACK_BAD_BACKLEN,
 *   LISTPACK_BAD_COUNT, LISTPACK_MISSING_TERMINATOR, LISTPACK_ENTRY_OVERFLOW
 * @see redis/src/listpack.c lpValidateIntegrity
 */
export function decodeListpack(blob: Uint8Array, baseOffset: number = 0): ListpackEntry[] {
  const size = blob.length;
  if (size < LP_HDR_SIZE + 1) {
    throw new FormatError('LISTPACK_BAD_HEADER', baseOffset, `listpack of ${size} bytes is shorter than the 7-byte minimum`);
  }
  const totalBytes = (blob[0]! | (blob[1]! << 8) | (blob[2]! << 16) | (blob[3]! << 24)) >>> 0;
  if (totalBytes !== size) {
    throw new FormatError('LISTPACK_BAD_HEADER', baseOffset, `header says ${totalBytes} bytes, blob has ${size}`);
  }
  const numElements = blob[4]! | (blob[5]! << 8);
  const eofAt = size - 1;
  if (blob[eofAt] !== LP_EOF) {
    throw new FormatError('LISTPACK_MISSING_TERMINATOR', baseOffset + eofAt, `last byte is 0x${blob[eofAt]!.toString(16)}, expected 0xff`);
  }
  const out: ListpackEntry[] = [];
  let p = LP_HDR_SIZE;
  let view: DataView | undefined; // created only for 32/64-bit fields: a DataView costs as much as decoding a small listpack
  while (p < eofAt) {
    const start = p;
    const b = blob[p]!;
    let entrySize: number;
    let value: ListpackEntry;
    if (b < 0x80) {
      entrySize = 1;
      value = b;
    } else if (b < 0xc0) {
      const len = b & 0x3f;
      entrySize = 1 + len;
      if (start + entrySize > eofAt) overflow(baseOffset, start, entrySize, eofAt);
      value = blob.subarray(start + 1, start + entrySize);
    } else if (b < 0xe0) {
      entrySize = 2;
      if (start + 2 > eofAt) overflow(baseOffset, start, 2, eofAt);
      const u = ((b & 0x1f) << 8) | blob[start + 1]!;
      value = u >= 4096 ? u - 8192 : u;
    } else if (b < 0xf0) {
      if (start + 2 > eofAt) overflow(baseOffset, start, 2, eofAt);
      const len = ((b & 0x0f) << 8) | blob[start + 1]!;
      entrySize = 2 + len;
      if (start + entrySize > eofAt) overflow(baseOffset, start, entrySize, eofAt);
      value = blob.subarray(start + 2, start + entrySize);
    } else {
      switch (b) {
        case LP_ENCODING_32BIT_STR: {
          if (start + 5 > eofAt) overflow(baseOffset, start, 5, eofAt);
          const len = (blob[start + 1]! | (blob[start + 2]! << 8) | (blob[start + 3]! << 16) | (blob[start + 4]! << 24)) >>> 0;
          entrySize = 5 + len;
          if (start + entrySize > eofAt) overflow(baseOffset, start, entrySize, eofAt);
          value = blob.subarray(start + 5, start + entrySize);
          break;
        }
        case LP_ENCODING_16BIT_INT:
          entrySize = 3;
          if (start + 3 > eofAt) overflow(baseOffset, start, 3, eofAt);
          value = ((blob[start + 1]! | (blob[start + 2]! << 8)) << 16) >> 16;
          break;
        case LP_ENCODING_24BIT_INT: {
          entrySize = 4;
          if (start + 4 > eofAt) overflow(baseOffset, start, 4, eofAt);
          const u = blob[start + 1]! | (blob[start + 2]! << 8) | (blob[start + 3]! << 16);
          value = (u << 8) >> 8;
          break;
        }
        case LP_ENCODING_32BIT_INT:
          entrySize = 5;
          if (start + 5 > eofAt) overflow(baseOffset, start, 5, eofAt);
          value = blob[start + 1]! | (blob[start + 2]! << 8) | (blob[start + 3]! << 16) | (blob[start + 4]! << 24);
          break;
        case LP_ENCODING_64BIT_INT: {
          entrySize = 9;
          if (start + 9 > eofAt) overflow(baseOffset, start, 9, eofAt);
          view ??= new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
          const big = view.getBigInt64(start + 1, true);
          value = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
          break;
        }
        default:
          throw new FormatError('LISTPACK_BAD_ENCODING', baseOffset + start, `invalid entry encoding byte 0x${b.toString(16)}`);
      }
    }
    // backlen: the entry size in 7-bit groups, readable right to left (lpDecodeBacklen).
    let backlenEnd: number;
    if (entrySize <= 127) {
      backlenEnd = start + entrySize + 1;
      if (backlenEnd > eofAt) overflow(baseOffset, start, entrySize + 1, eofAt);
      if (blob[backlenEnd - 1] !== entrySize) badBacklen(baseOffset, start, entrySize);
    } else {
      const backlenSize = entrySize < 16383 ? 2 : entrySize < 2097151 ? 3 : entrySize < 268435455 ? 4 : 5;
      backlenEnd = start + entrySize + backlenSize;
      if (backlenEnd > eofAt) overflow(baseOffset, start, entrySize + backlenSize, eofAt);
      let q = backlenEnd - 1;
      let decoded = 0;
      let scale = 1;
      for (let used = 1; ; used++) {
        const c = blob[q]!;
        decoded += (c & 127) * scale;
        const more = (c & 128) !== 0;
        if (used === backlenSize) {
          if (more || decoded !== entrySize) badBacklen(baseOffset, start, entrySize);
          break;
        }
        if (!more) badBacklen(baseOffset, start, entrySize);
        scale *= 128;
        q--;
      }
    }
    out.push(value);
    p = backlenEnd;
  }
  if (numElements !== LP_HDR_NUMELE_UNKNOWN && numElements !== out.length) {
    throw new FormatError('LISTPACK_BAD_COUNT', baseOffset + 4, `header says ${numElements} elements, found ${out.length}`);
  }
  return out;
}

function badBacklen(baseOffset: number, start: number, entrySize: number): never {
  throw new FormatError('LISTPACK_BAD_BACKLEN', baseOffset + start + entrySize, `backlen does not encode the entry size ${entrySize}`);
}

function overflow(baseOffset: number, start: number, size: number, eofAt: number): never {
  throw new FormatError('LISTPACK_ENTRY_OVERFLOW', baseOffset + start, `entry of ${size} bytes runs past the terminator at ${baseOffset + eofAt}`);
}

/** What {@link encodeListpack} accepts per element: bytes (integers are detected) or an integer. */
export type ListpackInput = Uint8Array | number | bigint;

/**
 * Encode elements as Redis 7.x does, byte for byte: canonical integer strings become the smallest
 * integer encoding, other strings the smallest string encoding; backlens with listpack's strict
 * bounds; the element count saturates at 65535.
 * @see redis/src/listpack.c lpInsert, lpEncodeGetType, lpEncodeBacklen
 */
export function encodeListpack(elements: readonly ListpackInput[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = LP_HDR_SIZE + 1;
  for (const el of elements) {
    let int: bigint | undefined;
    if (typeof el === 'number') int = BigInt(el);
    else if (typeof el === 'bigint') int = el;
    else int = parseCanonicalInt(el);
    const enc = int !== undefined ? encodeInt(int) : encodeString(el as Uint8Array);
    const back = encodeBacklen(enc.length);
    const entry = new Uint8Array(enc.length + back.length);
    entry.set(enc);
    entry.set(back, enc.length);
    parts.push(entry);
    total += entry.length;
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total, true);
  view.setUint16(4, Math.min(elements.length, LP_HDR_NUMELE_UNKNOWN), true);
  let p = LP_HDR_SIZE;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  out[p] = LP_EOF;
  return out;
}

function encodeInt(v: bigint): Uint8Array {
  if (v >= 0n && v <= 127n) return Uint8Array.of(Number(v));
  if (v >= -4096n && v <= 4095n) {
    const u = Number(v < 0n ? v + 8192n : v);
    return Uint8Array.of(LP_ENCODING_13BIT_INT | (u >> 8), u & 0xff);
  }
  if (v >= -32768n && v <= 32767n) {
    const b = new Uint8Array(3);
    b[0] = LP_ENCODING_16BIT_INT;
    new DataView(b.buffer).setInt16(1, Number(v), true);
    return b;
  }
  if (v >= -8388608n && v <= 8388607n) {
    const u = Number(v) & 0xffffff;
    return Uint8Array.of(LP_ENCODING_24BIT_INT, u & 0xff, (u >> 8) & 0xff, (u >> 16) & 0xff);
  }
  if (v >= -2147483648n && v <= 2147483647n) {
    const b = new Uint8Array(5);
    b[0] = LP_ENCODING_32BIT_INT;
    new DataView(b.buffer).setInt32(1, Number(v), true);
    return b;
  }
  const b = new Uint8Array(9);
  b[0] = LP_ENCODING_64BIT_INT;
  new DataView(b.buffer).setBigInt64(1, v, true);
  return b;
}

function encodeString(s: Uint8Array): Uint8Array {
  const len = s.length;
  let out: Uint8Array;
  if (len < 64) {
    out = new Uint8Array(1 + len);
    out[0] = LP_ENCODING_6BIT_STR | len;
    out.set(s, 1);
  } else if (len < 4096) {
    out = new Uint8Array(2 + len);
    out[0] = LP_ENCODING_12BIT_STR | (len >> 8);
    out[1] = len & 0xff;
    out.set(s, 2);
  } else {
    out = new Uint8Array(5 + len);
    out[0] = LP_ENCODING_32BIT_STR;
    new DataView(out.buffer).setUint32(1, len, true);
    out.set(s, 5);
  }
  return out;
}

/** Backlen bytes for an entry of `size` bytes (encoding + data). @see listpack.c lpEncodeBacklen */
export function encodeBacklen(size: number): Uint8Array {
  if (size <= 127) return Uint8Array.of(size);
  if (size < 16383) return Uint8Array.of(size >> 7, (size & 127) | 128);
  if (size < 2097151) return Uint8Array.of(size >> 14, ((size >> 7) & 127) | 128, (size & 127) | 128);
  if (size < 268435455) {
    return Uint8Array.of(size >>> 21, ((size >>> 14) & 127) | 128, ((size >>> 7) & 127) | 128, (size & 127) | 128);
  }
  return Uint8Array.of(
    Math.floor(size / 2 ** 28),
    ((size >>> 21) & 127) | 128,
    ((size >>> 14) & 127) | 128,
    ((size >>> 7) & 127) | 128,
    (size & 127) | 128,
  );
}
