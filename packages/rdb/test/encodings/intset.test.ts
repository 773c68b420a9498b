import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { FormatError } from '@redis-forensics/core';
import { decodeIntset, encodeIntset } from '@redis-forensics/rdb';
import { catchFormatError, intsetMembersArb } from '@redis-forensics/testkit';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));


/** An intset with the given header fields and members (which may contradict the header). */
function intsetBlob(encoding: number, length: number, members: readonly bigint[], width: number = encoding): Uint8Array {
  const out = new Uint8Array(8 + members.length * width);
  const view = new DataView(out.buffer);
  view.setUint32(0, encoding, true);
  view.setUint32(4, length, true);
  members.forEach((m, i) => {
    if (width === 2) view.setInt16(8 + 2 * i, Number(m), true);
    else if (width === 4) view.setInt32(8 + 4 * i, Number(m), true);
    else view.setBigInt64(8 + 8 * i, m, true);
  });
  return out;
}

const safe = (v: bigint): number | bigint => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

// FORMAT.md 12.4: intset {-7, 1, 2, 3} written by Redis 7.4.1.
const INTSET = hex('02000000 04000000 f9ff 0100 0200 0300');

describe('decodeIntset', () => {
  it('{-7, 1, 2, 3} (Redis 7.4.1): ascending members', () => {
    expect(decodeIntset(INTSET)).toEqual([-7, 1, 2, 3]);
  });

  it('32- and 64-bit widths: signed little-endian members', () => {
    expect(decodeIntset(encodeIntset([-70000, 70000]))).toEqual([-70000, 70000]);
    expect(decodeIntset(encodeIntset([-(2n ** 63n), 2n ** 63n - 1n]))).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
  });

  it('Over-wide intset (small members at width 8, never narrowed): read as the header says', () => {
    const blob = encodeIntset([1, 2], 8);
    expect(blob.length).toBe(8 + 16);
    expect(decodeIntset(blob)).toEqual([1, 2]);
  });

  it('Encoding 3: INTSET_BAD_ENCODING at the blob', () => {
    const blob = INTSET.slice();
    blob[0] = 3;
    const e = catchFormatError(() => decodeIntset(blob, 900));
    expect(e.code).toBe('INTSET_BAD_ENCODING');
    expect(e.offset).toBe(900);
  });

  it('Length 0: INTSET_BAD_LENGTH at the length field', () => {
    const e = catchFormatError(() => decodeIntset(intsetBlob(2, 0, []), 900));
    expect(e.code).toBe('INTSET_BAD_LENGTH');
    expect(e.offset).toBe(904);
  });

  it('Length not matching the blob size: INTSET_BAD_LENGTH', () => {
    const blob = INTSET.slice();
    blob[4] = 5;
    expect(catchFormatError(() => decodeIntset(blob)).code).toBe('INTSET_BAD_LENGTH');
    expect(catchFormatError(() => decodeIntset(INTSET.subarray(0, 15))).code).toBe('INTSET_BAD_LENGTH');
  });

  it('Huge length (4 G members) in a small blob: INTSET_BAD_LENGTH, no allocation', () => {
    expect(catchFormatError(() => decodeIntset(intsetBlob(8, 0xffffffff, [1n]))).code).toBe('INTSET_BAD_LENGTH');
  });

  it('Shorter than the header: INTSET_BAD_LENGTH', () => {
    expect(catchFormatError(() => decodeIntset(intsetBlob(2, 1, []).subarray(0, 3))).code).toBe('INTSET_BAD_LENGTH');
  });

  it('Members out of order: INTSET_NOT_SORTED at the offending member', () => {
    const blob = intsetBlob(2, 3, [1n, 3n, 2n]);
    const e = catchFormatError(() => decodeIntset(blob, 900));
    expect(e.code).toBe('INTSET_NOT_SORTED');
    expect(e.offset).toBe(900 + 12);
  });

  it('Duplicate members: INTSET_NOT_SORTED (strictly ascending)', () => {
    const e = catchFormatError(() => decodeIntset(intsetBlob(2, 2, [5n, 5n])));
    expect(e.code).toBe('INTSET_NOT_SORTED');
    expect(e.offset).toBe(10);
  });

  it('64-bit members out of order beyond 2^53: INTSET_NOT_SORTED', () => {
    const blob = encodeIntset([2n ** 60n, 2n ** 61n]);
    blob.set(blob.slice(16, 24), 8);
    expect(catchFormatError(() => decodeIntset(blob)).code).toBe('INTSET_NOT_SORTED');
  });
});

describe('encodeIntset', () => {
  it('{3, 1, -7, 2}: the bytes Redis 7.4.1 writes for {-7, 1, 2, 3}', () => {
    expect(encodeIntset([3, 1, -7, 2])).toEqual(INTSET);
  });

  it.each([
    [[32767, -32768], 2],
    [[32768], 4],
    [[-32769], 4],
    [[2147483647, -2147483648], 4],
    [[2147483648], 8],
    [[-2147483649], 8],
  ])('Members %j: width %d, the smallest that fits', (members, width) => {
    const blob = encodeIntset(members);
    expect(new DataView(blob.buffer).getUint32(0, true)).toBe(width);
    expect(blob.length).toBe(8 + members.length * width);
  });
});

describe('intset properties', () => {
  test.prop([intsetMembersArb])('Round trip: decode(encode(members)) = members, ascending', (members) => {
    const sorted = [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(decodeIntset(encodeIntset(members), 10)).toEqual(sorted.map(safe));
  });

  test.prop([intsetMembersArb, fc.constantFrom<2 | 4 | 8>(2, 4, 8)])('Round trip at a forced minimum width: same members', (members, width) => {
    const sorted = [...members].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(decodeIntset(encodeIntset(members, width))).toEqual(sorted.map(safe));
  });

  test.prop([intsetMembersArb, fc.nat(), fc.integer({ min: 0, max: 255 })], { numRuns: 300 })(
    'Any single-byte change: members or an INTSET_* FormatError inside the blob',
    (members, pos, byte) => {
      const blob = encodeIntset(members);
      blob[pos % blob.length] = byte;
      try {
        const out = decodeIntset(blob, 5);
        for (let i = 1; i < out.length; i++) expect(out[i]! > out[i - 1]!).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect((e as FormatError).code).toMatch(/^INTSET_/);
        expect((e as FormatError).offset).toBeGreaterThanOrEqual(5);
        expect((e as FormatError).offset).toBeLessThan(5 + blob.length);
      }
    },
  );
});
