import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { FormatError } from '@redis-forensics/core';
import { decodeZipmap, encodeZipmap } from '@redis-forensics/rdb';
import { catchFormatError, concatBytes, zipmapPairsArb } from '@redis-forensics/testkit';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);


// zmlen 2; "foo" => "bar" (free 0); "hello" => "world" (free 2, padding "xx"); end.
const ZIPMAP = concatBytes(
  Uint8Array.of(2),
  Uint8Array.of(3), ascii('foo'), Uint8Array.of(3, 0), ascii('bar'),
  Uint8Array.of(5), ascii('hello'), Uint8Array.of(5, 2), ascii('world'), ascii('xx'),
  Uint8Array.of(0xff), // ZIPMAP_END
);

describe('decodeZipmap', () => {
  it('Two pairs, one with free bytes: the pairs, padding skipped', () => {
    expect(decodeZipmap(ZIPMAP)).toEqual([
      [ascii('foo'), ascii('bar')],
      [ascii('hello'), ascii('world')],
    ]);
  });

  it('Empty zipmap (0, 0xff): no pairs', () => {
    expect(decodeZipmap(Uint8Array.of(0, 0xff))).toEqual([]);
  });

  it('Lengths of 254 and more: 0xfe + u32le', () => {
    const big = new Uint8Array(300).fill(0x62);
    const zm = encodeZipmap([[ascii('f'), big]]);
    expect(zm.subarray(3, 8)).toEqual(Uint8Array.of(0xfe /* ZIPMAP_BIGLEN */, 0x2c, 0x01, 0x00, 0x00));
    expect(decodeZipmap(zm)).toEqual([[ascii('f'), big]]);
  });

  it('zmlen 254 (unknown): counted by scanning', () => {
    const zm = ZIPMAP.slice();
    zm[0] = 254;
    expect(decodeZipmap(zm)).toHaveLength(2);
  });

  it('zmlen differing from the pairs: ZIPMAP_BAD_COUNT at the blob', () => {
    const zm = ZIPMAP.slice();
    zm[0] = 3;
    const e = catchFormatError(() => decodeZipmap(zm, 700));
    expect(e.code).toBe('ZIPMAP_BAD_COUNT');
    expect(e.offset).toBe(700);
  });

  it('Last byte not 0xff: ZIPMAP_MISSING_TERMINATOR at the last byte, as zipmapValidateIntegrity checks first', () => {
    for (const last of [0x00, 0x01, 0x05, 0xfe]) {
      const zm = ZIPMAP.slice();
      zm[zm.length - 1] = last;
      const e = catchFormatError(() => decodeZipmap(zm, 700));
      expect(e.code).toBe('ZIPMAP_MISSING_TERMINATOR');
      expect(e.offset).toBe(700 + zm.length - 1);
    }
  });

  it('End marker before the end of the blob: ZIPMAP_MISSING_TERMINATOR', () => {
    const zm = concatBytes(Uint8Array.of(0, 0xff, 0x00, 0xff));
    expect(catchFormatError(() => decodeZipmap(zm)).code).toBe('ZIPMAP_MISSING_TERMINATOR');
  });

  it('Field length past the blob: ZIPMAP_BAD_LENGTH at the length byte', () => {
    const zm = ZIPMAP.slice();
    zm[1] = 200;
    const e = catchFormatError(() => decodeZipmap(zm, 700));
    expect(e.code).toBe('ZIPMAP_BAD_LENGTH');
    expect(e.offset).toBe(701);
  });

  it('Value length plus free bytes past the blob: ZIPMAP_BAD_LENGTH', () => {
    const zm = ZIPMAP.slice();
    zm[6] = 100; // free byte of "bar"
    expect(catchFormatError(() => decodeZipmap(zm)).code).toBe('ZIPMAP_BAD_LENGTH');
  });

  it('4-byte length of 4 GB: ZIPMAP_BAD_LENGTH, no allocation', () => {
    const zm = Uint8Array.of(1, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff);
    expect(catchFormatError(() => decodeZipmap(zm)).code).toBe('ZIPMAP_BAD_LENGTH');
  });

  it('Shorter than 2 bytes: ZIPMAP_BAD_LENGTH', () => {
    expect(catchFormatError(() => decodeZipmap(Uint8Array.of(0xff))).code).toBe('ZIPMAP_BAD_LENGTH');
  });
});

describe('encodeZipmap', () => {
  it('Pairs: zmlen, then length/key, length/free/value, then 0xff', () => {
    expect(encodeZipmap([[ascii('a'), ascii('bc')]])).toEqual(concatBytes(Uint8Array.of(1, 1), ascii('a'), Uint8Array.of(2, 0), ascii('bc'), Uint8Array.of(0xff)));
  });

  it('254 pairs or more: zmlen 254', () => {
    const pairs: [Uint8Array, Uint8Array][] = Array.from({ length: 300 }, (_, i) => [ascii(`f${i}`), ascii('v')]);
    const zm = encodeZipmap(pairs);
    expect(zm[0]).toBe(254);
    expect(decodeZipmap(zm)).toHaveLength(300);
  });
});

describe('zipmap properties', () => {
  test.prop([zipmapPairsArb])('Round trip: decode(encode(pairs)) = pairs', (pairs) => {
    expect(decodeZipmap(encodeZipmap(pairs), 3)).toEqual(pairs);
  });

  test.prop([zipmapPairsArb, fc.nat(), fc.integer({ min: 0, max: 255 })], { numRuns: 300 })(
    'Any single-byte change: pairs or a ZIPMAP_* FormatError inside the blob',
    (pairs, pos, byte) => {
      const zm = encodeZipmap(pairs);
      zm[pos % zm.length] = byte;
      try {
        decodeZipmap(zm, 5);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect((e as FormatError).code).toMatch(/^ZIPMAP_/);
        expect((e as FormatError).offset).toBeGreaterThanOrEqual(5);
        expect((e as FormatError).offset).toBeLessThan(5 + zm.length);
      }
    },
  );
});
