import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { ByteWindow, crc64, FormatError, NEED_MORE } from '@redis-forensics/core';
import {
  integerToBytes,
  parseCanonicalInt,
  parseRedisDouble,
  readStringDouble,
  readStringObject,
  writeLength,
  writeStringObject,
} from '@redis-forensics/rdb';
import { catchFormatError, concatBytes, int64Arb, intTextArb, nonCanonicalIntTextArb, rdbLzfString, rdbStringArb, rdbStringDouble } from '@redis-forensics/testkit';

import type { StringLimits } from '@redis-forensics/rdb';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

// FORMAT.md 12.2: "a" x 100 compressed by Redis 7.4.1.
const A100_LZF = hex('016161e05700016161');

const LIMITS: StringLimits = { maxStringBytes: 512 * 1024 * 1024, fileSize: undefined, version: 12 };

function windowOf(bytes: Uint8Array, base: number = 0): ByteWindow {
  const w = new ByteWindow();
  w.reset(bytes, base, 0);
  return w;
}

function read(bytes: Uint8Array, limits: StringLimits = LIMITS, base: number = 0): Uint8Array {
  const w = windowOf(bytes, base);
  const out = readStringObject(w, limits);
  expect(w.available).toBe(0);
  return out;
}


describe('readStringObject', () => {
  // The AUX values of the Redis 7.4.1 minimal RDB (FORMAT.md 12.3).
  it.each([
    ['c040', '64'],
    ['c000', '0'],
    ['c23847016b', '1795245880'],
    ['c258b50f00', '1029464'],
    ['c1e803', '1000'],
    ['05372e342e31', '7.4.1'],
  ])('Redis 7.4.1 bytes %s: "%s"', (bytes, text) => {
    expect(read(hex(bytes))).toEqual(ascii(text));
  });

  it('Negative integers: decimal text with a minus sign', () => {
    expect(read(Uint8Array.of(0xc0, 0x80))).toEqual(ascii('-128'));
    expect(read(Uint8Array.of(0xc1, 0x00, 0x80))).toEqual(ascii('-32768'));
    expect(read(Uint8Array.of(0xc2, 0x00, 0x00, 0x00, 0x80))).toEqual(ascii('-2147483648'));
  });

  it('"a" x 100 as Redis 7.4.1 writes it (FORMAT.md 12.2, C3 09 40 64 + LZF): 100 "a"', () => {
    expect(read(hex('c3 09 40 64 01 61 61 e0 57 00 01 61 61'))).toEqual(ascii('a'.repeat(100)));
  });

  it('Empty string: zero bytes', () => {
    expect(read(Uint8Array.of(0x00))).toEqual(new Uint8Array(0));
  });

  it('Raw string: a zero-copy view of the window', () => {
    const buf = concatBytes(Uint8Array.of(3), ascii('abc'));
    const out = read(buf);
    expect(out.buffer).toBe(buf.buffer);
  });

  it('Unknown special encoding 0xc4: RDB_BAD_STRING_ENCODING at the prefix', () => {
    const e = catchFormatError(() => read(Uint8Array.of(0xc4, 0, 0), LIMITS, 40));
    expect(e.code).toBe('RDB_BAD_STRING_ENCODING');
    expect(e.offset).toBe(40);
  });

  it('Length above maxStringBytes: RDB_LIMIT_EXCEEDED at the prefix, before reading the bytes', () => {
    const e = catchFormatError(() => read(writeLength(0xffffffff), LIMITS, 20));
    expect(e.code).toBe('RDB_LIMIT_EXCEEDED');
    expect(e.offset).toBe(20);
  });

  it('64-bit length above 2^53: RDB_LIMIT_EXCEEDED', () => {
    expect(catchFormatError(() => read(writeLength(2n ** 60n))).code).toBe('RDB_LIMIT_EXCEEDED');
  });

  it('Length past the known file size: RDB_UNEXPECTED_EOF at the file size', () => {
    const e = catchFormatError(() => read(concatBytes(writeLength(100), ascii('abc')), { ...LIMITS, fileSize: 50 }, 40));
    expect(e.code).toBe('RDB_UNEXPECTED_EOF');
    expect(e.offset).toBe(50);
  });

  it('Length past the buffered bytes, size unknown: NEED_MORE', () => {
    expect(() => read(concatBytes(writeLength(100), ascii('abc')))).toThrow(NEED_MORE);
  });

  it('LZF with an uncompressed length above maxStringBytes: RDB_LIMIT_EXCEEDED at the ulen field', () => {
    const bytes = rdbLzfString(A100_LZF, 600 * 1024 * 1024);
    const e = catchFormatError(() => read(bytes, LIMITS, 100));
    expect(e.code).toBe('RDB_LIMIT_EXCEEDED');
    expect(e.offset).toBe(102);
  });

  it('LZF with an impossible uncompressed length: LZF_LENGTH_MISMATCH at the data, quickly', () => {
    const started = performance.now();
    const bytes = rdbLzfString(A100_LZF, 400 * 1024 * 1024);
    const e = catchFormatError(() => read(bytes, LIMITS, 100));
    expect(e.code).toBe('LZF_LENGTH_MISMATCH');
    expect(e.offset).toBe(100 + 1 + 1 + 5);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('LZF with a wrong uncompressed length: LZF_CORRUPT when the data overflows it, LZF_LENGTH_MISMATCH when it falls short', () => {
    expect(catchFormatError(() => read(rdbLzfString(A100_LZF, 99))).code).toBe('LZF_CORRUPT');
    expect(catchFormatError(() => read(rdbLzfString(A100_LZF, 101))).code).toBe('LZF_LENGTH_MISMATCH');
  });

  it('LZF with a compressed length past the file: RDB_UNEXPECTED_EOF', () => {
    const bytes = concatBytes(Uint8Array.of(0xc3 /* RDB_ENC_LZF */), writeLength(1000), writeLength(100), A100_LZF.subarray(0, 3));
    const e = catchFormatError(() => read(bytes, { ...LIMITS, fileSize: 64 }));
    expect(e.code).toBe('RDB_UNEXPECTED_EOF');
    expect(e.offset).toBe(64);
  });
});

describe('DUMP payload', () => {
  it('DUMP of string "v" (Redis 7.4.1): type 0, rstr "v", RDB version 12, CRC64 of the bytes before it', () => {
    const dump = hex('00 01 76 0c 00 5a 7e fa 72 e3 12 14 87'); // FORMAT.md 6 / 12.7
    const w = windowOf(dump);
    expect(w.readUint8()).toBe(0);
    expect(readStringObject(w, LIMITS)).toEqual(ascii('v'));
    expect(w.readUint16LE()).toBe(12);
    expect(w.readBigUint64LE()).toBe(crc64(dump.subarray(0, 5)));
    expect(concatBytes(Uint8Array.of(0), writeStringObject(ascii('v')))).toEqual(dump.subarray(0, 3));
  });
});

describe('writeStringObject', () => {
  it('"a" x 100: C3 09 40 64 + the LZF bytes Redis 7.4.1 writes (FORMAT.md 12.2)', () => {
    expect(writeStringObject(ascii('a'.repeat(100)))).toEqual(hex('c3 09 40 64 01 61 61 e0 57 00 01 61 61'));
  });

  it('"a" x 100 with compression off: raw 14-bit length + bytes', () => {
    expect(writeStringObject(ascii('a'.repeat(100)), { compress: false })).toEqual(concatBytes(Uint8Array.of(0x40, 100), ascii('a'.repeat(100))));
  });

  it('20 compressible bytes: never compressed (LZF only above 20 bytes)', () => {
    expect(writeStringObject(ascii('a'.repeat(20)))).toEqual(concatBytes(Uint8Array.of(20), ascii('a'.repeat(20))));
  });

  it('"v": 01 76 (the value of the Redis 7.4.1 DUMP of string v)', () => {
    expect(writeStringObject(ascii('v'))).toEqual(Uint8Array.of(0x01, 0x76));
  });

  it.each([
    ['0', [0xc0, 0x00]],
    ['127', [0xc0, 0x7f]],
    ['-128', [0xc0, 0x80]],
    ['128', [0xc1, 0x80, 0x00]],
    ['-32768', [0xc1, 0x00, 0x80]],
    ['32768', [0xc2, 0x00, 0x80, 0x00, 0x00]],
    ['2147483647', [0xc2, 0xff, 0xff, 0xff, 0x7f]],
    ['-2147483648', [0xc2, 0x00, 0x00, 0x00, 0x80]],
  ])('Canonical integer "%s": the smallest INT form', (text, bytes) => {
    expect(writeStringObject(ascii(text))).toEqual(Uint8Array.from(bytes));
  });

  it.each(['2147483648', '-2147483649', '007', '-0', '+5', ' 5', '1.0', '12345678901'])(
    'Integer-looking "%s" that rdbTryIntegerEncoding refuses: raw',
    (text) => {
      expect(writeStringObject(ascii(text))).toEqual(concatBytes(Uint8Array.of(text.length), ascii(text)));
    },
  );

  test.prop([rdbStringArb, fc.boolean()], { numRuns: 300 })(
    'Round trip: readStringObject(writeStringObject(s)) = s, with and without compression',
    (s, compress) => {
      expect(Buffer.from(read(writeStringObject(s, { compress }))).equals(Buffer.from(s))).toBe(true);
    },
  );

  test.prop([int64Arb.filter((v) => v >= -2147483648n && v <= 2147483647n)])(
    'Int-encoded strings: every int32 text becomes INT8/16/32 and reads back as the same text',
    (v) => {
      const text = integerToBytes(v);
      const bytes = writeStringObject(text);
      const width = v >= -128n && v <= 127n ? 1 : v >= -32768n && v <= 32767n ? 2 : 4;
      expect(bytes.length).toBe(1 + width);
      expect(bytes[0]).toBe(0xc0 | (width === 1 ? 0 : width === 2 ? 1 : 2));
      expect(read(bytes)).toEqual(text);
    },
  );

  test.prop([intTextArb])('Int text outside int32: stored as raw text, reads back the same', (text) => {
    const v = parseCanonicalInt(text)!;
    fc.pre(v < -2147483648n || v > 2147483647n);
    const bytes = writeStringObject(text);
    expect(bytes.subarray(1)).toEqual(text);
    expect(read(bytes)).toEqual(text);
  });

  test.prop([nonCanonicalIntTextArb])('Non-canonical number text: never integer-encoded', (text) => {
    const bytes = writeStringObject(text);
    expect(bytes[0]! >> 6).not.toBe(3);
    expect(read(bytes)).toEqual(text);
  });
});

describe('parseCanonicalInt', () => {
  it.each([
    ['0', 0n],
    ['-1', -1n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ])('"%s": %s', (text, v) => {
    expect(parseCanonicalInt(ascii(text))).toBe(v);
  });

  it.each(['', '-', '-0', '+5', '007', ' 5', '5 ', '1.0', '9223372036854775808', '-9223372036854775809', '123456789012345678901', '1e3'])(
    '"%s": not canonical',
    (text) => {
      expect(parseCanonicalInt(ascii(text))).toBeUndefined();
    },
  );
});

describe('readStringDouble', () => {
  it('254: +inf; 255: -inf', () => {
    expect(readStringDouble(windowOf(Uint8Array.of(254)))).toBe(Infinity);
    expect(readStringDouble(windowOf(Uint8Array.of(255)))).toBe(-Infinity);
  });

  it('253 (NaN): RDB_BAD_DOUBLE, Redis refuses NaN scores', () => {
    const e = catchFormatError(() => readStringDouble(windowOf(Uint8Array.of(253), 70)));
    expect(e.code).toBe('RDB_BAD_DOUBLE');
    expect(e.offset).toBe(70);
  });

  it.each([
    ['3.14', 3.14],
    ['-2.25', -2.25],
    ['1e-300', 1e-300],
    ['17', 17],
    ['3.1415926535897931', 3.141592653589793],
  ])('Text "%s": %d', (text, v) => {
    const w = windowOf(rdbStringDouble(text));
    expect(readStringDouble(w)).toBe(v);
    expect(w.available).toBe(0);
  });

  it('Text that is no number: RDB_BAD_DOUBLE', () => {
    expect(catchFormatError(() => readStringDouble(windowOf(rdbStringDouble('abc')))).code).toBe('RDB_BAD_DOUBLE');
  });

  it('Length byte past the buffer: NEED_MORE', () => {
    expect(() => readStringDouble(windowOf(Uint8Array.of(4, 0x31)))).toThrow(NEED_MORE);
  });
});

describe('parseRedisDouble', () => {
  it.each([
    ['inf', Infinity],
    ['-inf', -Infinity],
    ['+inf', Infinity],
    ['Infinity', Infinity],
    ['-INF', -Infinity],
    ['2.5', 2.5],
    ['.5', 0.5],
    ['5.', 5],
    ['-1e+300', -1e300],
    ['1.234e-5', 1.234e-5],
  ])('"%s": %d', (text, v) => {
    expect(parseRedisDouble(ascii(text))).toBe(v);
  });

  it.each(['', 'nan', 'abc', '1,5', '--1'])('"%s": NaN', (text) => {
    expect(parseRedisDouble(ascii(text))).toBeNaN();
  });
});
