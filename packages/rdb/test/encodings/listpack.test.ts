import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { FormatError } from '@redis-forensics/core';
import { decodeListpack, encodeBacklen, encodeListpack, parseCanonicalInt } from '@redis-forensics/rdb';
import { catchFormatError, concatBytes, listpackEntriesArb } from '@redis-forensics/testkit';

import type { ListpackEntry } from '@redis-forensics/rdb';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));


/** What decodeListpack gives back for an encoder input: canonical int text becomes an integer. */
function normalize(e: Uint8Array | number | bigint): ListpackEntry {
  const v = e instanceof Uint8Array ? parseCanonicalInt(e) : BigInt(e);
  if (v === undefined) return e as Uint8Array;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A cheap comparable form of decoded elements (toEqual on many large Uint8Arrays is slow). */
const comparable = (els: readonly ListpackEntry[]): string[] =>
  els.map((e) => (e instanceof Uint8Array ? `s:${Buffer.from(e).toString('hex')}` : `${typeof e}:${e}`));
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** A listpack around hand-made element bytes, with a correct total and the given count. */
function listpackWith(elements: Uint8Array, count: number): Uint8Array {
  const out = concatBytes(new Uint8Array(6), elements, Uint8Array.of(0xff /* LP_EOF */));
  new DataView(out.buffer).setUint32(0, out.length, true);
  new DataView(out.buffer).setUint16(4, count, true);
  return out;
}

/** The encoding+data+backlen bytes of the single element of a listpack. */
const onlyEntry = (lp: Uint8Array): Uint8Array => lp.subarray(6, lp.length - 1);

// FORMAT.md 12.4, written by Redis 7.4.1.
const ZSET_LP = hex('1a000000 0600 816302 dffd02 816102 0101 816202 83322e3504 ff');
const LIST_LP = hex('1c000000 0700 816102 816202 816302 0101 0201 c12c02 f270110104 ff');
const SET_LP = hex('10000000 0300 816102 816202 816302 ff');
const EMPTY_LP = hex('07000000 0000 ff');
// FORMAT.md 12.6: the node listpack of stream "s" (Redis 7.4.1), 72 bytes, 25 elements.
const STREAM_NODE_LP = hex(
  '48000000 1900 0301 0001 0201 816602 816702 0001' +
    '0201 0001 0001 817602 817702 0501' +
    '0201 0001 0101 82763203 82773203 0501' +
    '0001 0101 dfff02 0101 856f7468657206 817802 0601 ff',
);

describe('decodeListpack', () => {
  it('Zset {c:-3, a:1, b:2.5} (Redis 7.4.1): member, score pairs with 13-bit, 7-bit and string scores', () => {
    expect(decodeListpack(ZSET_LP)).toEqual([ascii('c'), -3, ascii('a'), 1, ascii('b'), ascii('2.5')]);
  });

  it('List a b c 1 2 300 70000 (Redis 7.4.1): strings, 7-bit, 13-bit and 24-bit ints', () => {
    expect(decodeListpack(LIST_LP)).toEqual([ascii('a'), ascii('b'), ascii('c'), 1, 2, 300, 70000]);
  });

  it('Set a b c (Redis 7.4.1): three strings', () => {
    expect(decodeListpack(SET_LP)).toEqual([ascii('a'), ascii('b'), ascii('c')]);
  });

  it('Empty listpack: no elements', () => {
    expect(decodeListpack(EMPTY_LP)).toEqual([]);
  });

  it('Stream node listpack (Redis 7.4.1): master entry, entries, negative seq delta', () => {
    expect(decodeListpack(STREAM_NODE_LP)).toEqual([
      3, 0, 2, ascii('f'), ascii('g'), 0,
      2, 0, 0, ascii('v'), ascii('w'), 5,
      2, 0, 1, ascii('v2'), ascii('w2'), 5,
      0, 1, -1, 1, ascii('other'), ascii('x'), 6,
    ]);
  });

  it('Strings: zero-copy views into the blob', () => {
    const out = decodeListpack(SET_LP);
    expect((out[0] as Uint8Array).buffer).toBe(SET_LP.buffer);
  });

  it('Element count 65535 (unknown): counted by scanning', () => {
    const lp = SET_LP.slice();
    lp[4] = 0xff;
    lp[5] = 0xff;
    expect(decodeListpack(lp)).toHaveLength(3);
  });

  it('int64 beyond 2^53: a bigint', () => {
    expect(decodeListpack(encodeListpack([2n ** 62n]))).toEqual([2n ** 62n]);
  });

  it('Blob shorter than 7 bytes: LISTPACK_BAD_HEADER at the blob', () => {
    const e = catchFormatError(() => decodeListpack(EMPTY_LP.subarray(0, 6), 500));
    expect(e.code).toBe('LISTPACK_BAD_HEADER');
    expect(e.offset).toBe(500);
  });

  it('Total-bytes header differs from the blob size: LISTPACK_BAD_HEADER', () => {
    const lp = SET_LP.slice();
    lp[0] = 0x11;
    expect(catchFormatError(() => decodeListpack(lp, 100)).code).toBe('LISTPACK_BAD_HEADER');
  });

  it('Last byte not 0xff: LISTPACK_MISSING_TERMINATOR at the last byte', () => {
    const lp = SET_LP.slice();
    lp[lp.length - 1] = 0x00;
    const e = catchFormatError(() => decodeListpack(lp, 100));
    expect(e.code).toBe('LISTPACK_MISSING_TERMINATOR');
    expect(e.offset).toBe(100 + lp.length - 1);
  });

  it('Encoding byte 0xf5: LISTPACK_BAD_ENCODING at the element', () => {
    const lp = SET_LP.slice();
    lp[9] = 0xf5; // second element's encoding byte
    const e = catchFormatError(() => decodeListpack(lp, 100));
    expect(e.code).toBe('LISTPACK_BAD_ENCODING');
    expect(e.offset).toBe(109);
  });

  it('Backlen that does not encode the element size: LISTPACK_BAD_BACKLEN at the backlen', () => {
    const lp = SET_LP.slice();
    lp[11] = 0x03; // backlen of "b" says 3, the element is 2 bytes
    const e = catchFormatError(() => decodeListpack(lp, 100));
    expect(e.code).toBe('LISTPACK_BAD_BACKLEN');
    expect(e.offset).toBe(111);
  });

  it('Two-byte backlen whose continuation bit is missing: LISTPACK_BAD_BACKLEN', () => {
    const lp = encodeListpack([new Uint8Array(200)]);
    const at = lp.length - 2; // last backlen byte (rightmost)
    lp[at] = lp[at]! & 0x7f;
    expect(catchFormatError(() => decodeListpack(lp)).code).toBe('LISTPACK_BAD_BACKLEN');
  });

  it('Element count differs from the header: LISTPACK_BAD_COUNT at the count field', () => {
    const lp = SET_LP.slice();
    lp[4] = 4;
    const e = catchFormatError(() => decodeListpack(lp, 100));
    expect(e.code).toBe('LISTPACK_BAD_COUNT');
    expect(e.offset).toBe(104);
  });

  it('String running past the terminator: LISTPACK_ENTRY_OVERFLOW at the element', () => {
    const lp = SET_LP.slice();
    lp[12] = 0x8f; // third element: 15-byte string in a 16-byte listpack
    const e = catchFormatError(() => decodeListpack(lp, 100));
    expect(e.code).toBe('LISTPACK_ENTRY_OVERFLOW');
    expect(e.offset).toBe(112);
  });

  it('32-bit string length of 4 GB: LISTPACK_ENTRY_OVERFLOW, no allocation', () => {
    const lp = listpackWith(Uint8Array.of(0xf0 /* LP_ENCODING_32BIT_STR */, 0xff, 0xff, 0xff, 0xff, 5), 1);
    const e = catchFormatError(() => decodeListpack(lp, 0));
    expect(e.code).toBe('LISTPACK_ENTRY_OVERFLOW');
    expect(e.offset).toBe(6);
  });

  it('Integer element cut by the terminator: LISTPACK_ENTRY_OVERFLOW', () => {
    const lp = listpackWith(Uint8Array.of(0xf3 /* LP_ENCODING_32BIT_INT */, 0x01, 0x02), 1);
    expect(catchFormatError(() => decodeListpack(lp)).code).toBe('LISTPACK_ENTRY_OVERFLOW');
  });
});

describe('encodeListpack', () => {
  it('Zset {c:-3, a:1, b:2.5} as Redis 7.4.1 writes it', () => {
    expect(encodeListpack([ascii('c'), ascii('-3'), ascii('a'), ascii('1'), ascii('b'), ascii('2.5')])).toEqual(ZSET_LP);
  });

  it('List a b c 1 2 300 70000 as Redis 7.4.1 writes it', () => {
    expect(encodeListpack(['a', 'b', 'c', '1', '2', '300', '70000'].map(ascii))).toEqual(LIST_LP);
  });

  it('Set a b c as Redis 7.4.1 writes it', () => {
    expect(encodeListpack(['a', 'b', 'c'].map(ascii))).toEqual(SET_LP);
  });

  it('Stream node elements as Redis 7.4.1 writes them', () => {
    expect(encodeListpack(decodeListpack(STREAM_NODE_LP))).toEqual(STREAM_NODE_LP);
  });

  it('No elements: the empty listpack', () => {
    expect(encodeListpack([])).toEqual(EMPTY_LP);
  });

  it.each([
    [0, [0x00, 0x01]],
    [127, [0x7f, 0x01]],
    [128, [0xc0 /* LP_ENCODING_13BIT_INT */, 0x80, 0x02]],
    [4095, [0xcf, 0xff, 0x02]],
    [-4096, [0xd0, 0x00, 0x02]],
    [4096, [0xf1 /* LP_ENCODING_16BIT_INT */, 0x00, 0x10, 0x03]],
    [-4097, [0xf1, 0xff, 0xef, 0x03]],
    [32768, [0xf2 /* LP_ENCODING_24BIT_INT */, 0x00, 0x80, 0x00, 0x04]],
    [-8388608, [0xf2, 0x00, 0x00, 0x80, 0x04]],
    [8388608, [0xf3 /* LP_ENCODING_32BIT_INT */, 0x00, 0x00, 0x80, 0x00, 0x05]],
    [2147483648, [0xf4 /* LP_ENCODING_64BIT_INT */, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x09]],
  ])('Integer %d: the smallest integer encoding', (v, bytes) => {
    const lp = encodeListpack([v]);
    expect(onlyEntry(lp)).toEqual(Uint8Array.from(bytes));
    expect(decodeListpack(lp)).toEqual([v]);
  });

  it.each([
    [63, [0xbf /* LP_ENCODING_6BIT_STR | 63 */], 1],
    [64, [0xe0 /* LP_ENCODING_12BIT_STR */, 0x40], 1],
    [126, [0xe0, 0x7e], 2],
    [4095, [0xef, 0xff], 2],
    [4096, [0xf0 /* LP_ENCODING_32BIT_STR */, 0x00, 0x10, 0x00, 0x00], 2],
  ])('String of %d bytes: header %j and a %d-byte backlen', (length, header, backlenSize) => {
    const s = new Uint8Array(length).fill(0x78);
    const entry = onlyEntry(encodeListpack([s]));
    expect(entry.subarray(0, header.length)).toEqual(Uint8Array.from(header));
    expect(entry.length).toBe(header.length + length + backlenSize);
    expect(decodeListpack(encodeListpack([s]))).toEqual([s]);
  });

  it.each(['999999999999999', '-999999999999999', '1000000000000000', '-9223372036854775808', '9223372036854775807', '4095', '-4097'])(
    'Canonical integer text %s: the same entry as the integer itself',
    (text) => {
      expect(encodeListpack([ascii(text)])).toEqual(encodeListpack([BigInt(text)]));
    },
  );

  test.prop([fc.stringMatching(/^-?[0-9]{0,21}$/)], { numRuns: 3000 })('parseCanonicalInt is string2ll: canonical decimal in int64 range', (text) => {
    const canonical = /^(0|-?[1-9][0-9]*)$/.test(text) && BigInt(text) >= -(2n ** 63n) && BigInt(text) < 2n ** 63n;
    expect(parseCanonicalInt(ascii(text))).toBe(canonical ? BigInt(text) : undefined);
  });

  it('Strings that are not canonical integers ("007", "-0", "+1", " 1"): stay strings', () => {
    const els = ['007', '-0', '+1', ' 1', '9223372036854775808'].map(ascii);
    expect(decodeListpack(encodeListpack(els))).toEqual(els);
  });

  it('More than 65535 elements: count saturates at 65535 and decoding counts by scanning', () => {
    const lp = encodeListpack(new Array(65536).fill(1));
    expect(lp[4]).toBe(0xff);
    expect(lp[5]).toBe(0xff);
    expect(decodeListpack(lp)).toHaveLength(65536);
  });
});

describe('encodeBacklen', () => {
  it.each([
    [1, [0x01]],
    [127, [0x7f]],
    [128, [0x01, 0x80]],
    [16382, [0x7f, 0xfe]],
    [16383, [0x00, 0xff, 0xff]],
    [2097150, [0x7f, 0xff, 0xfe]],
    [2097151, [0x00, 0xff, 0xff, 0xff]],
    [268435454, [0x7f, 0xff, 0xff, 0xfe]],
    [268435455, [0x00, 0xff, 0xff, 0xff, 0xff]],
  ])('Size %d: %j (strict < bounds, as lpEncodeBacklen)', (size, bytes) => {
    expect(encodeBacklen(size)).toEqual(Uint8Array.from(bytes));
  });

  it('Entry of exactly 16383 bytes: 3-byte backlen that the decoder accepts', () => {
    const s = new Uint8Array(16383 - 5).fill(0x61);
    const lp = encodeListpack([s]);
    expect(lp.length).toBe(6 + 16383 + 3 + 1);
    expect(decodeListpack(lp)).toEqual([s]);
  });
});

describe('listpack properties', () => {
  test.prop([listpackEntriesArb], { numRuns: 200 })('Round trip: decode(encode(xs)) = xs with integer text as integers', (els) => {
    const lp = encodeListpack(els);
    const decoded = decodeListpack(lp, 1000);
    expect(comparable(decoded)).toEqual(comparable(els.map(normalize)));
    expect(sameBytes(encodeListpack(decoded), lp)).toBe(true);
  });

  test.prop([listpackEntriesArb, fc.nat(), fc.integer({ min: 0, max: 255 })], { numRuns: 300 })(
    'Any single-byte change: elements or a LISTPACK_* FormatError with an offset inside the blob',
    (els, pos, byte) => {
      const lp = encodeListpack(els);
      const at = pos % lp.length;
      lp[at] = byte;
      try {
        decodeListpack(lp, 50);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect((e as FormatError).code).toMatch(/^LISTPACK_/);
        expect((e as FormatError).offset).toBeGreaterThanOrEqual(50);
        expect((e as FormatError).offset).toBeLessThan(50 + lp.length);
      }
    },
  );
});
