import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { compileGlob, stringMatchLen } from '../src/glob.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');
const match = (pattern: string, key: string, nocase = false): boolean => stringMatchLen(bytes(pattern), bytes(key), nocase);

describe('stringMatchLen', () => {
  // [pattern, key, what Redis 7.0.15 KEYS answered] (latin1: each char is one byte)
  const cases: [string, string, boolean][] = [
    ['*', 'anything', true],
    ['', 'a', false],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'hllo', true],
    ['h*llo', 'heeeello', true],
    ['h[ae]llo', 'hello', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[a-b]llo', 'hcllo', false],
    ['h[b-a]llo', 'hallo', true],
    ['h\\*llo', 'h*llo', true],
    ['h\\*llo', 'hello', false],
    ['\\', '\\', true],
    ['a\\', 'a\\', true],
    ['[', 'a', false],
    ['[', '[', false],
    ['[a', 'a', true],
    ['[^', 'a', true],
    ['[]', ']', false],
    ['[]]', ']', false],
    ['[\\]]', ']', true],
    ['[a-]', '-', false],
    ['[a-]', 'a', true],
    ['[-a]', '-', true],
    ['[\\-]', '-', true],
    ['**a', 'a', true],
    ['a**', 'a', true],
    ['*a*b*', 'xaxbx', true],
    ['*a*b*', 'xbxax', false],
    ['user:*', 'user:1', true],
    ['user:*', 'users:1', false],
    ['*:[0-9][0-9]', 'k:42', true],
    ['*:[0-9][0-9]', 'k:4x', false],
    ['k\x00*', 'k\x00\xff', true],
    ['\xff?', '\xff\x00', true],
    ['[\x80-\xff]', '\x90', true],
    // Range bounds compare as signed chars (x86-64): 0xff is -1, so [a-\xff] is [\xff-a].
    ['[a-\xff]', 'A', true],
    ['[a-\xff]', 'b', false],
    ['[a-\xff]', '\x90', false],
    ['[\x00-\x7f]', '\x80', false],
    ['?', '\xe2\x9c\x93', false],
    ['???', '\xe2\x9c\x93', true],
    ['a*', 'A', false],
    ['[A-Z]*', 'Key', true],
    ['[[]', '[', true],
    ['[*]', '*', true],
    ['[*]', 'x', false],
    ['*[', 'x', false],
    ['x[', 'x', false],
    ['x*[', 'x', false],
  ];
  it.each(cases)('Pattern %j against %j: %s, as in Redis', (pattern, key, expected) => {
    expect(match(pattern, key)).toBe(expected);
  });

  it('Random patterns: same verdict as Redis 7.0.15 KEYS for every recorded pair', () => {
    const file = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'stringmatch-redis-7.0.15.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(3000);
    const wrong: string[] = [];
    for (const line of lines) {
      const [pattern, key, expected] = JSON.parse(line) as [string, string, boolean];
      if (stringMatchLen(Buffer.from(pattern, 'hex'), Buffer.from(key, 'hex')) !== expected) wrong.push(line);
    }
    expect(wrong).toEqual([]);
  });

  it('Empty string: matches only the empty pattern (stringmatchlen never enters its loop)', () => {
    expect(match('', '')).toBe(true);
    expect(match('*', '')).toBe(false);
    expect(match('?', '')).toBe(false);
  });

  it('Nocase: ASCII letters fold, in literals and ranges alike', () => {
    expect(match('HELLO', 'hello', true)).toBe(true);
    expect(match('h[A-C]llo', 'hbllo', true)).toBe(true);
    expect(match('h[abc]llo', 'hBllo', true)).toBe(true);
    expect(match('\xc4', '\xe4', true)).toBe(false); // tolower in the C locale is ASCII only
  });

  it('Many stars against a long non-matching string: answers quickly (skipLongerMatches)', () => {
    const start = performance.now();
    expect(match('a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(3000))).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('More than 1000 nested stars: no match (Redis nesting limit), no stack overflow', () => {
    expect(match('a*'.repeat(1100), 'a'.repeat(1200))).toBe(false);
    expect(match('a*'.repeat(900), 'a'.repeat(1200))).toBe(true);
  });

  test.prop([fc.uint8Array({ maxLength: 40 })])('Any key: escaping every byte gives a pattern matching exactly that key', (key) => {
    const pattern = Buffer.concat([...key].map((b) => Buffer.from([0x5c, b])));
    expect(stringMatchLen(pattern, key)).toBe(true);
    expect(stringMatchLen(pattern, Buffer.concat([key, Buffer.from('x')]))).toBe(false);
  });

  test.prop([fc.uint8Array({ minLength: 1, maxLength: 30 }), fc.infiniteStream(fc.integer({ min: 0, max: 3 }))])(
    'Any key: a pattern made from it with ? and * still matches it',
    (key, choices) => {
      const it = choices[Symbol.iterator]();
      const parts: number[] = [];
      for (const b of key) {
        const choice = it.next().value as number;
        if (choice === 0) parts.push(0x3f); // ?
        else if (choice === 1) parts.push(0x2a); // * (eats this byte)
        else if (b === 0x2a || b === 0x3f || b === 0x5b || b === 0x5c) parts.push(0x5c, b);
        else parts.push(b);
      }
      expect(stringMatchLen(Buffer.from(parts), key)).toBe(true);
    },
  );
});

describe('compileGlob', () => {
  it('"*": matches every key, the empty one too (as KEYS * and SCAN do)', () => {
    const all = compileGlob('*');
    expect(all(Buffer.alloc(0))).toBe(true);
    expect(all(bytes('\xff'))).toBe(true);
  });

  it('Text pattern: encoded as UTF-8, so ? matches one byte of a multi-byte character', () => {
    expect(compileGlob('caf\u00e9')(Buffer.from('caf\u00e9'))).toBe(true);
    expect(compileGlob('caf??')(Buffer.from('caf\u00e9'))).toBe(true);
    expect(compileGlob('caf?')(Buffer.from('caf\u00e9'))).toBe(false);
  });
});
