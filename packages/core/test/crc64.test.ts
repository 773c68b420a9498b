import { describe, expect, it } from 'vitest';

import { Crc64, crc64 } from '@redis-forensics/core';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

// The minimal Redis 7.4.1 RDB of FORMAT.md 12.3 (bytes 0..104, through the EOF opcode).
const MINIMAL_RDB_HEX =
  '524544495330303132fa0972656469732d76657205372e342e31fa0a72656469732d62697473c040fa056374696d65c23847016bfa08757365642d6d656dc258b50f00fa08616f662d62617365c000fe00fb0201' +
  '00016b0176fc00505c18a301000000016ec1e803ff';

describe('crc64', () => {
  it('Check value: "123456789" gives 0xe9c6d914c4b8d9ca', () => {
    expect(crc64(ascii('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('Empty input: 0', () => {
    expect(crc64(new Uint8Array(0))).toBe(0n);
  });

  it('Real RDB written by Redis 7.4.1: matches its stored trailer', () => {
    expect(crc64(Buffer.from(MINIMAL_RDB_HEX, 'hex'))).toBe(0xf2975eb085b4fce5n);
  });

  it('Incremental: any split gives the same CRC as one call', () => {
    const data = new Uint8Array(1000).map((_, i) => (i * 7919) & 0xff);
    const whole = crc64(data);
    for (const cut of [0, 1, 3, 7, 8, 9, 15, 16, 17, 500, 999, 1000]) {
      const c = new Crc64();
      c.update(data.subarray(0, cut));
      c.update(data.subarray(cut));
      expect(c.digest()).toBe(whole);
    }
  });
});
