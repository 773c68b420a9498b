// KEY_META (opcode 0xf3 in REDIS0013 files, Redis 8.6): skipped through its module annotations and
// reported on the key; in a VALKEY file the same byte is SLOT_IMPORT. Layout from FORMAT.md 7.1.

import { describe, expect, it } from 'vitest';

import { crc64 } from '@redis-forensics/core';
import { readRdb, writeLength, writeStringObject } from '@redis-forensics/rdb';
import { collect, feed, FEED_MODES } from '@redis-forensics/testkit';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

function withCrc(body: Uint8Array[]): Uint8Array {
  const total = body.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total + 9);
  let p = 0;
  for (const b of body) {
    out.set(b, p);
    p += b.length;
  }
  out[p] = 0xff; // RDB_OPCODE_EOF
  new DataView(out.buffer).setBigUint64(p + 1, crc64(out.subarray(0, p + 1)), true);
  return out;
}

/** Class spec: 4 chars of 6 bits (charset A-Z a-z 0-9 _ -) in bits 31..8, version in 7..3, flags in 2..0. */
function classSpec(name: string, version: number, flags: number): Uint8Array {
  const charset = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
  let bits = 0;
  for (const ch of name) bits = (bits << 6) | charset.indexOf(ch);
  const spec = ((bits << 8) | (version << 3) | flags) >>> 0;
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, spec, true);
  return b;
}

describe('KEY_META', () => {
  const file = withCrc([
    ascii('REDIS0013'),
    Uint8Array.of(0xfe), writeLength(0), // SELECTDB 0
    Uint8Array.of(0xf3), writeLength(1), // KEY_META, 1 class
    classSpec('ab_Z', 3, 1),
    writeLength(2), writeLength(77), // UINT item 77
    writeLength(5), writeStringObject(ascii('meta value')), // STRING item
    writeLength(0), // module EOF
    Uint8Array.of(0x00), writeStringObject(ascii('k')), writeStringObject(ascii('v')), // STRING k = v
    Uint8Array.of(0x00), writeStringObject(ascii('plain')), writeStringObject(ascii('x')),
  ]);

  it.each(FEED_MODES)('Redis 8.6 key with metadata (%s): class reported, key read, next key has none', async (mode) => {
    const events = await collect(readRdb(feed(file, mode, 7)));
    const keys = events.filter((e) => e.type === 'key');
    expect(keys).toHaveLength(2);
    const [k, plain] = keys;
    expect(Buffer.from(k!.key).toString()).toBe('k');
    expect(k!.offset).toBe(11); // the record starts at the KEY_META opcode: 9-byte header + SELECTDB 0 (2 bytes)
    expect(k!.keyMeta?.map((m) => [m.className, m.classVersion, m.flags])).toEqual([['ab_Z', 3, 1]]);
    expect(plain!.keyMeta).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: 'eof', checksum: 'match' });
  });

  it('Bad annotation inside KEY_META: MODULE_BAD_OPCODE at the bad sub-opcode', async () => {
    const bad = withCrc([
      ascii('REDIS0013'),
      Uint8Array.of(0xfe), writeLength(0),
      Uint8Array.of(0xf3), writeLength(1), classSpec('abcd', 0, 0),
      writeLength(9), // not a module sub-opcode
    ]);
    // 11 (opcode) + 1 (class count) + 4 (class spec) + 1 = the bad sub-opcode byte
    await expect(collect(readRdb(feed(bad, 'whole')))).rejects.toMatchObject({ code: 'MODULE_BAD_OPCODE', offset: 17 });
  });
});
