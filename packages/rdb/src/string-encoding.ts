// RDB strings: a length then raw bytes, or 0xc0/0xc1/0xc2 integers, or 0xc3 LZF.
// Source of truth: redis/src/rdb.c rdbGenericLoadStringObject, rdbLoadIntegerObject,
// rdbLoadLzfStringObject, rdbSaveRawString, rdbLoadDoubleValue.

import { compressLzf, decompressLzf, FormatError } from '@redis-forensics/core';

import { RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } from './constants.js';
import { integerToBytes, parseCanonicalInt } from './integer-text.js';
import { readLength, readLengthOrEncoding, writeLength } from './length-encoding.js';

import type { ByteWindow } from '@redis-forensics/core';

/** Limits applied while reading strings. */
export interface StringLimits {
  /** Largest string (after LZF decompression) accepted, in bytes. */
  maxStringBytes: number;
  /** Total file size when known, to reject lengths larger than what is left. */
  fileSize: number | undefined;
  /** RDB version, for the 64-bit length form. */
  version: number;
}

/**
 * Where the bytes returned by the latest {@link readStringObject} call came from: the absolute
 * offset of their first byte in the file (of the compressed data for LZF strings) and whether
 * they were LZF-decompressed (then positions inside them do not map to file offsets). Read it
 * right after the call; the next call overwrites it.
 */
export const lastStringSource: { dataOffset: number; compressed: boolean } = { dataOffset: 0, compressed: false };

/**
 * Read one RDB string (raw, integer-encoded or LZF), checking its length against the limits and
 * the bytes left in the file before anything is allocated.
 * @returns the string bytes (integers as their decimal text); raw strings are views into the
 *   window's buffer, LZF strings are fresh buffers
 * @throws NEED_MORE when the window runs out; {@link FormatError} RDB_BAD_STRING_ENCODING,
 *   RDB_LIMIT_EXCEEDED, RDB_UNEXPECTED_EOF, LZF_CORRUPT, LZF_LENGTH_MISMATCH
 * @see redis/src/rdb.c rdbGenericLoadStringObject
 */
export function readStringObject(w: ByteWindow, limits: StringLimits): Uint8Array {
  const at = w.position;
  const len = readLengthOrEncoding(w, limits.version);
  if (len >= 0) {
    checkStringLength(w, at, len, limits);
    lastStringSource.dataOffset = w.position;
    lastStringSource.compressed = false;
    return w.take(len);
  }
  const enc = -1 - len;
  lastStringSource.dataOffset = at;
  lastStringSource.compressed = false;
  switch (enc) {
    case RDB_ENC_INT8:
      return integerToBytes(w.readInt8());
    case RDB_ENC_INT16:
      return integerToBytes(w.readInt16LE());
    case RDB_ENC_INT32:
      return integerToBytes(w.readInt32LE());
    case RDB_ENC_LZF: {
      const clen = readLength(w, limits.version);
      const ulenAt = w.position;
      const ulen = readLength(w, limits.version);
      checkStringLength(w, at, clen, limits);
      if (ulen > limits.maxStringBytes) {
        throw new FormatError('RDB_LIMIT_EXCEEDED', ulenAt, `LZF string of ${ulen} bytes exceeds the ${limits.maxStringBytes}-byte limit`);
      }
      const dataAt = w.position;
      const data = w.take(clen);
      const out = decompressLzf(data, ulen, dataAt);
      lastStringSource.dataOffset = dataAt;
      lastStringSource.compressed = true;
      return out;
    }
    default:
      throw new FormatError('RDB_BAD_STRING_ENCODING', at, `unknown string encoding 0x${(0xc0 | enc).toString(16)}`);
  }
}

function checkStringLength(w: ByteWindow, at: number, len: number, limits: StringLimits): void {
  if (len > limits.maxStringBytes) {
    throw new FormatError('RDB_LIMIT_EXCEEDED', at, `string of ${len} bytes exceeds the ${limits.maxStringBytes}-byte limit`);
  }
  if (limits.fileSize !== undefined && w.position + len > limits.fileSize) {
    throw new FormatError('RDB_UNEXPECTED_EOF', limits.fileSize, `string of ${len} bytes at ${at} runs past the end of the ${limits.fileSize}-byte file`);
  }
}

/**
 * Read a score in the old string-double form (type 3): u8 length, 253 NaN, 254 +inf, 255 -inf.
 * @throws {@link FormatError} RDB_BAD_DOUBLE for NaN (Redis refuses NaN scores) or non-numeric text
 * @see redis/src/rdb.c rdbLoadDoubleValue
 */
export function readStringDouble(w: ByteWindow): number {
  const at = w.position;
  const n = w.readUint8();
  if (n === 253) throw new FormatError('RDB_BAD_DOUBLE', at, 'NaN score');
  if (n === 254) return Infinity;
  if (n === 255) return -Infinity;
  const bytes = w.take(n);
  const v = parseRedisDouble(bytes);
  if (Number.isNaN(v)) throw new FormatError('RDB_BAD_DOUBLE', at, `score text ${JSON.stringify(latin1(bytes))} is not a number`);
  return v;
}

/**
 * Parse a double the way strtod does for Redis's own output: decimal or exponent text, `inf`,
 * `-inf`, `+inf`, `infinity` (any case). Returns NaN when the text is not a number.
 */
export function parseRedisDouble(bytes: Uint8Array): number {
  const s = latin1(bytes).trim();
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
  return NaN;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Options of {@link writeStringObject}. */
export interface WriteStringOptions {
  /** Try LZF for strings over 20 bytes (`rdbcompression yes`). Defaults to true. */
  compress?: boolean;
}

/**
 * Encode a string exactly as rdbSaveRawString does: canonical ints of up to 11 bytes in 32-bit
 * range as INT8/16/32, strings over 20 bytes as LZF when that saves at least 4 bytes, else raw.
 * @see redis/src/rdb.c rdbSaveRawString, rdbTryIntegerEncoding, rdbSaveLzfStringObject
 */
export function writeStringObject(bytes: Uint8Array, options: WriteStringOptions = {}): Uint8Array {
  const len = bytes.length;
  if (len <= 11) {
    const v = parseCanonicalInt(bytes);
    if (v !== undefined && v >= -2147483648n && v <= 2147483647n) {
      const n = Number(v);
      if (n >= -128 && n <= 127) return Uint8Array.of(0xc0 | RDB_ENC_INT8, n & 0xff);
      if (n >= -32768 && n <= 32767) {
        const b = new Uint8Array(3);
        b[0] = 0xc0 | RDB_ENC_INT16;
        new DataView(b.buffer).setInt16(1, n, true);
        return b;
      }
      const b = new Uint8Array(5);
      b[0] = 0xc0 | RDB_ENC_INT32;
      new DataView(b.buffer).setInt32(1, n, true);
      return b;
    }
  }
  if ((options.compress ?? true) && len > 20) {
    const packed = compressLzf(bytes, len - 4);
    if (packed !== undefined) {
      const clen = writeLength(packed.length);
      const ulen = writeLength(len);
      const out = new Uint8Array(1 + clen.length + ulen.length + packed.length);
      out[0] = 0xc0 | RDB_ENC_LZF;
      out.set(clen, 1);
      out.set(ulen, 1 + clen.length);
      out.set(packed, 1 + clen.length + ulen.length);
      return out;
    }
  }
  const prefix = writeLength(len);
  const out = new Uint8Array(prefix.length + len);
  out.set(prefix);
  out.set(bytes, prefix.length);
  return out;
}
