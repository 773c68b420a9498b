// fast-check arbitraries for the encodings and for whole crafted RDB files (STYLE.md 9.4). Each one
// leans towards the boundaries where encodings change form (6/14/32/64-bit lengths, INT8/16/32,
// listpack 7/13/16/24/32/64-bit ints and 6/12/32-bit strings, backlen and prevlen widths).

import { fc } from '@fast-check/vitest';

import {
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_STREAM_LISTPACKS_3,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from '@redis-forensics/rdb';

import { rdbBytes, streamNodeElements } from './rdb-builder.js';

import type { RdbBuilder } from './rdb-builder.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Arbitrary bytes, mostly short. */
export const bytesArb = (maxLength: number = 64): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ maxLength });

/**
 * Long byte strings of `minLength..maxLength` bytes, cheap to generate: noise from a seeded LCG,
 * half of them with a repeating stretch so that some compress.
 */
export const largeBytesArb = (minLength: number, maxLength: number): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.integer({ min: minLength, max: maxLength }), fc.integer(), fc.boolean()).map(([length, seed, runs]) => {
    const out = new Uint8Array(length);
    let x = seed | 0;
    for (let i = 0; i < length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      out[i] = runs && (i >> 6) % 3 === 0 ? 0x61 : x >>> 24;
    }
    return out;
  });

/** Bytes that LZF can compress: repeated short patterns, runs and some noise. */
export const compressibleBytesArb = (maxLength: number = 2000): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: maxLength }), fc.uint8Array({ maxLength: 16 }))
    .map(([pattern, length, noise]) => {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = pattern[i % pattern.length]!;
      for (let i = 0; i < noise.length; i++) out[(noise[i]! * 7919 + i) % length] = noise[i]!;
      return out;
    });

/** Input for LZF: anything from random bytes (incompressible) to long runs. */
export const lzfInputArb = (maxLength: number = 3000): fc.Arbitrary<Uint8Array> =>
  fc.oneof(bytesArb(Math.min(maxLength, 300)), compressibleBytesArb(maxLength));

/** A length as an unsigned 64-bit value, weighted to the 6/14/32/64-bit boundaries. */
export const rdbLengthArb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: 0n, max: 63n }),
  fc.bigInt({ min: 64n, max: 16383n }),
  fc.bigInt({ min: 16384n, max: 0xffffffffn }),
  fc.bigInt({ min: 0x100000000n, max: UINT64_MAX }),
  fc.constantFrom(0n, 63n, 64n, 16383n, 16384n, 0xffffffffn, 0x100000000n, 2n ** 53n - 1n, 2n ** 53n, UINT64_MAX),
);

/** Any int64, weighted to the width boundaries of every integer encoding. */
export const int64Arb: fc.Arbitrary<bigint> = fc.oneof(
  fc.bigInt({ min: -200n, max: 200n }),
  fc.constantFrom(
    0n, 12n, 13n, 127n, 128n, -128n, -129n, 4095n, 4096n, -4096n, -4097n, 32767n, 32768n, -32768n, -32769n,
    8388607n, 8388608n, -8388608n, -8388609n, 2147483647n, 2147483648n, -2147483648n, -2147483649n,
    2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) + 1n, -(2n ** 53n), INT64_MAX, INT64_MIN,
  ),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
);

/** Decimal text of an int64 as bytes (what Redis stores for integer-looking strings). */
export const intTextArb: fc.Arbitrary<Uint8Array> = int64Arb.map((v) => new TextEncoder().encode(v.toString()));

/** Text that looks numeric but is not canonical (`007`, `-0`, `+5`, ` 1`, `1.0`, 2^63). */
export const nonCanonicalIntTextArb: fc.Arbitrary<Uint8Array> = fc
  .oneof(
    fc.constantFrom('-0', '+5', '007', ' 1', '1 ', '1.0', '9223372036854775808', '-9223372036854775809', '', '-', '0x10', '1e3'),
    fc.nat().map((n) => `0${n}`),
  )
  .map((s) => new TextEncoder().encode(s));

/** Anything a Redis string may hold, for the string writer/reader round trip. */
export const rdbStringArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  bytesArb(80),
  intTextArb,
  nonCanonicalIntTextArb,
  compressibleBytesArb(600),
  largeBytesArb(16300, 16500),
);

/** One listpack element: bytes (any length form, sometimes integer-looking) or an integer. */
export const listpackEntryArb: fc.Arbitrary<Uint8Array | number | bigint> = fc.oneof(
  { arbitrary: bytesArb(70), weight: 4 },
  { arbitrary: largeBytesArb(60, 4200), weight: 1 },
  { arbitrary: intTextArb, weight: 2 },
  { arbitrary: int64Arb, weight: 3 },
  { arbitrary: fc.integer({ min: -5000, max: 5000 }), weight: 2 },
);

/** Elements of one listpack. */
export const listpackEntriesArb: fc.Arbitrary<(Uint8Array | number | bigint)[]> = fc.array(listpackEntryArb, { maxLength: 40 });

/** One ziplist element (same forms; long strings cross the 254-byte prevlen boundary). */
export const ziplistEntryArb: fc.Arbitrary<Uint8Array | number | bigint> = fc.oneof(
  { arbitrary: bytesArb(70), weight: 4 },
  { arbitrary: largeBytesArb(240, 600), weight: 1 },
  { arbitrary: intTextArb, weight: 2 },
  { arbitrary: int64Arb, weight: 3 },
);

/** Elements of one ziplist. */
export const ziplistEntriesArb: fc.Arbitrary<(Uint8Array | number | bigint)[]> = fc.array(ziplistEntryArb, { maxLength: 30 });

/** Distinct intset members (at least one), within 16, 32 or 64 bits. */
export const intsetMembersArb: fc.Arbitrary<bigint[]> = fc.oneof(
  fc.uniqueArray(fc.bigInt({ min: -32768n, max: 32767n }), { minLength: 1, maxLength: 60 }),
  fc.uniqueArray(fc.bigInt({ min: -2147483648n, max: 2147483647n }), { minLength: 1, maxLength: 60 }),
  fc.uniqueArray(int64Arb, { minLength: 1, maxLength: 60 }),
);

/** Zipmap pairs; lengths cross the 254-byte big-length boundary. */
export const zipmapPairsArb: fc.Arbitrary<[Uint8Array, Uint8Array][]> = fc.array(
  fc.tuple(
    fc.oneof(bytesArb(20), largeBytesArb(250, 300)),
    fc.oneof(bytesArb(20), largeBytesArb(250, 300)),
  ),
  { maxLength: 20 },
);

const keyNameArb: fc.Arbitrary<Uint8Array> = fc.uint8Array({ minLength: 0, maxLength: 12 });
const smallElementArb: fc.Arbitrary<Uint8Array> = fc.oneof(bytesArb(30), intTextArb, compressibleBytesArb(80));

function distinct(values: Uint8Array[]): Uint8Array[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = Buffer.from(v).toString('latin1');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const distinctElementsArb = (min: number, max: number): fc.Arbitrary<Uint8Array[]> =>
  fc.array(smallElementArb, { minLength: min, maxLength: max }).map(distinct).filter((a) => a.length >= min);

/** Writes one key record with the given key name. */
export type RdbRecordSpec = (b: RdbBuilder, key: Uint8Array) => void;

const scoreArb = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true }));

const pairsOf = (fs: Uint8Array[]): [Uint8Array, Uint8Array][] => fs.map((f) => [f, f]);

/** The value part of one key record of a type readable in RDB 12, valid for a deep reader. */
export const rdbValueRecordArb: fc.Arbitrary<RdbRecordSpec> = fc.oneof(
  smallElementArb.map((v): RdbRecordSpec => (b, k) => void b.stringKey(k, v)),
  fc.array(smallElementArb, { minLength: 1, maxLength: 8 }).map((els): RdbRecordSpec => (b, k) => void b.listKey(k, els)),
  distinctElementsArb(1, 8).map((els): RdbRecordSpec => (b, k) => void b.setKey(k, els)),
  distinctElementsArb(1, 6).chain((ms) =>
    fc.array(scoreArb, { minLength: ms.length, maxLength: ms.length }).map((ss): RdbRecordSpec => (b, k) => void b.zset2Key(k, ms.map((m, i) => [m, ss[i]!] as const))),
  ),
  distinctElementsArb(1, 6).map((fs): RdbRecordSpec => (b, k) => void b.hashKey(k, pairsOf(fs))),
  fc
    .array(fc.array(listpackEntryArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 })
    .map((nodes): RdbRecordSpec => (b, k) => void b.quicklist2Key(k, nodes.map((packed) => ({ packed })))),
  distinctElementsArb(1, 6).map((els): RdbRecordSpec => (b, k) => void b.listpackKey(RDB_TYPE_SET_LISTPACK, k, els)),
  distinctElementsArb(1, 5).map((fs): RdbRecordSpec => (b, k) => void b.listpackKey(RDB_TYPE_HASH_LISTPACK, k, fs.flatMap((f) => [f, f]))),
  distinctElementsArb(1, 5).map((ms): RdbRecordSpec => (b, k) => void b.listpackKey(RDB_TYPE_ZSET_LISTPACK, k, ms.flatMap((m, i) => [m, i]))),
  distinctElementsArb(1, 5).map((ms): RdbRecordSpec => (b, k) => void b.ziplistKey(RDB_TYPE_ZSET_ZIPLIST, k, ms.flatMap((m, i) => [m, -i]))),
  distinctElementsArb(1, 5).map((fs): RdbRecordSpec => (b, k) => void b.ziplistKey(RDB_TYPE_HASH_ZIPLIST, k, fs.flatMap((f) => [f, f]))),
  fc
    .array(ziplistEntryArb.filter((e) => !(e instanceof Uint8Array) || e.length < 300), { minLength: 1, maxLength: 6 })
    .map((els): RdbRecordSpec => (b, k) => void b.ziplistKey(RDB_TYPE_LIST_ZIPLIST, k, els)),
  intsetMembersArb.map((ms): RdbRecordSpec => (b, k) => void b.intsetKey(k, ms)),
  distinctElementsArb(1, 4).map((fs): RdbRecordSpec => (b, k) =>
    void b.hashListpackExKey(k, 0, fs.map((f, i) => ({ field: f, value: f, expireAt: i === 0 ? 1_900_000_000_000 : null }))),
  ),
  distinctElementsArb(1, 4).map((fs): RdbRecordSpec => (b, k) =>
    void b.hashMetadataKey(k, 1_900_000_000_000, fs.map((f, i) => ({ field: f, value: f, expireAt: i % 2 === 0 ? 1_900_000_000_000 + i : null }))),
  ),
  fc.array(fc.tuple(smallElementArb, smallElementArb), { minLength: 1, maxLength: 5 }).map((pairs): RdbRecordSpec => (b, k) => {
    const entries = pairs.map(([f, v], i) => ({ id: { ms: 1000n + BigInt(i), seq: BigInt(i % 2) }, fields: [[f, v]] as const }));
    const node = streamNodeElements(entries);
    b.streamKey(RDB_TYPE_STREAM_LISTPACKS_3, k, { nodes: [node], length: entries.length, lastId: entries[entries.length - 1]!.id, firstId: entries[0]!.id });
  }),
);

/** One key record with optional EXPIRETIME_MS / IDLE / FREQ prefixes. */
export const rdbRecordArb: fc.Arbitrary<RdbRecordSpec> = fc
  .tuple(
    fc.option(fc.integer({ min: 0, max: 2 ** 47 }), { nil: undefined }),
    fc.option(fc.integer({ min: 0, max: 100000 }), { nil: undefined }),
    fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
    rdbValueRecordArb,
  )
  .map(([expireAt, idle, freq, write]): RdbRecordSpec => (b, key) => {
    if (expireAt !== undefined) b.expireMs(expireAt);
    if (idle !== undefined) b.idle(idle);
    if (freq !== undefined) b.freq(freq);
    write(b, key);
  });

/** A whole crafted RDB file (RDB 12): aux fields, one or two dbs of records, checksum. */
export const craftedRdbArb: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.boolean(),
    fc.array(fc.tuple(keyNameArb, rdbRecordArb), { minLength: 1, maxLength: 6 }),
    fc.array(fc.tuple(keyNameArb, rdbRecordArb), { maxLength: 3 }),
  )
  .map(([compress, db0, db3]) => {
    const b = rdbBytes(12, { compress }).aux('redis-ver', '7.4.1').aux('redis-bits', '64');
    // Key names must be unique per db: prefix each with its index.
    const named = (i: number, k: Uint8Array): Uint8Array => new Uint8Array([...new TextEncoder().encode(`${i}:`), ...k]);
    b.selectDb(0).resizeDb(db0.length, 0);
    db0.forEach(([k, r], i) => r(b, named(i, k)));
    if (db3.length > 0) {
      b.selectDb(3).resizeDb(db3.length, 0);
      db3.forEach(([k, r], i) => r(b, named(i, k)));
    }
    return b.eof();
  });
