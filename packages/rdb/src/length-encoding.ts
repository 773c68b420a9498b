// RDB length encoding: 00xxxxxx (6-bit), 01xxxxxx yyyyyyyy (14-bit BE), 0x80 + u32be, 0x81 + u64be,
// 11xxxxxx = special string encoding. Source of truth: redis/src/rdb.c rdbLoadLenByRef, rdbSaveLen.

import { FormatError } from '@redis-forensics/core';

import { RDB_32BITLEN, RDB_64BITLEN } from './constants.js';

import type { ByteWindow } from '@redis-forensics/core';

/**
 * Read a length, or a special string encoding marker.
 * @returns a length >= 0, or `-1 - enc` for a `11xxxxxx` byte (enc = RDB_ENC_*), so that no
 *   object is allocated per length. 64-bit lengths above 2^53 come back as `Infinity`, which every
 *   limit check then rejects.
 * @throws NEED_MORE when the window runs out; {@link FormatError} RDB_BAD_LENGTH_ENCODING for
 *   0x82..0xBF (and 0x81 before RDB 8 when `version` is given)
 * @see redis/src/rdb.c rdbLoadLenByRef
 */
export function readLengthOrEncoding(w: ByteWindow, version: number = 99): number {
  const at = w.position;
  const b = w.readUint8();
  const t = b >> 6;
  if (t === 0) return b & 0x3f;
  if (t === 1) return ((b & 0x3f) << 8) | w.readUint8();
  if (t === 3) return -1 - (b & 0x3f);
  if (b === RDB_32BITLEN) return w.readUint32BE();
  if (b === RDB_64BITLEN && version >= 8) {
    const v = w.readBigUint64BE();
    return v <= 9007199254740991n ? Number(v) : Infinity;
  }
  throw new FormatError('RDB_BAD_LENGTH_ENCODING', at, `length prefix byte 0x${b.toString(16)} is not a valid length form`);
}

/**
 * Read a plain length (counts, ids, opcodes' operands).
 * @throws {@link FormatError} RDB_BAD_LENGTH_ENCODING when a special string encoding stands where a
 *   length must (Redis silently accepts this; we are strict)
 */
export function readLength(w: ByteWindow, version: number = 99): number {
  const at = w.position;
  const v = readLengthOrEncoding(w, version);
  if (v < 0) throw new FormatError('RDB_BAD_LENGTH_ENCODING', at, `special encoding 0x${(0xc0 | (-1 - v)).toString(16)} where a length must stand`);
  return v;
}

/**
 * Read a length as an exact unsigned 64-bit value (stream IDs, entries_read, module UINTs).
 * @see redis/src/rdb.c rdbLoadLenByRef
 */
export function readLengthBig(w: ByteWindow): bigint {
  const at = w.position;
  const b = w.readUint8();
  const t = b >> 6;
  if (t === 0) return BigInt(b & 0x3f);
  if (t === 1) return BigInt(((b & 0x3f) << 8) | w.readUint8());
  if (b === RDB_32BITLEN) return BigInt(w.readUint32BE());
  if (b === RDB_64BITLEN) return w.readBigUint64BE();
  throw new FormatError('RDB_BAD_LENGTH_ENCODING', at, `length prefix byte 0x${b.toString(16)} is not a valid length form`);
}

/**
 * Encode a length the way every server does: 1, 2, 5 or 9 bytes.
 * @param value unsigned length (number or bigint up to 2^64 - 1)
 * @see redis/src/rdb.c rdbSaveLen
 */
export function writeLength(value: number | bigint): Uint8Array {
  const v = BigInt(value);
  if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError(`length ${v} out of range`);
  if (v < 64n) return Uint8Array.of(Number(v));
  if (v < 16384n) return Uint8Array.of(0x40 | Number(v >> 8n), Number(v & 0xffn));
  if (v <= 0xffffffffn) {
    const b = new Uint8Array(5);
    b[0] = RDB_32BITLEN;
    new DataView(b.buffer).setUint32(1, Number(v), false);
    return b;
  }
  const b = new Uint8Array(9);
  b[0] = RDB_64BITLEN;
  new DataView(b.buffer).setBigUint64(1, v, false);
  return b;
}
