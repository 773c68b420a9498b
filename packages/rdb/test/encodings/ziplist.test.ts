import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { FormatError } from '@redis-forensics/core';
import { decodeZiplist, encodeZiplist, parseCanonicalInt } from '@redis-forensics/rdb';
import { catchFormatError, concatBytes, ziplistEntriesArb } from '@redis-forensics/testkit';

import type { ListpackEntry } from '@redis-forensics/rdb';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));


function normalize(e: Uint8Array | number | bigint): ListpackEntry {
  const v = e instanceof Uint8Array ? parseCanonicalInt(e) : BigInt(e);
  if (v === undefined) return e as Uint8Array;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A cheap comparable form of decoded elements (toEqual on many large Uint8Arrays is slow). */
const comparable = (els: readonly ListpackEntry[]): string[] =>
  els.map((e) => (e instanceof Uint8Array ? `s:${Buffer.from(e).toString('hex')}` : `${typeof e}:${e}`));
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** A ziplist around hand-made entries, with correct zlbytes and zltail and the given count. */
function ziplistWith(entries: readonly Uint8Array[], count: number): Uint8Array {
  const out = concatBytes(new Uint8Array(10), ...entries, Uint8Array.of(0xff /* ZIP_END */));
  const view = new DataView(out.buffer);
  view.setUint32(0, out.length, true);
  view.setUint32(4, entries.length === 0 ? 10 : out.length - 1 - entries[entries.length - 1]!.length, true);
  view.setUint16(8, count, true);
  return out;
}

/** The encoding+data bytes of the single entry of a ziplist (after its 1-byte prevlen). */
const onlyEntry = (zl: Uint8Array): Uint8Array => zl.subarray(11, zl.length - 1);

// FORMAT.md 12.4, written by Redis 6.2.
const HASH_ZL = hex('16000000 13000000 0400 000166 030176 03016e 03f8 ff');
const ZSET_ZL = hex('18000000 12000000 0400 000161 03f2 020162 0303322e35 ff');
// FORMAT.md 4.1.
const EMPTY_ZL = hex('0b000000 0a000000 0000 ff');

describe('decodeZiplist', () => {
  it('Hash {f: v, n: 7} (Redis 6.2): field, value pairs with an immediate int', () => {
    expect(decodeZiplist(HASH_ZL)).toEqual([ascii('f'), ascii('v'), ascii('n'), 7]);
  });

  it('Zset {a:1, b:2.5} (Redis 6.2): member, score pairs', () => {
    expect(decodeZiplist(ZSET_ZL)).toEqual([ascii('a'), 1, ascii('b'), ascii('2.5')]);
  });

  it('Empty ziplist: no entries', () => {
    expect(decodeZiplist(EMPTY_ZL)).toEqual([]);
  });

  it('5-byte prevlen holding a value below 254 (kept after a cascade update): accepted', () => {
    const zl = ziplistWith(
      [
        Uint8Array.of(0x00, 0x01, 0x61), // prevlen 0, "a"
        Uint8Array.of(0xfe /* ZIP_BIG_PREVLEN */, 0x03, 0x00, 0x00, 0x00, 0x01, 0x62), // prevlen 3 in 5 bytes, "b"
      ],
      2,
    );
    expect(decodeZiplist(zl)).toEqual([ascii('a'), ascii('b')]);
  });

  it('zllen 65535 (unknown): counted by scanning', () => {
    const zl = HASH_ZL.slice();
    zl[8] = 0xff;
    zl[9] = 0xff;
    expect(decodeZiplist(zl)).toHaveLength(4);
  });

  it('Blob shorter than 11 bytes: ZIPLIST_BAD_HEADER at the blob', () => {
    const e = catchFormatError(() => decodeZiplist(EMPTY_ZL.subarray(0, 10), 300));
    expect(e.code).toBe('ZIPLIST_BAD_HEADER');
    expect(e.offset).toBe(300);
  });

  it('zlbytes differs from the blob size: ZIPLIST_BAD_HEADER', () => {
    const zl = HASH_ZL.slice();
    zl[0] = 0x17;
    expect(catchFormatError(() => decodeZiplist(zl)).code).toBe('ZIPLIST_BAD_HEADER');
  });

  it('Last byte not 0xff: ZIPLIST_MISSING_TERMINATOR at the last byte', () => {
    const zl = HASH_ZL.slice();
    zl[zl.length - 1] = 0x00;
    const e = catchFormatError(() => decodeZiplist(zl, 300));
    expect(e.code).toBe('ZIPLIST_MISSING_TERMINATOR');
    expect(e.offset).toBe(300 + zl.length - 1);
  });

  it('zltail not pointing at the last entry: ZIPLIST_BAD_TAIL at the zltail field', () => {
    const zl = HASH_ZL.slice();
    zl[4] = 0x10;
    const e = catchFormatError(() => decodeZiplist(zl, 300));
    expect(e.code).toBe('ZIPLIST_BAD_TAIL');
    expect(e.offset).toBe(304);
  });

  it('zltail past the end: ZIPLIST_BAD_TAIL', () => {
    const zl = HASH_ZL.slice();
    zl[4] = 0x70;
    expect(catchFormatError(() => decodeZiplist(zl)).code).toBe('ZIPLIST_BAD_TAIL');
  });

  it('prevlen differing from the previous entry size: ZIPLIST_BAD_PREVLEN at the entry', () => {
    const zl = HASH_ZL.slice();
    zl[13] = 0x04; // second entry says the first had 4 bytes; it has 3
    const e = catchFormatError(() => decodeZiplist(zl, 300));
    expect(e.code).toBe('ZIPLIST_BAD_PREVLEN');
    expect(e.offset).toBe(313);
  });

  it('First entry with a non-zero prevlen: ZIPLIST_BAD_PREVLEN', () => {
    const zl = HASH_ZL.slice();
    zl[10] = 0x01;
    expect(catchFormatError(() => decodeZiplist(zl, 300)).offset).toBe(310);
  });

  it('Encoding byte 0xc5: ZIPLIST_BAD_ENCODING at the encoding byte', () => {
    const zl = HASH_ZL.slice();
    zl[20] = 0xc5; // the immediate 7 (0xf8) of the last entry
    const e = catchFormatError(() => decodeZiplist(zl, 300));
    expect(e.code).toBe('ZIPLIST_BAD_ENCODING');
    expect(e.offset).toBe(320);
  });

  it('zllen differing from the entries: ZIPLIST_BAD_COUNT at the zllen field', () => {
    const zl = HASH_ZL.slice();
    zl[8] = 5;
    const e = catchFormatError(() => decodeZiplist(zl, 300));
    expect(e.code).toBe('ZIPLIST_BAD_COUNT');
    expect(e.offset).toBe(308);
  });

  it('String running past the end marker: ZIPLIST_ENTRY_OVERFLOW at the entry', () => {
    const zl = HASH_ZL.slice();
    zl[17] = 0x10; // third entry: 16-byte string
    const e = catchFormatError(() => decodeZiplist(zl, 300));
    expect(e.code).toBe('ZIPLIST_ENTRY_OVERFLOW');
    expect(e.offset).toBe(316);
  });

  it('32-bit string length of 4 GB: ZIPLIST_ENTRY_OVERFLOW, no allocation', () => {
    const zl = ziplistWith([Uint8Array.of(0x00, 0x80 /* ZIP_STR_32B */, 0xff, 0xff, 0xff, 0xff)], 1);
    expect(catchFormatError(() => decodeZiplist(zl)).code).toBe('ZIPLIST_ENTRY_OVERFLOW');
  });
});

describe('encodeZiplist', () => {
  it('Hash {f: v, n: 7} as Redis 6.2 writes it', () => {
    expect(encodeZiplist(['f', 'v', 'n', '7'].map(ascii))).toEqual(HASH_ZL);
  });

  it('Zset {a:1, b:2.5} as Redis 6.2 writes it', () => {
    expect(encodeZiplist(['a', '1', 'b', '2.5'].map(ascii))).toEqual(ZSET_ZL);
  });

  it('No entries: the empty ziplist', () => {
    expect(encodeZiplist([])).toEqual(EMPTY_ZL);
  });

  it.each([
    [0, [0xf1]],
    [12, [0xfd]],
    [13, [0xfe /* ZIP_INT_8B */, 0x0d]],
    [-1, [0xfe, 0xff]],
    [127, [0xfe, 0x7f]],
    [-128, [0xfe, 0x80]],
    [128, [0xc0 /* ZIP_INT_16B */, 0x80, 0x00]],
    [-32768, [0xc0, 0x00, 0x80]],
    [32768, [0xf0 /* ZIP_INT_24B */, 0x00, 0x80, 0x00]],
    [-8388608, [0xf0, 0x00, 0x00, 0x80]],
    [8388608, [0xd0 /* ZIP_INT_32B */, 0x00, 0x00, 0x80, 0x00]],
    [-2147483649, [0xe0 /* ZIP_INT_64B */, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff]],
  ])('Integer %d: the smallest ziplist integer form', (v, bytes) => {
    const zl = encodeZiplist([v]);
    expect(onlyEntry(zl)).toEqual(Uint8Array.from(bytes));
    expect(decodeZiplist(zl)).toEqual([v]);
  });

  it.each([
    [63, [0x3f]],
    [64, [0x40 /* ZIP_STR_14B */, 0x40]],
    [16383, [0x7f, 0xff]],
    [16384, [0x80 /* ZIP_STR_32B */, 0x00, 0x00, 0x40, 0x00]],
  ])('String of %d bytes: header %j (lengths big-endian)', (length, header) => {
    const s = new Uint8Array(length).fill(0x78);
    const zl = encodeZiplist([s]);
    expect(onlyEntry(zl).subarray(0, header.length)).toEqual(Uint8Array.from(header));
    expect(decodeZiplist(zl)).toEqual([s]);
  });

  it('Entry of 254 bytes or more: the next prevlen takes 5 bytes (0xfe + u32le)', () => {
    const big = new Uint8Array(300).fill(0x61);
    const zl = encodeZiplist([big, ascii('x')]);
    const second = 10 + 1 + 2 + 300;
    expect(zl.subarray(second, second + 5)).toEqual(Uint8Array.of(0xfe, 0x2f, 0x01, 0x00, 0x00));
    expect(decodeZiplist(zl)).toEqual([big, ascii('x')]);
  });

  it('Entry of 253 bytes: the next prevlen is 1 byte', () => {
    const s = new Uint8Array(250).fill(0x61); // 1 + 2 + 250
    const zl = encodeZiplist([s, ascii('x')]);
    expect(zl[10 + 253]).toBe(253);
    expect(decodeZiplist(zl)).toEqual([s, ascii('x')]);
  });
});

describe('ziplist properties', () => {
  test.prop([ziplistEntriesArb], { numRuns: 150 })('Round trip: decode(encode(xs)) = xs with integer text as integers', (els) => {
    const zl = encodeZiplist(els);
    const decoded = decodeZiplist(zl, 77);
    expect(comparable(decoded)).toEqual(comparable(els.map(normalize)));
    expect(sameBytes(encodeZiplist(decoded), zl)).toBe(true);
  });

  test.prop([ziplistEntriesArb, fc.nat(), fc.integer({ min: 0, max: 255 })], { numRuns: 300 })(
    'Any single-byte change: entries or a ZIPLIST_* FormatError with an offset inside the blob',
    (els, pos, byte) => {
      const zl = encodeZiplist(els);
      zl[pos % zl.length] = byte;
      try {
        decodeZiplist(zl, 50);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect((e as FormatError).code).toMatch(/^ZIPLIST_/);
        expect((e as FormatError).offset).toBeGreaterThanOrEqual(50);
        expect((e as FormatError).offset).toBeLessThan(50 + zl.length);
      }
    },
  );
});
