import { readFileSync } from 'node:fs';

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { ByteWindow, FormatError } from '@redis-forensics/core';
import { encodeListpack, readLengthOrEncoding, readRdb, readStringObject, writeLength } from '@redis-forensics/rdb';
import {
  collect,
  concatBytes,
  craftedRdbArb,
  feed,
  FEED_MODES,
  rdbBytes,
  rdbLzfString,
  rdbString,
  readRdbError,
} from '@redis-forensics/testkit';

import type { RdbEvent, RdbKeyEvent, ReadRdbOptions } from '@redis-forensics/rdb';
import type { FeedMode } from '@redis-forensics/testkit';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const corpus = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../../fixtures/corpus/${name}`, import.meta.url)));

/** The error readRdb throws for `bytes` fed in `mode`; the same code, offset, phase and key in every mode. */
const readError = (bytes: Uint8Array, mode: FeedMode, options: ReadRdbOptions = {}): Promise<FormatError> => readRdbError(bytes, mode, options, 9, 97);

// FORMAT.md 12.2: "a" x 100 compressed by Redis 7.4.1.
const A100_LZF = Uint8Array.of(0x01, 0x61, 0x61, 0xe0, 0x57, 0x00, 0x01, 0x61, 0x61);

const LFU = corpus('7.4.1/rdb-lfu.rdb');
const LFU_EVENTS: RdbEvent[] = await collect(readRdb(feed(LFU, 'whole')));
const NOCOMPRESS_28 = corpus('2.8.24/rdb-nocompress.rdb');
const NOCOMPRESS_28_EVENTS: RdbEvent[] = await collect(readRdb(feed(NOCOMPRESS_28, 'whole')));

/** Cut points for a file: every event's offset, the byte after it, its middle and its last byte. */
function cutPoints(events: RdbEvent[]): { cut: number; event: RdbEvent }[] {
  const out = new Map<number, RdbEvent>();
  for (const e of events) {
    for (const c of [e.offset, e.offset + 1, Math.floor((e.offset + e.end) / 2), e.end - 1]) {
      if (c < e.end && !out.has(c)) out.set(c, e);
    }
  }
  return [...out].map(([cut, event]) => ({ cut, event }));
}

// Small real files (so that every cut is read in every feed mode): RDB 12 with FREQ prefixes, RDB 12
// with module values and module AUX, RDB 9 with ziplists and a stream.
const TRUNCATION_FILES: [string, Uint8Array, RdbEvent[]][] = [['Redis 7.4.1 rdb-lfu', LFU, LFU_EVENTS]];
for (const [name, file] of [['Redis 7.4.1 rdb-module', '7.4.1/rdb-module.rdb'], ['Redis 5.0.14 rdb-lfu', '5.0.14/rdb-lfu.rdb']] as const) {
  const bytes = corpus(file);
  TRUNCATION_FILES.push([name, bytes, await collect(readRdb(feed(bytes, 'whole')))]);
}

describe('Truncated files', () => {
  for (const [name, bytes, events] of TRUNCATION_FILES) {
    it.each(FEED_MODES)(`${name} cut at every event boundary and inside every event: RDB_UNEXPECTED_EOF at the cut (%s)`, async (mode) => {
      const cuts = cutPoints(events);
      expect(cuts.length).toBeGreaterThan(3 * events.length);
      for (const { cut, event } of cuts) {
        const e = await readError(bytes.subarray(0, cut), mode);
        expect([cut, e.code, e.offset]).toEqual([cut, 'RDB_UNEXPECTED_EOF', cut]);
        if (cut === event.offset) expect([cut, e.phase, e.key]).toEqual([cut, event.type === 'header' ? 'read-header' : 'read-type', undefined]);
        if (event.type === 'key' && cut === event.end - 1) {
          expect([cut, e.phase, e.key]).toEqual([cut, 'read-object-value', event.key]);
        }
        if (e.key !== undefined) expect(event.type === 'key' && event.key).toEqual(e.key);
        if (event.type === 'eof' && cut > event.offset) expect(e.phase).toBe('check-sum');
      }
    });

    it.each(FEED_MODES)(`${name} cut anywhere, file size known: RDB_UNEXPECTED_EOF at the cut (%s)`, async (mode) => {
      for (const { cut } of cutPoints(events)) {
        const e = await readError(bytes.subarray(0, cut), mode, { fileSize: cut });
        expect([cut, e.code, e.offset]).toEqual([cut, 'RDB_UNEXPECTED_EOF', cut]);
      }
    });
  }

  it.each(FEED_MODES)('Empty file: RDB_UNEXPECTED_EOF at 0 while reading the header (%s)', async (mode) => {
    const e = await readError(new Uint8Array(0), mode);
    expect([e.code, e.offset, e.phase]).toEqual(['RDB_UNEXPECTED_EOF', 0, 'read-header']);
  });

  it.each(FEED_MODES)('RDB 9+ file ending right after the EOF opcode: RDB_UNEXPECTED_EOF where the checksum would start (%s)', async (mode) => {
    const bytes = rdbBytes(9).stringKey('k', 'v').eof();
    const e = await readError(bytes.subarray(0, bytes.length - 8), mode);
    expect([e.code, e.offset, e.phase]).toEqual(['RDB_UNEXPECTED_EOF', bytes.length - 8, 'check-sum']);
  });
});

describe('Checksum', () => {
  const eof = LFU_EVENTS.at(-1)!;

  it.each(FEED_MODES)('Each of the 8 trailer bytes of a real file flipped: RDB_CHECKSUM_MISMATCH at the trailer (%s)', async (mode) => {
    for (let i = 0; i < 8; i++) {
      const bytes = LFU.slice();
      bytes[eof.offset + 1 + i]! ^= 0x01 << i % 8;
      const e = await readError(bytes, mode);
      expect([i, e.code, e.offset, e.phase]).toEqual([i, 'RDB_CHECKSUM_MISMATCH', eof.offset + 1, 'check-sum']);
    }
  });

  it.each(FEED_MODES)('A value byte changed, trailer kept: RDB_CHECKSUM_MISMATCH (%s)', async (mode) => {
    const bytes = rdbBytes(12).stringKey('k', 'v').eof();
    bytes[13] = 0x77; // "v" -> "w"
    const e = await readError(bytes, mode);
    expect([e.code, e.offset]).toEqual(['RDB_CHECKSUM_MISMATCH', bytes.length - 8]);
  });
});

describe('Header', () => {
  it.each(FEED_MODES)('Bad magic: RDB_BAD_MAGIC at 0 (%s)', async (mode) => {
    for (const magic of ['REDIX0012', 'redis0012', 'REDIS00a2', 'VALKEY08x', 'VALKEI080', '\x00\x00\x00\x00\x00\x00\x00\x00\x00', 'REDIS012 ']) {
      const bytes = rdbBytes(12).stringKey('k', 'v').eof();
      bytes.set(ascii(magic).subarray(0, 9), 0);
      const e = await readError(bytes, mode);
      expect([magic, e.code, e.offset, e.phase]).toEqual([magic, 'RDB_BAD_MAGIC', 0, 'read-header']);
    }
  });

  it.each(FEED_MODES)('Version 99: RDB_UNSUPPORTED_VERSION at the version digits (%s)', async (mode) => {
    const e = await readError(rdbBytes(99).eof(), mode);
    expect([e.code, e.offset, e.phase]).toEqual(['RDB_UNSUPPORTED_VERSION', 5, 'read-header']);
  });

  it.each(FEED_MODES)('Versions 0 and 14 (REDIS), 79 and 82 (VALKEY): RDB_UNSUPPORTED_VERSION (%s)', async (mode) => {
    for (const [version, magic, at] of [[0, 'REDIS', 5], [14, 'REDIS', 5], [79, 'VALKEY', 6], [82, 'VALKEY', 6]] as const) {
      const e = await readError(rdbBytes(version, { magic }).eof(), mode);
      expect([version, e.code, e.offset]).toEqual([version, 'RDB_UNSUPPORTED_VERSION', at]);
    }
  });
});

describe('Unknown type byte', () => {
  it.each(FEED_MODES)('A real key whose type byte is 0x1f: RDB_UNKNOWN_TYPE at that byte, no key yet (%s)', async (mode) => {
    const key = NOCOMPRESS_28_EVENTS.find((e): e is RdbKeyEvent => e.type === 'key' && e.encoding === 'set-intset')!;
    const bytes = NOCOMPRESS_28.slice();
    bytes[key.offset] = 0x1f;
    const e = await readError(bytes, mode);
    expect([e.code, e.offset, e.phase, e.key]).toEqual(['RDB_UNKNOWN_TYPE', key.offset, 'read-type', undefined]);
  });

  it.each(FEED_MODES)(
    'Error right after an empty collection: names no key, not the empty one (%s)',
    async (mode) => {
      const b = rdbBytes(9).selectDb(0).setKey('s', []).mark('bad').raw(Uint8Array.of(0x1f, 1, 0x61));
      const e = await readError(b.eof(), mode, { deep: false });
      expect([e.code, e.offset, e.key]).toEqual(['RDB_UNKNOWN_TYPE', b.at('bad'), undefined]);
    },
  );
});

describe('Lying lengths', () => {
  /** A small RDB whose one string value has the given length prefix and only 3 bytes of data. */
  const lyingString = (prefix: Uint8Array): Uint8Array =>
    rdbBytes(12).selectDb(0).rawKey(0, 'k', concatBytes(prefix, ascii('abc'))).stringKey('next', 'v').eof();

  it.each(FEED_MODES)('4 GB string length in a small file: RDB_LIMIT_EXCEEDED at the length, quickly (%s)', async (mode) => {
    const started = performance.now();
    const e = await readError(lyingString(writeLength(0xffffffff)), mode);
    expect([e.code, e.offset, e.phase, e.key]).toEqual(['RDB_LIMIT_EXCEEDED', 14, 'read-object-value', ascii('k')]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each(FEED_MODES)('2^60 string length (64-bit form): RDB_LIMIT_EXCEEDED (%s)', async (mode) => {
    expect((await readError(lyingString(writeLength(2n ** 60n)), mode)).code).toBe('RDB_LIMIT_EXCEEDED');
  });

  it.each(FEED_MODES)('4 GB string length, limit raised, file size known: RDB_UNEXPECTED_EOF at the file size (%s)', async (mode) => {
    const bytes = lyingString(writeLength(0xffffffff));
    const e = await readError(bytes, mode, { maxStringBytes: 2 ** 33, fileSize: bytes.length });
    expect([e.code, e.offset]).toEqual(['RDB_UNEXPECTED_EOF', bytes.length]);
  });

  it.each(FEED_MODES)('400 MB string length, size unknown: RDB_UNEXPECTED_EOF at the file length, without allocating it (%s)', async (mode) => {
    const bytes = lyingString(writeLength(400 * 1024 * 1024));
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    const e = await readError(bytes, mode);
    expect([e.code, e.offset]).toEqual(['RDB_UNEXPECTED_EOF', bytes.length]);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each(FEED_MODES)('LZF string whose stored length is far beyond what its data can expand to: LZF_LENGTH_MISMATCH, quickly (%s)', async (mode) => {
    const started = performance.now();
    const value = rdbLzfString(A100_LZF, 500 * 1024 * 1024);
    const e = await readError(rdbBytes(12).selectDb(0).rawKey(0, 'k', value).eof(), mode);
    expect([e.code, e.offset, e.phase, e.key]).toEqual(['LZF_LENGTH_MISMATCH', 14 + 1 + 1 + 5, 'read-object-value', ascii('k')]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each(FEED_MODES)('LZF string whose stored length exceeds maxStringBytes: RDB_LIMIT_EXCEEDED at the ulen field (%s)', async (mode) => {
    const value = rdbLzfString(A100_LZF, 2n ** 40n);
    const e = await readError(rdbBytes(12).selectDb(0).rawKey(0, 'k', value).eof(), mode);
    expect([e.code, e.offset]).toEqual(['RDB_LIMIT_EXCEEDED', 16]);
  });

  it.each(FEED_MODES)('LZF compressed length past the file: RDB_UNEXPECTED_EOF at the file length (%s)', async (mode) => {
    const bytes = rdbBytes(12).selectDb(0).rawKey(0, 'k', concatBytes(Uint8Array.of(0xc3), writeLength(100000), writeLength(200000), ascii('abc'))).eof();
    const e = await readError(bytes, mode);
    expect([e.code, e.offset]).toEqual(['RDB_UNEXPECTED_EOF', bytes.length]);
  });

  it.each(FEED_MODES)('List of 2^32 - 1 elements in a small file: RDB_UNEXPECTED_EOF at the file length (%s)', async (mode) => {
    const bytes = rdbBytes(12).selectDb(0).rawKey(1, 'l', concatBytes(writeLength(0xffffffff), Uint8Array.of(1, 0x61))).bytes();
    const started = performance.now();
    const e = await readError(bytes, mode);
    expect([e.code, e.offset, e.key]).toEqual(['RDB_UNEXPECTED_EOF', bytes.length, ascii('l')]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it.each(FEED_MODES)('List of 2^32 - 1 elements, file size known: RDB_UNEXPECTED_EOF before reading any element (%s)', async (mode) => {
    const bytes = rdbBytes(12).selectDb(0).rawKey(1, 'l', concatBytes(writeLength(0xffffffff), Uint8Array.of(1, 0x61))).eof();
    const e = await readError(bytes, mode, { fileSize: bytes.length });
    expect([e.code, e.offset]).toEqual(['RDB_UNEXPECTED_EOF', bytes.length]);
  });

  it.each(FEED_MODES)('Set of 1000 members with maxElementCount 100: RDB_LIMIT_EXCEEDED at the count (%s)', async (mode) => {
    const bytes = rdbBytes(12).selectDb(0).setKey('s', Array.from({ length: 1000 }, (_, i) => `m${i}`)).eof();
    const e = await readError(bytes, mode, { maxElementCount: 100 });
    expect([e.code, e.offset, e.key]).toEqual(['RDB_LIMIT_EXCEEDED', 14, ascii('s')]);
  });

  it.each(FEED_MODES)('String of 100 bytes with maxStringBytes 64: RDB_LIMIT_EXCEEDED (%s)', async (mode) => {
    const bytes = rdbBytes(12, { compress: false }).selectDb(0).stringKey('k', 'x'.repeat(100)).eof();
    const e = await readError(bytes, mode, { maxStringBytes: 64 });
    expect([e.code, e.offset]).toEqual(['RDB_LIMIT_EXCEEDED', 14]);
  });
});

describe('Corrupt values', () => {
  it.each(FEED_MODES)('Duplicate set member: RDB_DUPLICATE_ELEMENT with the key; accepted when deep is false (%s)', async (mode) => {
    const bytes = rdbBytes(12).selectDb(0).setKey('s', ['a', 'b', 'a']).eof();
    const e = await readError(bytes, mode);
    expect([e.code, e.key, e.phase]).toEqual(['RDB_DUPLICATE_ELEMENT', ascii('s'), 'read-object-value']);
    const events = await collect(readRdb(feed(bytes, mode, 3, 5), { deep: false }));
    expect(events.find((ev) => ev.type === 'key')).toMatchObject({ value: { kind: 'set', members: ['a', 'b', 'a'].map(ascii) } });
  });

  it.each(FEED_MODES)('NaN binary score in a ZSET_2: RDB_BAD_DOUBLE at the score (%s)', async (mode) => {
    const b = rdbBytes(12).selectDb(0).zset2Key('z', [['a', NaN]]);
    const e = await readError(b.eof(), mode);
    expect([e.code, e.offset]).toEqual(['RDB_BAD_DOUBLE', 11 + 1 + 2 + 1 + 2]);
  });

  it.each(FEED_MODES)('Quicklist node container 3: QUICKLIST_BAD_CONTAINER (%s)', async (mode) => {
    const bytes = rdbBytes(12).selectDb(0).rawKey(18, 'q', concatBytes(Uint8Array.of(1, 3, 1, 0x61))).eof();
    expect((await readError(bytes, mode)).code).toBe('QUICKLIST_BAD_CONTAINER');
  });

  it.each(FEED_MODES)('Stream node key of 15 bytes: STREAM_BAD_NODE_KEY (%s)', async (mode) => {
    const bytes = rdbBytes(12).selectDb(0).rawKey(21, 's', concatBytes(Uint8Array.of(1, 15), new Uint8Array(15))).eof();
    expect((await readError(bytes, mode)).code).toBe('STREAM_BAD_NODE_KEY');
  });

  it.each(FEED_MODES)('SELECTDB 2^40: RDB_BAD_SELECTDB (%s)', async (mode) => {
    expect((await readError(rdbBytes(12).selectDb(2n ** 40n).eof(), mode)).code).toBe('RDB_BAD_SELECTDB');
  });

  it.each(FEED_MODES)('SLOT_INFO slot 16384: RDB_BAD_SLOT_INFO (%s)', async (mode) => {
    expect((await readError(rdbBytes(12).slotInfo(16384, 1, 0).eof(), mode)).code).toBe('RDB_BAD_SLOT_INFO');
  });

  it.each(FEED_MODES)(
    'Listpack error inside an LZF-compressed value: offset points at the compressed data, inside the record (%s)',
    async (mode) => {
      const blob = encodeListpack(Array.from({ length: 40 }, (_, i) => ascii(`field-${i % 4}-padding-padding`)));
      blob[blob.length - 1] = 0x00; // no terminator
      const b = rdbBytes(12).selectDb(0).mark('key').rawKey(16, 'h', rdbString(blob)).mark('end');
      expect(rdbString(blob)[0]).toBe(0xc3); // the value really is LZF-compressed
      const bytes = b.eof();
      const e = await readError(bytes, mode);
      expect(e.code).toBe('LISTPACK_MISSING_TERMINATOR');
      expect(e.offset).toBeGreaterThanOrEqual(b.at('key'));
      expect(e.offset).toBeLessThan(b.at('end'));
    },
  );

  it.each(FEED_MODES)('Length prefix 0x82 where a count stands: RDB_BAD_LENGTH_ENCODING at it (%s)', async (mode) => {
    const e = await readError(rdbBytes(12).selectDb(0).rawKey(1, 'l', Uint8Array.of(0x82, 0, 0, 0, 0)).eof(), mode);
    expect([e.code, e.offset]).toEqual(['RDB_BAD_LENGTH_ENCODING', 14]);
  });
});

/** Where the raw (not LZF) value string of a key record starts and how long it is. */
function valueBlob(bytes: Uint8Array, key: RdbKeyEvent, version: number): { blobStart: number; blobLength: number } {
  const w = new ByteWindow();
  w.reset(bytes, 0, 0);
  w.seek(key.offset);
  expect(w.readUint8()).toBe(key.rdbType);
  expect(readStringObject(w, { maxStringBytes: 1 << 30, fileSize: undefined, version })).toEqual(key.key);
  const blobLength = readLengthOrEncoding(w, version);
  expect(blobLength).toBeGreaterThan(0); // a raw string, so positions in the blob are positions in the file
  return { blobStart: w.position, blobLength };
}

function findKey(events: RdbEvent[], encoding: string, name: string): RdbKeyEvent {
  const k = events.find((e): e is RdbKeyEvent => e.type === 'key' && e.encoding === encoding && Buffer.from(e.key).toString('latin1') === name);
  expect(k).toBeDefined();
  return k!;
}

/** Size of the first listpack element's encoding+data. */
function firstListpackEntrySize(blob: Uint8Array): number {
  const b = blob[6]!;
  if (b < 0x80) return 1;
  if (b < 0xc0) return 1 + (b & 0x3f);
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 2 + (((b & 0x0f) << 8) | blob[7]!);
  return ({ 0xf1: 3, 0xf2: 4, 0xf3: 5, 0xf4: 9 } as Record<number, number>)[b]!;
}

/** Size of the first ziplist entry (1-byte prevlen, encoding, data). */
function firstZiplistEntrySize(blob: Uint8Array): number {
  const enc = blob[11]!;
  if (enc >> 6 === 0) return 2 + (enc & 0x3f);
  if (enc >> 6 === 1) return 3 + (((enc & 0x3f) << 8) | blob[12]!);
  if (enc >> 6 === 2) return 7 + new DataView(blob.buffer, blob.byteOffset).getUint32(12, false);
  return 2 + (({ 0xc0: 2, 0xd0: 4, 0xe0: 8, 0xf0: 3, 0xfe: 1 } as Record<number, number>)[enc] ?? 0);
}

interface ContainerCase {
  title: string;
  file: string;
  encoding: string;
  key: string;
  code: string;
  /** Corrupt the blob in place; return the offending position inside it. */
  corrupt: (blob: Uint8Array) => number;
}

const CONTAINER_CASES: ContainerCase[] = [
  {
    title: 'Listpack backlen of the first field of hash "s:hash" (Redis 7.4.1)',
    file: '7.4.1/rdb-nocompress.rdb',
    encoding: 'hash-listpack',
    key: 's:hash',
    code: 'LISTPACK_BAD_BACKLEN',
    corrupt: (blob) => {
      const at = 6 + firstListpackEntrySize(blob);
      blob[at] = blob[at]! + 1;
      return at;
    },
  },
  {
    title: 'Ziplist prevlen of the second entry of hash "s:hash" (Redis 2.8.24)',
    file: '2.8.24/rdb-nocompress.rdb',
    encoding: 'hash-ziplist',
    key: 's:hash',
    code: 'ZIPLIST_BAD_PREVLEN',
    corrupt: (blob) => {
      const at = 10 + firstZiplistEntrySize(blob);
      blob[at] = blob[at]! + 1;
      return at;
    },
  },
  {
    title: 'Intset order of set "s:set" (first two members swapped, Redis 2.8.24)',
    file: '2.8.24/rdb-nocompress.rdb',
    encoding: 'set-intset',
    key: 's:set',
    code: 'INTSET_NOT_SORTED',
    corrupt: (blob) => {
      const width = blob[0]!;
      const first = blob.slice(8, 8 + width);
      blob.copyWithin(8, 8 + width, 8 + 2 * width);
      blob.set(first, 8 + width);
      return 8 + width;
    },
  },
  {
    title: 'Zipmap terminator of hash "s:hash" (Redis 2.4.18)',
    file: '2.4.18/rdb-nocompress.rdb',
    encoding: 'hash-zipmap',
    key: 's:hash',
    code: 'ZIPMAP_MISSING_TERMINATOR',
    corrupt: (blob) => {
      blob[blob.length - 1] = 0x00;
      return blob.length - 1;
    },
  },
];

async function corruptContainer(c: ContainerCase, mode: FeedMode): Promise<{ e: FormatError; blobStart: number; blobLength: number; at: number }> {
  const original = corpus(c.file);
  const events = await collect(readRdb(feed(original, 'whole')));
  const version = events[0]!.type === 'header' ? events[0]!.version : 0;
  const key = findKey(events, c.encoding, c.key);
  const { blobStart, blobLength } = valueBlob(original, key, version);
  const bytes = original.slice();
  const at = c.corrupt(bytes.subarray(blobStart, blobStart + blobLength));
  const e = await readError(bytes, mode, { verifyChecksum: false });
  return { e, blobStart, blobLength, at };
}

describe.each(CONTAINER_CASES)('Corrupt container in a real file: $title', (c) => {
  it.each(FEED_MODES)(`${c.code} inside the blob, while read-object-value, with the key (%s)`, async (mode) => {
    const { e, blobStart, blobLength } = await corruptContainer(c, mode);
    expect([e.code, e.phase, e.key]).toEqual([c.code, 'read-object-value', ascii(c.key)]);
    expect(e.offset).toBeGreaterThanOrEqual(blobStart - 2);
    expect(e.offset).toBeLessThan(blobStart + blobLength);
  });

  it.each(FEED_MODES)(
    'Container error in a raw blob: offset is the corrupt byte itself (%s)',
    async (mode) => {
      const { e, blobStart, at } = await corruptContainer(c, mode);
      expect(e.offset).toBe(blobStart + at);
    },
  );
});

/** A mutation of a valid file: flip, set, insert, delete or truncate. */
const mutationArb = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.constantFrom(0x00, 0x01, 0x3f, 0x40, 0x7f, 0x80, 0x81, 0xc0, 0xc3, 0xfe, 0xff) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 9 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

type Mutation = typeof mutationArb extends fc.Arbitrary<infer T> ? T : never;

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out: Uint8Array = bytes.slice();
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    switch (m.kind) {
      case 'flip':
        if (out.length > 0) out[at]! ^= m.mask;
        break;
      case 'set':
        if (out.length > 0) out[at] = m.byte;
        break;
      case 'insert':
        out = concatBytes(out.subarray(0, at), m.bytes, out.subarray(at));
        break;
      case 'delete':
        out = concatBytes(out.subarray(0, at), out.subarray(at + m.count));
        break;
      case 'truncate':
        out = out.slice(0, at);
    }
  }
  return out;
}

const ROBUSTNESS_FILES = ['7.4.1/rdb-lfu.rdb', '2.8.24/rdb-nocompress.rdb', '2.4.18/rdb-nocompress.rdb', '7.4.1/rdb-module.rdb', '7.4.1/rdb-cluster.rdb'].map(corpus);
const MINIMAL = rdbBytes(12).aux('redis-ver', '7.4.1').selectDb(0).stringKey('k', 'v').eof();
const MINIMAL_EVENTS: RdbEvent[] = await collect(readRdb(feed(MINIMAL, 'whole')));

async function readMutated(bytes: Uint8Array, seed: number, options: ReadRdbOptions): Promise<void> {
  try {
    await collect(readRdb(feed(bytes, 'random-splits', seed, 1 + (seed % 300)), options));
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    // Every error points into the file (for EOF: at its end), including errors inside
    // LZF-compressed containers, which point at the compressed data.
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(bytes.length);
  }
}

const optionsArb = fc.constantFrom<ReadRdbOptions>({}, { partBytes: 64 }, { deep: false }, { maxStringBytes: 4096, maxElementCount: 1000 });

describe('Robustness', () => {
  test.prop([fc.nat({ max: ROBUSTNESS_FILES.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.nat(), optionsArb], { numRuns: 200 })(
    'Any mutation of a real file: events or a FormatError, never another error, never a hang',
    async (file, mutations, seed, options) => {
      await readMutated(mutate(ROBUSTNESS_FILES[file]!, mutations), seed, options);
      expect(await collect(readRdb(feed(MINIMAL, 'byte-by-byte')))).toEqual(MINIMAL_EVENTS);
    },
    60_000,
  );

  test.prop([craftedRdbArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.nat(), optionsArb], { numRuns: 200 })(
    'Any mutation of a crafted file: events or a FormatError, never another error, never a hang',
    async (bytes, mutations, seed, options) => {
      await readMutated(mutate(bytes, mutations), seed, options);
    },
    60_000,
  );

  test.prop([fc.uint8Array({ maxLength: 200 }), fc.nat()], { numRuns: 200 })(
    'Random bytes after a valid header: events or a FormatError',
    async (tail, seed) => {
      await readMutated(concatBytes(MINIMAL.subarray(0, 9), tail), seed, {});
    },
  );
});
