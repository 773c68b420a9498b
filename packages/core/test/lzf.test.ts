import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { compressLzf, decompressLzf, FormatError } from '@redis-forensics/core';
import { catchFormatError, lzfInputArb } from '@redis-forensics/testkit';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);


// FORMAT.md 12.2: "a" x 100 compressed by Redis 7.4.1 (literal "aa", back-ref len 96 dist 1, literal "aa").
const A100_LZF = Buffer.from('016161e05700016161', 'hex');
// FORMAT.md 12.2: "hello hello hello hello hello" (29 bytes) compressed by Redis 7.4.1.
const HELLO5_LZF = Buffer.from('0668656c6c6f2068e00b05016c6f', 'hex');

describe('compressLzf', () => {
  it('"a" x 100 with capacity 96: the bytes Redis writes', () => {
    const out = compressLzf(ascii('a'.repeat(100)), 96);
    expect(out).toEqual(new Uint8Array(A100_LZF));
  });

  it('"hello hello hello hello hello" with capacity 25: the bytes Redis writes', () => {
    const out = compressLzf(ascii('hello hello hello hello hello'), 25);
    expect(out).toEqual(new Uint8Array(HELLO5_LZF));
  });

  it('Empty input: undefined (nothing to compress)', () => {
    expect(compressLzf(new Uint8Array(0), 10)).toBeUndefined();
  });

  it('Zero capacity: undefined', () => {
    expect(compressLzf(ascii('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'), 0)).toBeUndefined();
  });

  it('Incompressible bytes with capacity len - 4: undefined, as rdbSaveLzfStringObject gives up', () => {
    const noise = new Uint8Array(200).map((_, i) => (i * 167 + ((i * i) >> 3)) & 0xff);
    expect(compressLzf(noise, noise.length - 4)).toBeUndefined();
  });

  it('Capacity one byte short of the output: undefined; exact capacity: the same bytes', () => {
    const input = ascii('a'.repeat(100));
    expect(compressLzf(input, A100_LZF.length - 1)).toBeUndefined();
    expect(compressLzf(input, A100_LZF.length + 3)).toEqual(new Uint8Array(A100_LZF));
  });

  it('Huge capacity: output is still sized by the input (no capacity-sized allocation)', () => {
    const out = compressLzf(ascii('hello hello hello hello hello'), 2 ** 40);
    expect(out).toEqual(new Uint8Array(HELLO5_LZF));
  });

  it('One- and two-byte inputs: a single literal run', () => {
    expect(compressLzf(Uint8Array.of(7), 10)).toEqual(Uint8Array.of(0, 7));
    expect(compressLzf(Uint8Array.of(7, 8), 10)).toEqual(Uint8Array.of(1, 7, 8));
  });

  test.prop([lzfInputArb(3000)], { numRuns: 200 })(
    'Round trip: decompress(compress(x)) = x when the capacity allows the worst case',
    (input) => {
      const worst = input.length + Math.ceil(input.length / 32) + 4;
      const packed = compressLzf(input, worst);
      if (input.length === 0) {
        expect(packed).toBeUndefined();
        return;
      }
      expect(packed).toBeDefined();
      expect(Buffer.from(decompressLzf(packed!, input.length)).equals(Buffer.from(input))).toBe(true);
      expect(Buffer.from(compressLzf(input, 2 ** 31)!).equals(Buffer.from(packed!))).toBe(true);
    },
  );

  test.prop([fc.array(lzfInputArb(3000), { minLength: 1, maxLength: 8 }), lzfInputArb(3000)], { numRuns: 100 })(
    'The output does not depend on earlier calls (the hash table carries nothing over)',
    (earlier, input) => {
      const capacity = input.length + Math.ceil(input.length / 32) + 4;
      for (const e of earlier) compressLzf(e, e.length + 64);
      const after = compressLzf(input, capacity);
      compressLzf(input, capacity); // the same input again: its own entries are now in the table
      const again = compressLzf(input, capacity);
      expect(again === undefined ? undefined : Buffer.from(again).toString('hex')).toBe(after === undefined ? undefined : Buffer.from(after).toString('hex'));
      // Redis's own bytes still come out after any history.
      expect(compressLzf(ascii('a'.repeat(100)), 96)).toEqual(new Uint8Array(A100_LZF));
      expect(compressLzf(ascii('hello hello hello hello hello'), 25)).toEqual(new Uint8Array(HELLO5_LZF));
    },
  );

  test.prop([lzfInputArb(3000), fc.integer({ min: 1, max: 4000 })], { numRuns: 200 })(
    'Any capacity: the output never exceeds it, decompresses to the input, and equals the unconstrained output',
    (input, capacity) => {
      const packed = compressLzf(input, capacity);
      if (packed === undefined) return;
      expect(packed.length).toBeLessThanOrEqual(capacity);
      expect(Buffer.from(decompressLzf(packed, input.length)).equals(Buffer.from(input))).toBe(true);
      expect(Buffer.from(packed).equals(Buffer.from(compressLzf(input, input.length + Math.ceil(input.length / 32) + 4)!))).toBe(true);
    },
  );
});

describe('decompressLzf', () => {
  it('"a" x 100 (Redis 7.4.1 bytes): 100 "a"', () => {
    expect(decompressLzf(new Uint8Array(A100_LZF), 100)).toEqual(ascii('a'.repeat(100)));
  });

  it('"hello" x 5 (Redis 7.4.1 bytes): the original 29 bytes', () => {
    expect(decompressLzf(new Uint8Array(HELLO5_LZF), 29)).toEqual(ascii('hello hello hello hello hello'));
  });

  it('Back-reference before the start of the output: LZF_CORRUPT at the control byte', () => {
    // literal "a" (ctrl 0x00), then a back-reference ctrl 0x20 with distance 2 + 1 = 3 > 1 byte output.
    const e = catchFormatError(() => decompressLzf(Uint8Array.of(0x00, 0x61, 0x20, 0x02), 4, 1000));
    expect(e.code).toBe('LZF_CORRUPT');
    expect(e.offset).toBe(1002);
  });

  it('Literal run past the compressed data: LZF_CORRUPT at the control byte', () => {
    const e = catchFormatError(() => decompressLzf(Uint8Array.of(0x04, 0x61, 0x62), 5, 10));
    expect(e.code).toBe('LZF_CORRUPT');
    expect(e.offset).toBe(10);
  });

  it('Literal run past the declared output: LZF_CORRUPT', () => {
    const e = catchFormatError(() => decompressLzf(Uint8Array.of(0x02, 0x61, 0x62, 0x63), 2));
    expect(e.code).toBe('LZF_CORRUPT');
    expect(e.offset).toBe(0);
  });

  it('Back-reference past the declared output: LZF_CORRUPT', () => {
    const e = catchFormatError(() => decompressLzf(new Uint8Array(A100_LZF), 50));
    expect(e.code).toBe('LZF_CORRUPT');
  });

  it('Back-reference missing its offset byte: LZF_CORRUPT', () => {
    const e = catchFormatError(() => decompressLzf(Uint8Array.of(0x00, 0x61, 0x20), 4));
    expect(e.code).toBe('LZF_CORRUPT');
    expect(e.offset).toBe(2);
  });

  it('Long back-reference missing its length byte: LZF_CORRUPT', () => {
    const e = catchFormatError(() => decompressLzf(Uint8Array.of(0x00, 0x61, 0xe0), 40));
    expect(e.code).toBe('LZF_CORRUPT');
  });

  it('Output shorter than the stored length: LZF_LENGTH_MISMATCH', () => {
    const e = catchFormatError(() => decompressLzf(new Uint8Array(A100_LZF), 101, 7));
    expect(e.code).toBe('LZF_LENGTH_MISMATCH');
    expect(e.offset).toBe(7);
  });

  it('Stored length far beyond what the input can expand to: LZF_LENGTH_MISMATCH without allocating', () => {
    const started = performance.now();
    const e = catchFormatError(() => decompressLzf(Uint8Array.of(0x00, 0x61), 2 ** 32 - 1, 3));
    expect(e.code).toBe('LZF_LENGTH_MISMATCH');
    expect(e.offset).toBe(3);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('Empty compressed data: LZF_LENGTH_MISMATCH', () => {
    expect(catchFormatError(() => decompressLzf(new Uint8Array(0), 1)).code).toBe('LZF_LENGTH_MISMATCH');
  });

  test.prop([fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 6000 })], { numRuns: 300 })(
    'Any bytes and length: a result of exactly that length, or a FormatError',
    (input, length) => {
      try {
        expect(decompressLzf(input, length).length).toBe(length);
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect(['LZF_CORRUPT', 'LZF_LENGTH_MISMATCH']).toContain((e as FormatError).code);
      }
    },
  );
});
