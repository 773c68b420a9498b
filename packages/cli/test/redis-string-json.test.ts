import { Buffer } from 'node:buffer';

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { redisStringBytes, redisStringJson, redisStringValue } from '../src/redis-string-json.js';

describe('redisStringJson', () => {
  it('Valid UTF-8: a JSON string', () => {
    expect(redisStringJson(Buffer.from('héllo "x"\n'))).toBe('"héllo \\"x\\"\\n"');
    expect(redisStringValue(Buffer.from('✓'))).toBe('✓');
  });

  it('Invalid UTF-8: {"b64": ...} of the raw bytes', () => {
    expect(redisStringJson(Buffer.from([0xff, 0x00]))).toBe('{"b64":"/wA="}');
    expect(redisStringValue(Buffer.from([0xc3]))).toEqual({ b64: 'ww==' });
  });

  it('View into a larger buffer: only the view is encoded', () => {
    const big = Buffer.from('xxabcxx');
    expect(redisStringJson(big.subarray(2, 5))).toBe('"abc"');
  });

  test.prop([fc.uint8Array({ maxLength: 64 })])('Any bytes: JSON text and value round-trip to the same bytes', (b) => {
    const viaText = JSON.parse(redisStringJson(b)) as Parameters<typeof redisStringBytes>[0];
    expect(Buffer.from(redisStringBytes(viaText))).toEqual(Buffer.from(b));
    expect(JSON.stringify(redisStringValue(b))).toBe(redisStringJson(b));
  });
});
