// Number parsing and formatting against Redis's rules (util.c) and values printed by real servers:
// FORMAT.md 11.4 (fpconv_dtoa, compiled from the Redis source), fixtures/corpus/README.md and the
// corpus zset scores (ZRANGE WITHSCORES of 7.0.15 and 7.2.6).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import {
  addLongDouble,
  d2string,
  formatDoubleG17,
  formatDoubleShortest,
  formatLongDoubleHuman,
  isString2ll,
  string2d,
  string2ld,
  string2ll,
} from '@redis-forensics/keyspace';

const CORPUS = join(import.meta.dirname, '../../../fixtures/corpus');

describe('string2ll', () => {
  it.each([
    ['0', 0n], ['-1', -1n], ['123', 123n],
    ['9223372036854775807', 9223372036854775807n], ['-9223372036854775808', -9223372036854775808n],
  ] as const)('Canonical integer %s: accepted', (text, value) => {
    expect(string2ll(text)).toBe(value);
  });
  it.each(['', '-0', '01', '+1', ' 1', '1 ', '1.0', '9223372036854775808', '-9223372036854775809', '0x10', '1e3', '-'])(
    'Non-canonical %j: rejected (util.c string2ll)',
    (text) => {
      expect(string2ll(text)).toBeNull();
    },
  );
  test.prop([fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })])('Round trip: string2ll(ll2string(v)) = v', (v) => {
    expect(string2ll(v.toString())).toBe(v);
  });
  test.prop([fc.stringMatching(/^-?[0-9x ]{0,21}$/)], { numRuns: 2000 })('isString2ll agrees with string2ll on integer-like text', (text) => {
    expect(isString2ll(text)).toBe(string2ll(text) !== null);
  });
  it.each(['0', '-1', '9223372036854775807', '', '-0', '01', '-', '9223372036854775808'])('isString2ll(%j) = string2ll(%j) !== null', (text) => {
    expect(isString2ll(text)).toBe(string2ll(text) !== null);
  });
});

describe('string2d (getDoubleFromObject)', () => {
  it.each([
    ['1.5', 1.5], ['-2.25', -2.25], ['inf', Infinity], ['-inf', -Infinity], ['+inf', Infinity], ['Infinity', Infinity],
    ['1e3', 1000], ['0x10', 16], ['0x1p3', 8], ['1.', 1], ['.5', 0.5], ['5e-324', 5e-324], ['-0', -0],
  ] as const)('%j: %d', (text, value) => {
    expect(Object.is(string2d(text), value)).toBe(true);
  });
  it.each(['', ' 1', '1 ', 'nan', 'abc', '1e400', '-1e400', '1e-400', '1e', '0x', '1,5'])('%j: rejected', (text) => {
    expect(string2d(text)).toBeNull();
  });
});

describe('Double formatting', () => {
  it.each([
    [100, '100'], [1e7, '10000000'], [1e8, '1e+8'], [1.2e9, '1.2e+9'], [1.5e8, '150000000'], [1e15, '1e+15'],
    [123456789012345680000, '123456789012345680000'], [1e21, '1e+21'], [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0.1, '0.1'], [12.5, '12.5'], [1234567.125, '1234567.125'], [1e-5, '0.00001'], [1.234e-5, '1.234e-5'],
    [1e-6, '0.000001'], [1.5e-7, '1.5e-7'], [5e-324, '5e-324'], [-0, '-0'], [Infinity, 'inf'], [-Infinity, '-inf'],
    // Grisu2 is not always shortest: the 7.2.6 server printed this score with 17 digits.
    [-342060.476344789, '-3.4206047634478903e+5'],
  ])('fpconv_dtoa(%d) = %s (FORMAT.md 11.4, Redis 7.2+)', (value, text) => {
    expect(formatDoubleShortest(value)).toBe(text);
  });

  it.each([
    [0.1, '0.10000000000000001'], [1e300, '1.0000000000000001e+300'], [3, '3'], [-2.25, '-2.25'], [1e17, '1e+17'],
    [1e16, '10000000000000000'], [0.0001, '0.0001'], [0.00001, '1.0000000000000001e-05'], [-0, '-0'],
  ])('%%.17g of %d = %s (glibc printf, Redis <= 7.0)', (value, text) => {
    expect(formatDoubleG17(value)).toBe(text);
  });

  it.each([
    ['7.2.6', formatDoubleShortest],
    ['7.4.1', formatDoubleShortest],
    ['7.0.15', d2string],
    ['6.2.16', d2string],
  ] as const)('Every zset score the %s server printed for rdb-full is reproduced', (version, format) => {
    const lines = readFileSync(join(CORPUS, version, 'rdb-full.expected.jsonl'), 'utf8').split('\n');
    const bad: string[] = [];
    for (const line of lines) {
      if (!line.includes('"type":"zset"')) continue;
      for (const [, text] of (JSON.parse(line) as { value: [string, string][] }).value) {
        const v = text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
        if (format(v) !== text && !(text === '0' && Object.is(v, 0))) bad.push(`${text} -> ${format(v)}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

describe('INCRBYFLOAT long double arithmetic (util.c string2ld, ld2string LD_STR_HUMAN)', () => {
  const incr = (a: string, b: string): string => {
    const x = string2ld(a);
    const y = string2ld(b);
    if (x === null || y === null) throw new Error('not a float');
    return formatLongDoubleHuman(addLongDouble(x, y));
  };

  it.each([
    // Redis documentation, INCRBYFLOAT / HINCRBYFLOAT examples.
    ['10.50', '0.1', '10.6'],
    ['10.6', '-5', '5.6'],
    ['5.0e3', '2.0e2', '5200'],
    // tests/unit/type/incr.tcl
    ['0', '10.5', '10.5'],
    ['1.5', '1.5', '3'],
    ['17179869184', '1.5', '17179869185.5'],
    ['17179869184', '17179869184', '34359738368'],
  ])('%s + %s = %s', (a, b, out) => {
    expect(incr(a, b)).toBe(out);
  });

  it('No negative zero (incr.tcl): 1/41 then -1/41 gives "0"', () => {
    const a = string2ld(String(1 / 41))!;
    const b = string2ld(String(-1 / 41))!;
    expect(formatLongDoubleHuman(addLongDouble(a, b))).toBe('0');
  });

  it.each([' 1', '1 ', '1\x002', 'abc', '', 'nan'])('string2ld rejects %j (incr.tcl: spaces, embedded NUL)', (text) => {
    expect(string2ld(text)).toBeNull();
  });
});
