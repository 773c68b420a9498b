// The writer's output buffer: RDB primitives (lengths, strings, fixed-width numbers) appended to
// one growable buffer that is handed out in copies, with the CRC64 of every byte handed out.
// Source of truth: redis/src/rdb.c rdbSaveLen, rdbSaveRawString, rdbSaveMillisecondTime,
// rdbSaveBinaryDoubleValue; redis/src/rio.c (the checksum is updated as bytes are written).

import assert from 'node:assert';

import { compressLzfInto, Crc64, lzfOutputRoom } from '@redis-forensics/core';

import { RDB_32BITLEN, RDB_64BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } from '../constants.js';
import { canonicalIntValue } from '../integer-text.js';
import { mayCompressLzf } from './lzf-precheck.js';

/** Chunk size the writer aims for: it hands out its buffer once at least this much is in it. */
export const RDB_WRITE_CHUNK_BYTES = 64 * 1024;

/** Bytes an LZF string's header can take: the type byte, then clen and ulen (up to 9 bytes each). */
const LZF_HEADER_ROOM = 1 + 9 + 9;

/** Capacity the buffer returns to after a huge value made it grow. */
const SHRINK_ABOVE = 4 * RDB_WRITE_CHUNK_BYTES;

/**
 * A growable output buffer for RDB bytes (pg's `Writer` `ensure` growth). {@link RdbSink.take}
 * returns a copy of what is buffered and starts over, so a chunk handed out is never written again.
 * The CRC64 covers every byte from the first one written up to the last {@link RdbSink.checksum}.
 */
export class RdbSink {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  /** Bytes of `buf` already fed to the CRC. */
  private crcPos = 0;
  /** Bytes handed out by take() so far. */
  private taken = 0;
  private readonly crc = new Crc64();
  /** Try LZF on strings over 20 bytes (`rdbcompression yes`). */
  readonly compress: boolean;

  constructor(compress: boolean) {
    this.compress = compress;
    this.buf = new Uint8Array(2 * RDB_WRITE_CHUNK_BYTES);
    this.view = new DataView(this.buf.buffer);
  }

  /** Absolute offset (from the first byte of the file) of the next byte written. */
  get position(): number {
    return this.taken + this.pos;
  }

  /** Bytes written and not handed out yet. */
  get buffered(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Append one byte (an opcode, a type byte, a u8). */
  writeByte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Append bytes verbatim. */
  writeBytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /**
   * Append a length in 1, 2, 5 or 9 bytes, exactly as every server does.
   * @param value unsigned, below 2^64 (a bigint for values above 2^53)
   * @see redis/src/rdb.c rdbSaveLen
   */
  writeLength(value: number | bigint): void {
    if (typeof value === 'number' && value <= 0xffffffff) {
      assert(value >= 0 && Number.isInteger(value), `length ${value} is not an unsigned integer`);
      this.ensure(5);
      if (value < 64) {
        this.buf[this.pos++] = value;
      } else if (value < 16384) {
        this.buf[this.pos++] = 0x40 | (value >> 8);
        this.buf[this.pos++] = value & 0xff;
      } else {
        this.buf[this.pos++] = RDB_32BITLEN;
        this.view.setUint32(this.pos, value, false);
        this.pos += 4;
      }
      return;
    }
    const v = BigInt(value);
    assert(v >= 0n && v <= 0xffffffffffffffffn, `length ${v} is outside 0..2^64-1`);
    if (v <= 0xffffffffn) {
      this.writeLength(Number(v));
      return;
    }
    this.ensure(9);
    this.buf[this.pos++] = RDB_64BITLEN;
    this.view.setBigUint64(this.pos, v, false);
    this.pos += 8;
  }

  /**
   * Append a string exactly as rdbSaveRawString does: canonical integers of up to 11 bytes in
   * 32-bit range as INT8/16/32, strings over 20 bytes as LZF when compression is on and saves at
   * least 4 bytes, everything else as length + raw bytes. Byte-identical with
   * {@link writeStringObject}, without its allocations.
   * @see redis/src/rdb.c rdbSaveRawString, rdbTryIntegerEncoding, rdbSaveLzfStringObject
   */
  writeString(bytes: Uint8Array): void {
    const len = bytes.length;
    if (len <= 11 && len > 0) {
      // Eleven bytes at most: canonicalIntValue gives a number.
      const n = canonicalIntValue(bytes);
      if (typeof n === 'number' && n >= -2147483648 && n <= 2147483647) {
        this.ensure(5);
        if (n >= -128 && n <= 127) {
          this.buf[this.pos++] = 0xc0 | RDB_ENC_INT8;
          this.buf[this.pos++] = n & 0xff;
        } else if (n >= -32768 && n <= 32767) {
          this.buf[this.pos++] = 0xc0 | RDB_ENC_INT16;
          this.view.setInt16(this.pos, n, true);
          this.pos += 2;
        } else {
          this.buf[this.pos++] = 0xc0 | RDB_ENC_INT32;
          this.view.setInt32(this.pos, n, true);
          this.pos += 4;
        }
        return;
      }
    }
    if (this.compress && len > 20 && mayCompressLzf(bytes)) {
      // Compress past room for the largest header (type byte, clen, ulen), then
      // move the data back behind the header once clen, and so its size, is known.
      const capacity = len - 4;
      this.ensure(LZF_HEADER_ROOM + lzfOutputRoom(len, capacity));
      const clen = compressLzfInto(bytes, this.buf, this.pos + LZF_HEADER_ROOM, capacity);
      if (clen !== 0) {
        const dataAt = this.pos + LZF_HEADER_ROOM;
        this.writeByte(0xc0 | RDB_ENC_LZF);
        this.writeLength(clen);
        this.writeLength(len);
        this.buf.copyWithin(this.pos, dataAt, dataAt + clen);
        this.pos += clen;
        return;
      }
    }
    this.writeLength(len);
    this.writeBytes(bytes);
  }

  /**
   * Append a signed 64-bit little-endian integer: expire times, stream delivery/seen/active
   * times, HFE `minExpire` (`ms64`).
   * @see redis/src/rdb.c rdbSaveMillisecondTime
   */
  writeInt64LE(value: number | bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, BigInt(value), true);
    this.pos += 8;
  }

  /** Append an unsigned 64-bit big-endian integer (the halves of a raw 16-byte stream ID). */
  writeBigUint64BE(value: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, value, false);
    this.pos += 8;
  }

  /** Append an unsigned 64-bit little-endian integer (the CRC64 trailer). */
  writeBigUint64LE(value: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, value, true);
    this.pos += 8;
  }

  /** Append a binary double, little-endian (ZSET_2 scores). @see redis/src/rdb.c rdbSaveBinaryDoubleValue */
  writeFloat64LE(value: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /**
   * The buffered bytes as a fresh array (fed to the CRC first), leaving the sink empty.
   * @returns a copy: the sink never writes into an array it has handed out
   */
  take(): Uint8Array {
    this.feedCrc();
    const out = this.buf.slice(0, this.pos);
    this.taken += this.pos;
    this.pos = 0;
    this.crcPos = 0;
    if (this.buf.length > SHRINK_ABOVE) {
      this.buf = new Uint8Array(2 * RDB_WRITE_CHUNK_BYTES);
      this.view = new DataView(this.buf.buffer);
    }
    return out;
  }

  /** CRC-64/Jones of every byte written so far (handed out or still buffered). */
  checksum(): bigint {
    this.feedCrc();
    return this.crc.digest();
  }

  private feedCrc(): void {
    if (this.crcPos < this.pos) this.crc.update(this.buf.subarray(this.crcPos, this.pos));
    this.crcPos = this.pos;
  }
}
