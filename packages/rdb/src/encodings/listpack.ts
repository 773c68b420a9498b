// Listpack: <lpbytes:u32le><lpnumelements:u16le><entry>...<LP_EOF>; entry = <encoding+data><backlen>.
// Source of truth: redis/src/listpack.c (lpCurrentEncodedSizeUnsafe, lpGet, lpDecodeBacklen,
// lpValidateIntegrity, lpValidateNext, lpEncodeBacklen).

import { FormatError } from '@redis-forensics/core';

import { canonicalIntValue } from '../integer-text.js';

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
 * bounds; the element count saturates at 65535. One allocation: sizes first, then the bytes.
 * @see redis/src/listpack.c lpInsert, lpEncodeGetType, lpEncodeBacklen
 */
export function encodeListpack(elements: readonly ListpackInput[]): Uint8Array {
  const n = elements.length;
  const ints: (number | bigint | undefined)[] = new Array<number | bigint | undefined>(n);
  let total = LP_HDR_SIZE + 1;
  for (let i = 0; i < n; i++) {
    const el = elements[i]!;
    const v = typeof el === 'number' || typeof el === 'bigint' ? el : canonicalIntValue(el);
    ints[i] = v;
    const size = v !== undefined ? listpackIntSize(v) : stringHeaderSize((el as Uint8Array).length) + (el as Uint8Array).length;
    total += size + listpackBacklenSize(size);
  }
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, total, true);
  view.setUint16(4, Math.min(n, LP_HDR_NUMELE_UNKNOWN), true);
  let p = LP_HDR_SIZE;
  for (let i = 0; i < n; i++) {
    const v = ints[i];
    const start = p;
    if (v !== undefined) p = writeIntEntry(out, view, p, v);
    else {
      const s = elements[i] as Uint8Array;
      const len = s.length;
      if (len < 64) out[p++] = LP_ENCODING_6BIT_STR | len;
      else if (len < 4096) {
        out[p++] = LP_ENCODING_12BIT_STR | (len >> 8);
        out[p++] = len & 0xff;
      } else {
        out[p++] = LP_ENCODING_32BIT_STR;
        view.setUint32(p, len, true);
        p += 4;
      }
      out.set(s, p);
      p += len;
    }
    p = writeBacklen(out, p, p - start);
  }
  out[p] = LP_EOF;
  return out;
}

/** Bytes of the encoding + data of a listpack integer entry for `v`. @see listpack.c lpEncodeGetType */
export function listpackIntSize(v: number | bigint): number {
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** Write an integer entry's encoding and data at `p`; returns the position after it. */
function writeIntEntry(out: Uint8Array, view: DataView, p: number, v: number | bigint): number {
  switch (listpackIntSize(v)) {
    case 1:
      out[p] = Number(v);
      return p + 1;
    case 2: {
      const u = Number(v) < 0 ? Number(v) + 8192 : Number(v);
      out[p] = LP_ENCODING_13BIT_INT | (u >> 8);
      out[p + 1] = u & 0xff;
      return p + 2;
    }
    case 3:
      out[p] = LP_ENCODING_16BIT_INT;
      view.setInt16(p + 1, Number(v), true);
      return p + 3;
    case 4: {
      const u = Number(v) & 0xffffff;
      out[p] = LP_ENCODING_24BIT_INT;
      out[p + 1] = u & 0xff;
      out[p + 2] = (u >> 8) & 0xff;
      out[p + 3] = (u >> 16) & 0xff;
      return p + 4;
    }
    case 5:
      out[p] = LP_ENCODING_32BIT_INT;
      view.setInt32(p + 1, Number(v), true);
      return p + 5;
    default:
      out[p] = LP_ENCODING_64BIT_INT;
      view.setBigInt64(p + 1, BigInt(v), true);
      return p + 9;
  }
}

/** Bytes of a string entry's encoding header for a `len`-byte string. */
function stringHeaderSize(len: number): number {
  return len < 64 ? 1 : len < 4096 ? 2 : 5;
}

/** Bytes of the backlen of an entry of `size` bytes (strict bounds). @see listpack.c lpEncodeBacklen */
export function listpackBacklenSize(size: number): number {
  return size <= 127 ? 1 : size < 16383 ? 2 : size < 2097151 ? 3 : size < 268435455 ? 4 : 5;
}

/** Write the backlen of an entry of `size` bytes at `p`; returns the position after it. */
function writeBacklen(out: Uint8Array, p: number, size: number): number {
  const back = listpackBacklenSize(size);
  if (back === 1) {
    out[p] = size;
    return p + 1;
  }
  out.set(encodeBacklen(size), p);
  return p + back;
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
