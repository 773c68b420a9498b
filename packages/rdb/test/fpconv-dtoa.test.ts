import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { fpconvDtoa } from '@redis-forensics/rdb';

describe('fpconvDtoa', () => {
  // FORMAT.md 11.4, outputs of Redis 7.2's fpconv_dtoa.
  const table: [number, string][] = [
    [100, '100'],
    [1e7, '10000000'],
    [1e8, '1e+8'],
    [1.2e9, '1.2e+9'],
    [1.5e8, '150000000'],
    [1e15, '1e+15'],
    [123456789012345680000, '123456789012345680000'],
    [1e21, '1e+21'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0.1, '0.1'],
    [12.5, '12.5'],
    [1234567.125, '1234567.125'],
    [1e-5, '0.00001'],
    [1.234e-5, '1.234e-5'],
    [1e-6, '0.000001'],
    [1.5e-7, '1.5e-7'],
    [5e-324, '5e-324'],
    [-0, '-0'],
    [0, '0'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [-2.25, '-2.25'],
    [1e300, '1e+300'],
    [-1e-310, '-1e-310'],
    [123456789.123, '123456789.123'],
    [1234.56789012345, '1234.56789012345'],
  ];
  it.each(table)('%d: %s', (value, text) => {
    expect(fpconvDtoa(value)).toBe(text);
  });

  test.prop([fc.double({ noNaN: true })])('Any double: the text parses back to the same double', (value) => {
    const text = fpconvDtoa(value);
    const parsed = text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
    expect(Object.is(parsed, value)).toBe(true);
  });
});
