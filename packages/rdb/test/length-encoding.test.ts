import { test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { ByteWindow, NEED_MORE } from '@redis-forensics/core';
import { readLength, readLengthBig, readLengthOrEncoding, writeLength } from '@redis-forensics/rdb';
import { catchFormatError, rdbLengthArb } from '@redis-forensics/testkit';

function windowOf(bytes: Uint8Array, base: number = 0): ByteWindow {
  const w = new ByteWindow();
  w.reset(bytes, base, 0);
  return w;
}


describe('writeLength', () => {
  it.each([
    [0, [0x00]],
    [63, [0x3f]],
    [64, [0x40, 0x40]],
    [16383, [0x7f, 0xff]],
    [16384, [0x80, 0x00, 0x00, 0x40, 0x00]],
    [0xffffffff, [0x80, 0xff, 0xff, 0xff, 0xff]],
    [0x100000000, [0x81, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]],
  ])('%d: the canonical form rdbSaveLen writes', (value, bytes) => {
    expect(writeLength(value)).toEqual(Uint8Array.from(bytes));
  });

  it('2^64 - 1 (entries_read = -1): 0x81 then eight 0xff', () => {
    expect(writeLength(0xffffffffffffffffn)).toEqual(Uint8Array.of(0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
  });

  it('RESIZEDB keys=2 of the Redis 7.4.1 minimal RDB: 0x02', () => {
    expect(writeLength(2)).toEqual(Uint8Array.of(0x02));
  });

  it('SLOT_INFO slot 12182 from a Redis 7.4.1 cluster RDB: 14-bit 0x6f 0x96', () => {
    expect(writeLength(12182)).toEqual(Uint8Array.of(0x6f, 0x96));
  });
});

describe('readLength', () => {
  it.each([
    [[0x00], 0, 1],
    [[0x3f], 63, 1],
    [[0x40, 0x40], 64, 2],
    [[0x7f, 0xff], 16383, 2],
    [[0x80, 0x00, 0x00, 0x40, 0x00], 16384, 5],
    [[0x80, 0xff, 0xff, 0xff, 0xff], 0xffffffff, 5],
    [[0x81, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00], 0x100000000, 9],
  ])('%j: %d, consuming %d bytes', (bytes, value, size) => {
    const w = windowOf(Uint8Array.from([...bytes, 0xee]));
    expect(readLength(w, 12)).toBe(value);
    expect(w.pos).toBe(size);
  });

  it('32-bit form that is not canonical (a small value in 0x80 + u32be): accepted', () => {
    expect(readLength(windowOf(Uint8Array.of(0x80, 0, 0, 0, 5)))).toBe(5);
  });

  it('64-bit value above 2^53: Infinity, so every limit check rejects it', () => {
    expect(readLength(windowOf(Uint8Array.of(0x81, 0x00, 0x20, 0, 0, 0, 0, 0, 1)))).toBe(Infinity);
    expect(readLength(windowOf(Uint8Array.of(0x81, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)))).toBe(2 ** 53 - 1);
  });

  it.each([0x82, 0x90, 0xbf])('Prefix byte %d (0x82..0xbf): RDB_BAD_LENGTH_ENCODING at the prefix byte', (b) => {
    const e = catchFormatError(() => readLength(windowOf(Uint8Array.of(b, 0, 0, 0, 0, 0, 0, 0, 0), 500)));
    expect(e.code).toBe('RDB_BAD_LENGTH_ENCODING');
    expect(e.offset).toBe(500);
  });

  it('64-bit form in an RDB 7 file (before 4.0): RDB_BAD_LENGTH_ENCODING', () => {
    const e = catchFormatError(() => readLength(windowOf(Uint8Array.of(0x81, 0, 0, 0, 0, 0, 0, 0, 1), 30), 7));
    expect(e.code).toBe('RDB_BAD_LENGTH_ENCODING');
    expect(e.offset).toBe(30);
  });

  it('Special string encoding where a length must stand: RDB_BAD_LENGTH_ENCODING (strict, unlike Redis)', () => {
    const e = catchFormatError(() => readLength(windowOf(Uint8Array.of(0xc0, 0x05), 9)));
    expect(e.code).toBe('RDB_BAD_LENGTH_ENCODING');
    expect(e.offset).toBe(9);
  });

  it.each([
    [[0x40]],
    [[0x80, 0, 0]],
    [[0x81, 0, 0, 0, 0, 0, 0, 0]],
    [[]],
  ])('Truncated %j: NEED_MORE (not an error: the driver refills)', (bytes) => {
    expect(() => readLength(windowOf(Uint8Array.from(bytes)))).toThrow(NEED_MORE);
  });
});

describe('readLengthOrEncoding', () => {
  it.each([
    [0xc0, 0],
    [0xc1, 1],
    [0xc2, 2],
    [0xc3, 3],
    [0xc4, 4],
    [0xff, 63],
  ])('Byte %d: -1 - %d (the special encoding)', (b, enc) => {
    const w = windowOf(Uint8Array.of(b));
    expect(readLengthOrEncoding(w)).toBe(-1 - enc);
    expect(w.pos).toBe(1);
  });

  it('Plain lengths: the length', () => {
    expect(readLengthOrEncoding(windowOf(Uint8Array.of(0x41, 0x00)))).toBe(256);
  });
});

describe('readLengthBig', () => {
  it('2^64 - 1: exact', () => {
    expect(readLengthBig(windowOf(Uint8Array.of(0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)))).toBe(0xffffffffffffffffn);
  });

  it('Module type id of ReJSON-RL encver 3 (FORMAT.md 3.8): 0x45e25238df912c03', () => {
    expect(readLengthBig(windowOf(Uint8Array.of(0x81, 0x45, 0xe2, 0x52, 0x38, 0xdf, 0x91, 0x2c, 0x03)))).toBe(0x45e25238df912c03n);
  });

  it('Special encoding byte: RDB_BAD_LENGTH_ENCODING', () => {
    expect(catchFormatError(() => readLengthBig(windowOf(Uint8Array.of(0xc2)))).code).toBe('RDB_BAD_LENGTH_ENCODING');
  });
});

describe('length round trip', () => {
  test.prop([rdbLengthArb], { numRuns: 500 })('readLengthBig(writeLength(v)) = v, in the smallest form', (v) => {
    const bytes = writeLength(v);
    const w = windowOf(bytes);
    expect(readLengthBig(w)).toBe(v);
    expect(w.available).toBe(0);
    expect(bytes.length).toBe(v < 64n ? 1 : v < 16384n ? 2 : v <= 0xffffffffn ? 5 : 9);
  });

  test.prop([rdbLengthArb], { numRuns: 500 })('readLength(writeLength(v)) = v as a number, or Infinity above 2^53 - 1', (v) => {
    const w = windowOf(writeLength(v));
    expect(readLength(w, 12)).toBe(v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : Infinity);
    expect(w.available).toBe(0);
  });
});
