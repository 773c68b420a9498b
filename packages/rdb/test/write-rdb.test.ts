// writeRdb: the golden vectors of FORMAT.md 12 (bytes written by real servers), the encoding each
// target version gets, version gating (error or lossy report), chunking, checksums, AUX and
// RESIZEDB, keys in parts, and round trips: random keyspaces and every corpus RDB, read -> write
// -> read, compared at the data level.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { crc64, FormatError, OutputExistsError } from '@redis-forensics/core';
import {
  buildStreamNodes,
  d2string,
  encodeModuleId,
  mergeKeyParts,
  parseRedisDouble,
  readRdb,
  writeLength,
  writeRdb,
  writeRdbFile,
  writeStringObject,
} from '@redis-forensics/rdb';
import { collect, concatBytes, feed, int64Arb, moduleItems, rdbStringArb } from '@redis-forensics/testkit';

import type {
  HashEntry,
  RdbEvent,
  RdbKeyEvent,
  RdbValue,
  RdbWriteEvent,
  RdbWriteKeyEvent,
  RdbWriteLoss,
  StreamEntry,
  StreamGroup,
  StreamId,
  StreamMeta,
  WriteRdbOptions,
  ZsetEntry,
} from '@redis-forensics/rdb';

const CORPUS = fileURLToPath(new URL('../../../fixtures/corpus', import.meta.url));
const VERSIONS = [6, 7, 8, 9, 10, 11, 12] as const;

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (text: string): Uint8Array => Uint8Array.from(text.trim().split(/\s+/).map((h) => parseInt(h, 16)));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

async function writeBytes(events: Iterable<RdbWriteEvent> | AsyncIterable<RdbWriteEvent>, options: WriteRdbOptions = {}): Promise<Uint8Array> {
  return concatBytes(...(await collect(writeRdb(events, options))));
}

async function readAll(bytes: Uint8Array, partBytes?: number): Promise<RdbEvent[]> {
  return collect(readRdb(feed(bytes, 'whole'), partBytes === undefined ? {} : { partBytes }));
}

/** Keys of a read, parts merged, bytes copied. */
const keysOf = (events: RdbEvent[]): RdbKeyEvent[] => mergeKeyParts(events);

const key = (db: number, name: string | Uint8Array, value: RdbValue, extra: Partial<RdbWriteKeyEvent> = {}): RdbWriteKeyEvent => ({
  type: 'key',
  db,
  key: typeof name === 'string' ? utf8(name) : name,
  value,
  expireAt: null,
  ...extra,
});

const str = (s: string): RdbValue => ({ kind: 'string', value: utf8(s) });
const list = (xs: (string | Uint8Array)[]): RdbValue => ({ kind: 'list', elements: xs.map((x) => (typeof x === 'string' ? utf8(x) : x)) });
const set = (xs: string[]): RdbValue => ({ kind: 'set', members: xs.map(utf8) });
const zset = (xs: [string, number][]): RdbValue => ({ kind: 'zset', entries: xs.map(([m, score]) => ({ member: utf8(m), score })) });
const hash = (xs: [string, string, number | null][]): RdbValue => ({ kind: 'hash', entries: xs.map(([f, v, expireAt]) => ({ field: utf8(f), value: utf8(v), expireAt })) });
const id = (ms: number | bigint, seq: number | bigint): StreamId => ({ ms: BigInt(ms), seq: BigInt(seq) });

/** The encoding label the reader reports for one key written at `version`. */
async function encodingOf(value: RdbValue, version: number, options: WriteRdbOptions = {}): Promise<string> {
  const keys = keysOf(await readAll(await writeBytes([key(0, 'k', value)], { version, ...options })));
  expect(keys).toHaveLength(1);
  return keys[0]!.encoding;
}

// ---------------------------------------------------------------------------------------------
// Data-level comparison.

const idText = (i: StreamId): string => `${i.ms}-${i.seq}`;
const scoreText = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));
const cmpText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function normalizeValue(v: RdbValue): unknown {
  switch (v.kind) {
    case 'string': return toHex(v.value);
    case 'list': return v.elements.map(toHex);
    case 'set': return v.members.map(toHex).sort();
    case 'zset': return v.entries.map((e) => [toHex(e.member), scoreText(e.score)]).sort((a, b) => cmpText(a[0]!, b[0]!));
    case 'hash': return v.entries.map((e) => [toHex(e.field), toHex(e.value), e.expireAt]).sort((a, b) => cmpText(a[0] as string, b[0] as string));
    case 'module': return { id: v.module.moduleId.toString(16), payload: toHex(v.module.payload) };
    case 'stream': {
      const m = v.meta;
      return {
        entries: v.entries.map((e) => [idText(e.id), e.fields.map(toHex)]),
        meta: m === null ? null : {
          length: m.length,
          lastId: idText(m.lastId),
          firstId: idText(m.firstId),
          maxDeletedId: idText(m.maxDeletedId),
          entriesAdded: m.entriesAdded,
          groups: [...m.groups].sort((a, b) => Buffer.compare(a.name, b.name)).map((g) => ({
            name: toHex(g.name),
            lastId: idText(g.lastId),
            entriesRead: g.entriesRead,
            pending: g.pending.map((p) => [idText(p.id), p.deliveryTime, p.deliveryCount, p.consumer === null ? null : toHex(p.consumer)]).sort((a, b) => cmpId(a[0] as string, b[0] as string)),
            consumers: [...g.consumers].sort((a, b) => Buffer.compare(a.name, b.name)).map((c) => ({
              name: toHex(c.name),
              seenTime: c.seenTime,
              activeTime: c.activeTime,
              pending: c.pending.map(idText).sort(cmpId),
            })),
          })),
        },
      };
    }
  }
}

function cmpId(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am !== bm ? (am < bm ? -1 : 1) : as !== bs ? (as < bs ? -1 : 1) : 0;
}

/**
 * What a value becomes once written at `version` and read back: what the target has no room for
 * is dropped as Redis's loaders would fill it in (stream metadata before RDB 10, consumer active
 * time before 11), field TTLs are stripped when lossy, and the stream length is the live count.
 */
function expectedAfterWrite(v: RdbValue, version: number): RdbValue {
  if (v.kind === 'hash' && version < 12) return { kind: 'hash', entries: v.entries.map((e) => ({ ...e, expireAt: null })) };
  if (v.kind !== 'stream') return v;
  const m = v.meta;
  const zero = id(0, 0);
  const first = v.entries[0]?.id ?? zero;
  const last = v.entries[v.entries.length - 1]?.id ?? zero;
  const base: StreamMeta = m ?? { length: v.entries.length, lastId: last, firstId: first, maxDeletedId: zero, entriesAdded: v.entries.length, groups: [] };
  const meta: StreamMeta = {
    ...base,
    length: v.entries.length,
    firstId: version === 9 ? first : base.firstId,
    maxDeletedId: version === 9 ? zero : base.maxDeletedId,
    entriesAdded: version === 9 ? v.entries.length : base.entriesAdded,
    groups: base.groups.map((g) => ({
      ...g,
      entriesRead: version === 9 ? null : g.entriesRead,
      consumers: g.consumers.map((c) => ({ ...c, activeTime: version >= 11 ? (c.activeTime ?? c.seenTime) : null })),
    })),
  };
  return { kind: 'stream', entries: v.entries, meta };
}

function normalizeKeys(keys: RdbKeyEvent[] | RdbWriteKeyEvent[], version: number | null): unknown[] {
  return keys.map((k) => ({
    db: k.db,
    key: toHex(k.key),
    expireAt: k.expireAt ?? null,
    lruIdle: version !== null && version < 9 ? null : (k.lruIdle ?? null),
    lfuFreq: version !== null && version < 9 ? null : (k.lfuFreq ?? null),
    value: normalizeValue(version === null ? k.value : expectedAfterWrite(k.value, version)),
  }));
}

// ---------------------------------------------------------------------------------------------

describe('writeRdb: golden vectors (FORMAT.md 12, bytes written by Redis 7.4.1 / 6.2)', () => {
  it('Complete minimal RDB (12.3): byte-identical with Redis 7.4.1, 113 bytes', async () => {
    const events: RdbWriteEvent[] = [
      { type: 'aux', key: 'redis-ver', value: '7.4.1' },
      { type: 'aux', key: 'redis-bits', value: '64' },
      { type: 'aux', key: 'ctime', value: '1795245880' },
      { type: 'aux', key: 'used-mem', value: '1029464' },
      { type: 'aux', key: 'aof-base', value: '0' },
      { type: 'selectDb', db: 0 },
      { type: 'resizeDb', dbSize: 2, expiresSize: 1 },
      key(0, 'k', str('v')),
      key(0, 'n', str('1000'), { expireAt: 1800000000000 }),
    ];
    const expected = hex(`52 45 44 49 53 30 30 31 32 fa 09 72 65 64 69 73 2d 76 65 72 05 37 2e 34 2e 31 fa 0a 72 65 64 69
      73 2d 62 69 74 73 c0 40 fa 05 63 74 69 6d 65 c2 38 47 01 6b fa 08 75 73 65 64 2d 6d 65 6d c2 58 b5 0f 00 fa 08 61 6f
      66 2d 62 61 73 65 c0 00 fe 00 fb 02 01 00 01 6b 01 76 fc 00 50 5c 18 a3 01 00 00 00 01 6e c1 e8 03 ff e5 fc b4 85 b0
      5e 97 f2`);
    const out = await writeBytes(events, { version: 12 });
    expect(toHex(out)).toBe(toHex(expected));
    expect(out).toHaveLength(113);
  });

  const contains = (haystack: Uint8Array, needle: Uint8Array): boolean => Buffer.from(haystack).indexOf(Buffer.from(needle)) >= 0;

  it.each([
    ['zset {c:-3, a:1, b:2.5}, listpack (type 17)', 12, zset([['c', -3], ['a', 1], ['b', 2.5]]), '1a 00 00 00 06 00 81 63 02 df fd 02 81 61 02 01 01 81 62 02 83 32 2e 35 04 ff'],
    ['list a b c 1 2 300 70000, quicklist-2 node', 10, list(['a', 'b', 'c', '1', '2', '300', '70000']), '1c 00 00 00 07 00 81 61 02 81 62 02 81 63 02 01 01 02 01 c1 2c 02 f2 70 11 01 04 ff'],
    ['set a b c, listpack (type 20)', 11, set(['a', 'b', 'c']), '10 00 00 00 03 00 81 61 02 81 62 02 81 63 02 ff'],
    ['intset {-7, 1, 2, 3} (type 11)', 10, set(['3', '-7', '2', '1']), '02 00 00 00 04 00 00 00 f9 ff 01 00 02 00 03 00'],
    ['hash {f: v, n: 7}, ziplist (type 13, Redis 6.2)', 9, hash([['f', 'v', null], ['n', '7', null]]), '16 00 00 00 13 00 00 00 04 00 00 01 66 03 01 76 03 01 6e 03 f8 ff'],
    ['zset {a:1, b:2.5}, ziplist (type 12, Redis 6.2)', 9, zset([['b', 2.5], ['a', 1]]), '18 00 00 00 12 00 00 00 04 00 00 01 61 03 f2 02 01 62 03 03 32 2e 35 ff'],
  ] as const)('Container (12.4), %s: the blob Redis writes', async (_name, version, value, blob) => {
    const out = await writeBytes([key(0, 'k', value)], { version, compress: false });
    expect(contains(out, hex(blob)), toHex(out)).toBe(true);
  });

  it('HASH_METADATA record (12.5): byte-identical with Redis 7.4.1', async () => {
    const value = hash([['c', '3', null], ['a', '1', 1900000000000], ['b', '2', 1900000000500]]);
    const out = await writeBytes([key(0, 'ht', value)], { version: 12, hashMaxListpackEntries: 0 });
    const record = hex('18 02 68 74 00 38 d3 60 ba 01 00 00 03 00 01 63 c0 03 01 01 61 c0 01 41 f5 01 62 c0 02');
    expect(contains(out, record), toHex(out)).toBe(true);
    expect(normalizeKeys(keysOf(await readAll(out)), null)).toEqual(normalizeKeys([key(0, 'ht', value)], null));
  });

  it('Stream record (12.6): byte-identical with Redis 7.4.1 (nodes, metadata, group, PEL, consumer)', async () => {
    const t = Number(new DataView(hex('25 67 02 fd a1 01 00 00').buffer).getBigInt64(0, true));
    const entries: StreamEntry[] = [
      { id: id(1, 1), fields: ['f', 'v', 'g', 'w'].map(utf8) },
      { id: id(1, 2), fields: ['f', 'v2', 'g', 'w2'].map(utf8) },
      { id: id(2, 0), fields: ['other', 'x'].map(utf8) },
    ];
    const group: StreamGroup = {
      name: utf8('grp'),
      lastId: id(1, 1),
      entriesRead: 1,
      pending: [{ id: id(1, 1), deliveryTime: t, deliveryCount: 1, consumer: utf8('alice') }],
      consumers: [{ name: utf8('alice'), seenTime: t, activeTime: t, pending: [id(1, 1)] }],
    };
    const meta: StreamMeta = { length: 3, lastId: id(2, 0), firstId: id(1, 1), maxDeletedId: id(0, 0), entriesAdded: 3, groups: [group] };
    const out = await writeBytes([key(0, 's', { kind: 'stream', entries, meta })], { version: 12 });
    const record = hex(`15 01 73 01
      10 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 01 40 48
      48 00 00 00 19 00 03 01 00 01 02 01 81 66 02 81 67 02 00 01
      02 01 00 01 00 01 81 76 02 81 77 02 05 01
      02 01 00 01 01 01 82 76 32 03 82 77 32 03 05 01
      00 01 01 01 df ff 02 01 01 85 6f 74 68 65 72 06 81 78 02 06 01 ff
      03 02 00 01 01 00 00 03 01 03 67 72 70 01 01 01 01
      00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 01 25 67 02 fd a1 01 00 00 01
      01 05 61 6c 69 63 65 25 67 02 fd a1 01 00 00 25 67 02 fd a1 01 00 00 01
      00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 01`);
    expect(contains(out, record), toHex(out)).toBe(true);
  });

  // Short strings over a 2-4 letter alphabet: LZF matches that may or may not save 4 bytes.
  test.prop([rdbStringArb, fc.oneof(rdbStringArb, fc.uint8Array({ minLength: 18, maxLength: 90, max: 3 })), fc.boolean()], { numRuns: 400 })(
    'String encodings: every string is written exactly as writeStringObject (rdbSaveRawString) writes it',
    async (k, v, compress) => {
      const out = await writeBytes([key(0, k, { kind: 'string', value: v })], { version: 6, compress });
      // RDB 6 has no AUX and no RESIZEDB: header, SELECTDB 0, type 0, key, value, EOF, CRC64.
      const body = concatBytes(utf8('REDIS0006'), Uint8Array.of(0xfe, 0x00, 0x00), writeStringObject(k, { compress }), writeStringObject(v, { compress }), Uint8Array.of(0xff));
      const crc = new Uint8Array(8);
      new DataView(crc.buffer).setBigUint64(0, crc64(body), true);
      expect(toHex(out)).toBe(toHex(concatBytes(body, crc)));
    },
  );
});

describe('writeRdb: the encoding each target version gets', () => {
  const ints = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i * 3 - 700));
  const strs = (n: number, width = 6): string[] => Array.from({ length: n }, (_, i) => `m${String(i).padStart(width, '0')}`);
  const long = 'L'.repeat(65);

  it.each([
    ['small list', list(['a', '1', 'b']), { 6: 'list-ziplist', 7: 'quicklist', 9: 'quicklist', 10: 'quicklist-v2', 12: 'quicklist-v2' }],
    ['list of 513 elements', list(strs(513)), { 6: 'list-linked', 9: 'quicklist', 10: 'quicklist-v2' }],
    ['list with a 65-byte element', list(['a', long]), { 6: 'list-linked', 8: 'quicklist', 11: 'quicklist-v2' }],
    ['set of 512 integers', set(ints(512)), { 6: 'set-intset', 10: 'set-intset', 12: 'set-intset' }],
    ['set of 513 integers', set(ints(513)), { 6: 'set-hashtable', 10: 'set-hashtable', 11: 'set-hashtable' }],
    ['set with a non-canonical integer', set(['1', '007']), { 9: 'set-hashtable', 11: 'set-listpack' }],
    ['set of 128 strings', set(strs(128)), { 6: 'set-hashtable', 10: 'set-hashtable', 11: 'set-listpack', 12: 'set-listpack' }],
    ['set of 129 strings', set(strs(129)), { 11: 'set-hashtable' }],
    ['set with a 65-byte member', set(['a', long]), { 12: 'set-hashtable' }],
    ['zset of 128 members', zset(strs(128).map((m, i) => [m, i / 3])), { 6: 'zset-ziplist', 9: 'zset-ziplist', 10: 'zset-listpack', 12: 'zset-listpack' }],
    ['zset of 129 members', zset(strs(129).map((m, i) => [m, -i])), { 6: 'zset-v1', 7: 'zset-v1', 8: 'zset-v2', 10: 'zset-v2' }],
    ['zset with a 65-byte member', zset([['a', 1], [long, Infinity]]), { 7: 'zset-v1', 9: 'zset-v2', 11: 'zset-v2' }],
    ['hash of 512 fields', hash(strs(512).map((f) => [f, 'v', null])), { 6: 'hash-ziplist', 9: 'hash-ziplist', 10: 'hash-listpack', 12: 'hash-listpack' }],
    ['hash of 513 fields', hash(strs(513).map((f) => [f, 'v', null])), { 6: 'hash-hashtable', 10: 'hash-hashtable' }],
    ['hash with a 65-byte value', hash([['f', long, null]]), { 9: 'hash-hashtable', 10: 'hash-hashtable' }],
    ['hash with field TTLs', hash([['f', 'v', 1900000000000], ['g', 'w', null]]), { 12: 'hash-listpack-md' }],
    ['big hash with field TTLs', hash([['f', long, 1900000000000], ['g', 'w', null]]), { 12: 'hash-hashtable-md' }],
    ['stream', { kind: 'stream', entries: [{ id: id(1, 1), fields: [utf8('f'), utf8('v')] }], meta: null }, { 9: 'stream', 10: 'stream-v2', 11: 'stream-v3', 12: 'stream-v3' }],
    ['module value', { kind: 'module', module: { moduleId: encodeModuleId('test__rdb', 1), moduleName: 'test__rdb', moduleVersion: 1, payload: moduleItems([{ uint: 7 }, { string: 'x' }]) } }, { 8: 'module-value', 10: 'module-value' }],
  ] as [string, RdbValue, Record<number, string>][])('%s', async (_name, value, byVersion) => {
    for (const [version, label] of Object.entries(byVersion)) {
      expect(await encodingOf(value, Number(version)), `RDB ${version}`).toBe(label);
    }
  });

  it('Thresholds are options: hashMaxListpackEntries 2 makes a 3-field hash a hash table', async () => {
    const value = hash([['a', '1', null], ['b', '2', null], ['c', '3', null]]);
    expect(await encodingOf(value, 10)).toBe('hash-listpack');
    expect(await encodingOf(value, 10, { hashMaxListpackEntries: 2 })).toBe('hash-hashtable');
    expect(await encodingOf(set(['1', '2']), 10, { setMaxIntsetEntries: 1 })).toBe('set-hashtable');
    expect(await encodingOf(zset([['a', 1]]), 10, { zsetMaxListpackValue: 0 })).toBe('zset-v2');
  });

  /** Walk a LIST_QUICKLIST_2 record written uncompressed after a single `x=y` AUX: the nodes' containers and sizes. */
  function quicklistNodes(file: Uint8Array): { container: number; bytes: number; count: number }[] {
    let p = 9 + 5; // header, AUX x=y
    expect([file[p], file[p + 1], file[p + 2]]).toEqual([0xfe, 0x00, 18]);
    p += 3;
    const len = (): number => {
      const b = file[p++]!;
      if (b < 0x40) return b;
      if (b < 0x80) return ((b & 0x3f) << 8) | file[p++]!;
      const v = new DataView(file.buffer, file.byteOffset + p, 4).getUint32(0, false);
      p += 4;
      return v;
    };
    p += 1 + len(); // key
    const n = len();
    const out: { container: number; bytes: number; count: number }[] = [];
    for (let i = 0; i < n; i++) {
      const container = len();
      const bytes = len();
      const count = container === 2 ? file[p + 4]! | (file[p + 5]! << 8) : 1;
      out.push({ container, bytes, count });
      p += bytes;
    }
    return out;
  }

  it('Quicklist v2: PACKED nodes of at most 8 KiB, a PLAIN node for an element over 8 KiB, as Redis 7.4 fills them', async () => {
    const big = new Uint8Array(9000).fill(0x41);
    const elements = [...strs(2000, 10), big, 'tail'];
    const out = await writeBytes([{ type: 'aux', key: 'x', value: 'y' }, key(0, 'l', list(elements))], { version: 10, compress: false });
    const nodes = quicklistNodes(out);
    expect(nodes.map((n) => n.container)).toContain(1);
    expect(nodes.filter((n) => n.container === 1)).toEqual([{ container: 1, bytes: 9000, count: 1 }]);
    for (const n of nodes.filter((x) => x.container === 2)) expect(n.bytes).toBeLessThanOrEqual(8192);
    expect(nodes.reduce((a, n) => a + n.count, 0)).toBe(elements.length);
    // 7.0's estimate: a node takes an element while its size + the element + 8 stays <= 8192.
    // Each 11-byte element takes 13 bytes in the listpack: (8192 - 7 - 19) / 13 + 1 = 629 per node.
    expect(nodes[0]!.count).toBe(629);
    const back = keysOf(await readAll(out));
    expect(normalizeKeys(back, null)).toEqual(normalizeKeys([key(0, 'l', list(elements))], null));
  });

  it('Quicklist v2 with list-max-listpack-size 4: nodes of 4 elements', async () => {
    const out = await writeBytes([{ type: 'aux', key: 'x', value: 'y' }, key(0, 'l', list(strs(10)))], { version: 10, compress: false, listMaxListpackSize: 4 });
    expect(quicklistNodes(out).map((n) => n.count)).toEqual([4, 4, 2]);
  });

  it('Scores as text: %.17g up to RDB 10, shortest round-trip (fpconv_dtoa) from RDB 11, -0 kept', async () => {
    const value = zset([['a', 0.1], ['b', -0], ['c', 1e300], ['d', Infinity], ['e', 2 ** 53 + 2]]);
    const at10 = await writeBytes([key(0, 'z', value)], { version: 10, compress: false });
    const at11 = await writeBytes([key(0, 'z', value)], { version: 11, compress: false });
    const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
    expect(text(at10)).toContain('0.10000000000000001');
    expect(text(at10)).toContain('1.0000000000000001e+300');
    expect(text(at11)).toContain('\x830.1');
    expect(text(at11)).toContain('1e+300');
    for (const out of [at10, at11]) {
      expect(normalizeKeys(keysOf(await readAll(out)), null)).toEqual(normalizeKeys([key(0, 'z', value)], null));
    }
  });
});

describe('writeRdb: d2string and stream nodes', () => {
  it.each([
    [100, '100'], [1e7, '10000000'], [1e8, '100000000'], [1.2e9, '1200000000'], [1e15, '1000000000000000'],
    [1e21, '1e+21'], [1.7976931348623157e308, '1.7976931348623157e+308'], [0.1, '0.1'], [12.5, '12.5'],
    [1234567.125, '1234567.125'], [1e-5, '0.00001'], [1.234e-5, '1.234e-5'], [1e-6, '0.000001'], [1.5e-7, '1.5e-7'],
    [5e-324, '5e-324'], [-0, '-0'], [Infinity, 'inf'], [-Infinity, '-inf'], [2 ** 62, '4611686018427387904'], [2 ** 63, '9223372036854776000'],
    [2 ** 64, '18446744073709552000'],
  ])('fpconv (Redis 7.2+): %d -> %s', (value, text) => {
    expect(d2string(value, 'fpconv')).toBe(text);
  });

  it.each([
    [0.1, '0.10000000000000001'], [1e300, '1.0000000000000001e+300'], [123456789.123, '123456789.123'],
    [5e-324, '4.9406564584124654e-324'], [-2.25, '-2.25'], [2 ** 53, '9007199254740992'], [Math.PI, '3.1415926535897931'],
    [1e-5, '1.0000000000000001e-05'], [1e17, '1e+17'], [-1.7976931348623157e308, '-1.7976931348623157e+308'], [42, '42'],
  ])('%%.17g (Redis <= 7.0): %d -> %s', (value, text) => {
    expect(d2string(value, 'g17')).toBe(text);
  });

  test.prop([fc.double({ noNaN: true }), fc.constantFrom('g17' as const, 'fpconv' as const)])('Any double parses back to itself', (x, style) => {
    expect(Object.is(parseRedisDouble(utf8(d2string(x, style))), x)).toBe(true);
  });

  it('Stream nodes: a new node every 100 entries, or when the listpack would reach 4096 bytes', () => {
    const entries = (n: number, valueBytes: number): StreamEntry[] =>
      Array.from({ length: n }, (_, i) => ({ id: id(1000 + i, 0), fields: [utf8('f'), new Uint8Array(valueBytes).fill(0x61)] }));
    expect(buildStreamNodes(entries(250, 1), 4096, 100).map((n) => n.masterId.ms)).toEqual([1000n, 1100n, 1200n]);
    const bySize = buildStreamNodes(entries(40, 300), 4096, 100);
    for (const n of bySize) expect(n.listpack.length).toBeLessThan(4096 + 310);
    expect(bySize.length).toBeGreaterThan(2);
    expect(buildStreamNodes(entries(250, 1), 0, 0)).toHaveLength(1);
  });
});

describe('writeRdb: what the target cannot hold', () => {
  const streamValue: RdbValue = { kind: 'stream', entries: [{ id: id(5, 5), fields: [utf8('f'), utf8('v')] }], meta: null };
  const moduleValue: RdbValue = { kind: 'module', module: { moduleId: encodeModuleId('test__rdb', 1), moduleName: 'test__rdb', moduleVersion: 1, payload: moduleItems([{ uint: 1 }]) } };
  const ttlHash = hash([['f', 'v', 1900000000000], ['g', 'w', null]]);
  const lib = '#!lua name=mylib\nredis.register_function("f", function() return 1 end)';

  async function failure(events: RdbWriteEvent[], version: number): Promise<FormatError> {
    let error: unknown;
    try {
      await writeBytes(events, { version });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FormatError);
    return error as FormatError;
  }

  it.each([
    ['a stream', 8, streamValue, /streams need RDB 9 \(Redis 5\.0\); the target is RDB 8/],
    ['a module value', 7, moduleValue, /module values \(type "test__rdb"\) need RDB 8/],
    ['hash field TTLs', 11, ttlHash, /hash field TTLs \(1 of 2 fields have one\) need RDB 12/],
  ] as [string, number, RdbValue, RegExp][])('Strict mode, %s at RDB %i: RDB_UNREPRESENTABLE naming the key', async (_what, version, value, message) => {
    const e = await failure([key(0, 'ok', str('x')), key(0, 'bad:key', value)], version);
    expect(e.code).toBe('RDB_UNREPRESENTABLE');
    expect(e.message).toMatch(message);
    expect(e.message).toContain('bad:key');
    expect(Buffer.from(e.key!).toString()).toBe('bad:key');
  });

  it('Strict mode, a function at RDB 9 and MODULE_AUX at RDB 8: RDB_UNREPRESENTABLE naming what', async () => {
    expect((await failure([{ type: 'function', code: lib }], 9)).message).toMatch(/function library "mylib": functions need RDB 10 \(Redis 7\.0\)/);
    expect((await failure([{ type: 'moduleAux', moduleId: 1n, when: 2, payload: moduleItems([]) }], 8)).message).toMatch(/module AUX data .* need RDB 9/);
  });

  it('Lossy mode: streams and module values are dropped, field TTLs and functions left out, each reported', async () => {
    const losses: RdbWriteLoss[] = [];
    const events: RdbWriteEvent[] = [
      { type: 'function', code: lib },
      key(0, 's', streamValue),
      key(0, 'm', moduleValue),
      key(0, 'h', ttlHash),
      key(0, 'meta', str('v'), { keyMeta: [{ className: 'abcd', classVersion: 1, flags: 0, payload: moduleItems([]) }] }),
      key(0, 'kept', str('v')),
    ];
    const out = await writeBytes(events, { version: 7, lossy: true, onLoss: (l) => losses.push(l) });
    expect(losses.map((l) => [l.kind, l.key === null ? null : Buffer.from(l.key).toString()])).toEqual([
      ['function', null], ['key', 's'], ['key', 'm'], ['hash-field-ttls', 'h'], ['key-meta', 'meta'],
    ]);
    const back = keysOf(await readAll(out));
    expect(back.map((k) => Buffer.from(k.key).toString())).toEqual(['h', 'meta', 'kept']);
    expect(normalizeValue(back[0]!.value)).toEqual(normalizeValue(hash([['f', 'v', null], ['g', 'w', null]])));
  });

  it('Stream metadata an older stream type has no room for: reported (never an error), only what a loader would not derive', async () => {
    const t = 1700000000000;
    const entries = [{ id: id(5, 0), fields: [utf8('f'), utf8('v')] }, { id: id(6, 0), fields: [utf8('f'), utf8('w')] }];
    const group = (name: string, lastId: StreamId, entriesRead: number | null, activeTime: number | null): StreamGroup => ({
      name: utf8(name), lastId, entriesRead, pending: [], consumers: [{ name: utf8('c'), seenTime: t, activeTime, pending: [] }],
    });
    const derivable: StreamMeta = {
      length: 2, lastId: id(6, 0), firstId: id(5, 0), maxDeletedId: id(0, 0), entriesAdded: 2,
      // At the last ID: the loader's estimate is the length; before the first: 0; unknown stays unknown.
      groups: [group('at-last', id(6, 0), 2, t), group('before-first', id(1, 0), 0, null), group('unknown', id(5, 5), null, t)],
    };
    const lost: StreamMeta = {
      length: 2, lastId: id(6, 0), firstId: id(5, 0), maxDeletedId: id(4, 0), entriesAdded: 7,
      groups: [group('g', id(6, 0), 7, t + 5)],
    };
    const lossesAt = async (meta: StreamMeta, version: number): Promise<string[]> => {
      const losses: RdbWriteLoss[] = [];
      const out = await writeBytes([key(0, 's', { kind: 'stream', entries, meta })], { version, onLoss: (l) => losses.push(l) });
      expect(keysOf(await readAll(out))).toHaveLength(1);
      expect(losses.every((l) => l.kind === 'stream-metadata' && Buffer.from(l.key!).toString() === 's')).toBe(true);
      return losses.map((l) => l.reason);
    };
    expect(await lossesAt(derivable, 9)).toEqual([]);
    expect(await lossesAt(lost, 9)).toEqual([
      'stream metadata an RDB 9 stream has no room for: max-deleted-id 4-0 (becomes 0-0); entries-added 7 (becomes the length, 2); ' +
        'entries-read 7 of group "g" (a loader estimates 2); active-time of 1 consumer (becomes the seen-time)',
    ]);
    expect(await lossesAt(lost, 10)).toEqual(['stream metadata an RDB 10 stream has no room for: active-time of 1 consumer (becomes the seen-time)']);
    expect(await lossesAt(lost, 11)).toEqual([]);
  });

  it('Empty collections are skipped and reported, also when not lossy: no Redis loads them', async () => {
    const losses: RdbWriteLoss[] = [];
    const out = await writeBytes([key(0, 'e', set([])), key(0, 'es', { kind: 'stream', entries: [], meta: null })], { onLoss: (l) => losses.push(l) });
    expect(losses.map((l) => l.kind)).toEqual(['empty-key']);
    expect(keysOf(await readAll(out)).map((k) => Buffer.from(k.key).toString())).toEqual(['es']);
  });

  it('Bad input: NaN score is RDB_BAD_DOUBLE, a field TTL past 2^48 RDB_BAD_EXPIRE, both naming the key; version 5 and 13 are refused', async () => {
    const nan = await failure([key(0, 'z', zset([['a', NaN]]))], 10);
    expect(nan.code).toBe('RDB_BAD_DOUBLE');
    expect(Buffer.from(nan.key!).toString()).toBe('z');
    const far = await failure([key(0, 'h', hash([['f', 'v', 2 ** 48]]))], 12);
    expect(far.code).toBe('RDB_BAD_EXPIRE');
    for (const version of [5, 13]) expect((await failure([], version)).code).toBe('RDB_UNSUPPORTED_VERSION');
  });
});

describe('writeRdb: file layout', () => {
  it('Chunks: every chunk but the last holds at least 64 KiB, each is its own buffer', async () => {
    const noise = (i: number): Uint8Array => Uint8Array.from({ length: 300 }, (_, j) => (Math.imul(i * 7919 + j, 2654435761) >>> 24) & 0xff);
    const events = Array.from({ length: 2000 }, (_, i) => key(0, `k${i}`, { kind: 'string', value: noise(i) }));
    const chunks = await collect(writeRdb(events));
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(64 * 1024);
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
    const back = keysOf(await readAll(concatBytes(...chunks)));
    expect(back).toHaveLength(2000);
  });

  it('Checksum: CRC64 by default (reader says match), 8 zero bytes with checksum: false (disabled)', async () => {
    const events = [key(0, 'a', str('b'))];
    const on = await readAll(await writeBytes(events));
    expect(on.at(-1)).toMatchObject({ type: 'eof', checksum: 'match' });
    const offBytes = await writeBytes(events, { checksum: false });
    expect(toHex(offBytes.subarray(-8))).toBe('0000000000000000');
    expect((await readAll(offBytes)).at(-1)).toMatchObject({ type: 'eof', checksum: 'disabled' });
  });

  it('Default AUX fields per target; caller AUX fields replace them', async () => {
    const auxOf = async (options: WriteRdbOptions, events: RdbWriteEvent[] = []): Promise<string[][]> =>
      (await readAll(await writeBytes(events, options))).flatMap((e) => (e.type === 'aux' ? [[Buffer.from(e.key).toString(), Buffer.from(e.value).toString()]] : []));
    expect(await auxOf({ version: 10, ctime: 1700000000 })).toEqual([['redis-ver', '7.0.15'], ['redis-bits', '64'], ['ctime', '1700000000'], ['used-mem', '0'], ['aof-base', '0']]);
    expect(await auxOf({ version: 9, ctime: 1, redisVersion: '6.0.0' })).toEqual([['redis-ver', '6.0.0'], ['redis-bits', '64'], ['ctime', '1'], ['used-mem', '0'], ['aof-preamble', '0']]);
    expect((await auxOf({ version: 7 })).map(([k]) => k)).toEqual(['redis-ver', 'redis-bits', 'ctime', 'used-mem']);
    expect(await auxOf({ version: 6 }, [{ type: 'aux', key: 'x', value: 'y' }])).toEqual([]);
    expect(await auxOf({ version: 12 }, [{ type: 'aux', key: 'x', value: 'y' }])).toEqual([['x', 'y']]);
  });

  it('SELECTDB at every db change; RESIZEDB from a leading resizeDb event or options.dbSizes, else none', async () => {
    const events: RdbWriteEvent[] = [
      { type: 'selectDb', db: 0 },
      { type: 'resizeDb', dbSize: 2, expiresSize: 0 },
      key(0, 'a', str('1')),
      key(0, 'b', str('2')),
      key(3, 'c', str('3')),
      key(5, 'd', str('4')),
      key(0, 'e', str('5')),
    ];
    const back = await readAll(await writeBytes(events, { dbSizes: new Map([[3, { dbSize: 1, expiresSize: 1 }]]) }));
    const layout = back.flatMap((e) => (e.type === 'selectDb' ? [`select ${e.db}`] : e.type === 'resizeDb' ? [`resize ${e.dbSize}/${e.expiresSize}`] : e.type === 'key' ? [`${e.db}:${Buffer.from(e.key).toString()}`] : []));
    expect(layout).toEqual(['select 0', 'resize 2/0', '0:a', '0:b', 'select 3', 'resize 1/1', '3:c', 'select 5', '5:d', 'select 0', '0:e']);
  });

  it('writeRdbFile: the same bytes as writeRdb, written atomically; losses returned; an existing file is kept unless overwrite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rfx-write-rdb-unit-'));
    try {
      const path = join(dir, 'out.rdb');
      const events: RdbWriteEvent[] = [{ type: 'function', code: '#!lua name=l\nreturn 1' }, key(0, 'a', str('1'))];
      const result = await writeRdbFile(path, events, { version: 9, lossy: true, ctime: 5 });
      expect(result.losses.map((l) => l.kind)).toEqual(['function']);
      const written = await readFile(path);
      expect(result.bytes).toBe(written.length);
      expect(toHex(written)).toBe(toHex(await writeBytes(events, { version: 9, lossy: true, ctime: 5 })));
      await expect(writeRdbFile(path, events, { version: 9, lossy: true })).rejects.toBeInstanceOf(OutputExistsError);
      // A write that fails half-way leaves the existing file as it was.
      await expect(writeRdbFile(path, events, { version: 9, overwrite: true })).rejects.toBeInstanceOf(FormatError);
      expect(toHex(await readFile(path))).toBe(toHex(written));
      await writeRdbFile(path, [key(0, 'b', str('2'))], { overwrite: true });
      expect(keysOf(await readAll(await readFile(path))).map((k) => Buffer.from(k.key).toString())).toEqual(['b']);
      expect(readdirSync(dir)).toEqual(['out.rdb']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('Key prefixes: expire, IDLE and FREQ from RDB 9; before that only the expire', async () => {
    const events = [key(0, 'a', str('1'), { expireAt: 4102444800123, lruIdle: 77 }), key(0, 'b', str('2'), { lfuFreq: 200 })];
    for (const version of [8, 9]) {
      const back = keysOf(await readAll(await writeBytes(events, { version })));
      expect(back.map((k) => [k.expireAt, k.lruIdle, k.lfuFreq])).toEqual(version >= 9 ? [[4102444800123, 77, null], [null, null, 200]] : [[4102444800123, null, null], [null, null, null]]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Round trips.

const elementArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 4, arbitrary: fc.uint8Array({ maxLength: 24 }) },
  { weight: 3, arbitrary: int64Arb.map((v) => utf8(v.toString())) },
  { weight: 1, arbitrary: fc.constantFrom('007', '-0', '+5', ' 1', '1.5', '').map(utf8) },
  { weight: 2, arbitrary: fc.tuple(fc.string({ minLength: 1, maxLength: 5 }), fc.integer({ min: 10, max: 40 })).map(([s, n]) => utf8(s.repeat(n))) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 70 }).map((n) => new Uint8Array(n).fill(0x62)) },
);
const uniqueElements = (max: number): fc.Arbitrary<Uint8Array[]> => fc.uniqueArray(elementArb, { minLength: 1, maxLength: max, selector: toHex });
/** n distinct generated members (for sizes across the 128/512 thresholds without slow generation). */
const generated = (min: number, max: number, f: (i: number) => string): fc.Arbitrary<Uint8Array[]> =>
  fc.integer({ min, max }).map((n) => Array.from({ length: n }, (_, i) => utf8(f(i))));
const scoreArb: fc.Arbitrary<number> = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constantFrom(Infinity, -Infinity, -0, 0, 0.1, 1.5, -2.25, 2 ** 53 + 2, 5e-324, -1.7976931348623157e308, 1e300, 1e-300, 1e8),
  fc.integer({ min: -1000, max: 1000 }),
);
const ttlArb = fc.option(fc.integer({ min: 1, max: 2 ** 48 - 1 }), { nil: null, freq: 2 });

const streamArb: fc.Arbitrary<RdbValue> = fc
  .record({
    // Some streams past 100 entries, so that they take several nodes.
    steps: fc.oneof(fc.array(fc.tuple(fc.nat(3), fc.nat(4)), { maxLength: 20 }), fc.array(fc.tuple(fc.nat(3), fc.nat(4)), { minLength: 101, maxLength: 260 })),
    shape: fc.array(fc.oneof(fc.constant(null), fc.uniqueArray(elementArb, { minLength: 1, maxLength: 3, selector: toHex })), { minLength: 1, maxLength: 4 }),
    values: fc.array(elementArb, { minLength: 1, maxLength: 8 }),
    groups: fc.uniqueArray(
      fc.record({
        name: fc.uint8Array({ maxLength: 6 }),
        consumers: fc.uniqueArray(fc.record({ name: fc.uint8Array({ maxLength: 6 }), seen: fc.nat(), active: fc.option(fc.integer({ min: -1, max: 2 ** 40 }), { nil: null }) }), { maxLength: 3, selector: (c) => toHex(c.name) }),
        pelPicks: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(20), fc.nat()), { maxLength: 10 }),
        entriesRead: fc.option(fc.nat(1000), { nil: null }),
        lastPick: fc.nat(),
      }),
      { maxLength: 3, selector: (g) => toHex(g.name) },
    ),
    extra: fc.record({ lastMs: fc.nat(5), maxDeleted: fc.nat(3), added: fc.nat(10) }),
  })
  .map(({ steps, shape, values, groups, extra }) => {
    let ms = 1_700_000_000_000n;
    let seq = 0n;
    const defaultFields = [utf8('sensor'), utf8('value')];
    const entries: StreamEntry[] = steps.map(([dms, dseq], i) => {
      if (dms > 0) {
        ms += BigInt(dms);
        seq = BigInt(dseq);
      } else seq += BigInt(1 + dseq);
      const names = shape[i % shape.length] ?? defaultFields;
      return { id: { ms, seq }, fields: names.flatMap((f, j) => [f, values[(i + j) % values.length]!]) };
    });
    const zero = id(0, 0);
    const last = entries[entries.length - 1]?.id ?? zero;
    const lastId = { ms: last.ms + BigInt(extra.lastMs), seq: last.seq };
    const builtGroups: StreamGroup[] = groups.map((g) => {
      const pending: StreamGroup['pending'] = [];
      const owned = new Map<string, StreamId[]>();
      const seen = new Set<string>();
      if (entries.length > 0 && g.consumers.length > 0) {
        for (const [e, c, count, t] of g.pelPicks) {
          const entryId = entries[e % entries.length]!.id;
          if (seen.has(idText(entryId))) continue;
          seen.add(idText(entryId));
          const consumer = g.consumers[c % g.consumers.length]!;
          pending.push({ id: entryId, deliveryTime: t, deliveryCount: count, consumer: consumer.name });
          const list = owned.get(toHex(consumer.name)) ?? [];
          list.push(entryId);
          owned.set(toHex(consumer.name), list);
        }
      }
      return {
        name: g.name,
        lastId: entries.length === 0 ? zero : entries[g.lastPick % entries.length]!.id,
        entriesRead: g.entriesRead,
        pending,
        consumers: g.consumers.map((c) => ({ name: c.name, seenTime: c.seen, activeTime: c.active, pending: owned.get(toHex(c.name)) ?? [] })),
      };
    });
    const meta: StreamMeta = {
      length: entries.length,
      lastId,
      firstId: entries[0]?.id ?? zero,
      maxDeletedId: { ms: BigInt(extra.maxDeleted), seq: 0n },
      entriesAdded: entries.length + extra.added,
      groups: builtGroups,
    };
    return { kind: 'stream', entries, meta } satisfies RdbValue;
  });

const valueArb: fc.Arbitrary<RdbValue> = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(rdbStringArb, elementArb).map((value) => ({ kind: 'string', value }) satisfies RdbValue) },
  { weight: 2, arbitrary: fc.array(elementArb, { minLength: 1, maxLength: 40 }).map((elements) => ({ kind: 'list', elements }) satisfies RdbValue) },
  { weight: 1, arbitrary: generated(100, 3000, (i) => (i % 4 === 0 ? String(i * 37 - 500) : `item:${i}`)).map((elements) => ({ kind: 'list', elements }) satisfies RdbValue) },
  { weight: 1, arbitrary: fc.array(fc.oneof(elementArb, fc.integer({ min: 4000, max: 20000 }).map((n) => new Uint8Array(n).fill(0x78))), { minLength: 1, maxLength: 6 }).map((elements) => ({ kind: 'list', elements }) satisfies RdbValue) },
  { weight: 2, arbitrary: uniqueElements(40).map((members) => ({ kind: 'set', members }) satisfies RdbValue) },
  { weight: 1, arbitrary: fc.uniqueArray(int64Arb, { minLength: 1, maxLength: 40 }).map((xs) => ({ kind: 'set', members: xs.map((x) => utf8(x.toString())) }) satisfies RdbValue) },
  { weight: 1, arbitrary: generated(100, 700, (i) => (i % 2 === 0 ? String(i * 1000 + 7) : String(-i))).map((members) => ({ kind: 'set', members }) satisfies RdbValue) },
  { weight: 1, arbitrary: generated(100, 300, (i) => `member:${i}`).map((members) => ({ kind: 'set', members }) satisfies RdbValue) },
  { weight: 2, arbitrary: fc.tuple(uniqueElements(40), fc.array(scoreArb, { minLength: 40, maxLength: 40 })).map(([ms, scores]) => ({ kind: 'zset', entries: ms.map((member, i) => ({ member, score: scores[i]! })) }) satisfies RdbValue) },
  { weight: 1, arbitrary: fc.tuple(generated(100, 300, (i) => `z${i}`), scoreArb).map(([ms, s]) => ({ kind: 'zset', entries: ms.map((member, i) => ({ member, score: i % 5 === 0 ? s : i / 7 - 10 })) }) satisfies RdbValue) },
  {
    weight: 2,
    arbitrary: fc.tuple(uniqueElements(30), fc.array(elementArb, { minLength: 30, maxLength: 30 }), fc.array(ttlArb, { minLength: 30, maxLength: 30 }), fc.boolean())
      .map(([fields, values, ttls, withTtl]) => ({ kind: 'hash', entries: fields.map((field, i) => ({ field, value: values[i]!, expireAt: withTtl ? ttls[i]! : null })) }) satisfies RdbValue),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(generated(500, 700, (i) => `field:${i}`), ttlArb, fc.boolean())
      .map(([fields, ttl, withTtl]) => ({ kind: 'hash', entries: fields.map((field, i) => ({ field, value: utf8(`v${i}`), expireAt: withTtl && i % 3 === 0 ? (ttl ?? 1_900_000_000_000 + i) : null })) }) satisfies RdbValue),
  },
  { weight: 2, arbitrary: streamArb },
  {
    weight: 1,
    arbitrary: fc.array(fc.oneof(fc.record({ uint: int64Arb.map((x) => BigInt.asUintN(64, x)) }), fc.record({ double: fc.double() }), fc.record({ float: fc.float() }), fc.record({ string: fc.oneof(elementArb, rdbStringArb) })), { maxLength: 5 })
      .map((items) => ({ kind: 'module', module: { moduleId: encodeModuleId('test__rdb', 3), moduleName: 'test__rdb', moduleVersion: 3, payload: moduleItems(items) } }) satisfies RdbValue),
  },
);

const keyspaceArb: fc.Arbitrary<RdbWriteKeyEvent[]> = fc
  .uniqueArray(
    fc.record({
      db: fc.constantFrom(0, 0, 0, 1, 15),
      key: fc.oneof(fc.uint8Array({ maxLength: 12 }), elementArb),
      value: valueArb,
      expireAt: fc.option(fc.integer({ min: 1, max: 2 ** 45 }), { nil: null, freq: 3 }),
      lruIdle: fc.option(fc.nat(100000), { nil: null, freq: 4 }),
    }),
    { maxLength: 12, selector: (k) => `${k.db}:${toHex(k.key)}` },
  )
  .map((keys) =>
    [...keys]
      .sort((a, b) => a.db - b.db)
      .map((k) => ({ type: 'key', db: k.db, key: k.key, value: k.value, expireAt: k.expireAt, lruIdle: k.lruIdle }) satisfies RdbWriteKeyEvent),
  );

/** The versions that can hold every key of a keyspace as it is. */
function holdingVersions(keys: RdbWriteKeyEvent[]): number[] {
  let min = 6;
  for (const k of keys) {
    const v = k.value;
    if (v.kind === 'stream') min = Math.max(min, 9);
    if (v.kind === 'module') min = Math.max(min, 8);
    if (v.kind === 'hash' && v.entries.some((e: HashEntry) => e.expireAt !== null)) min = Math.max(min, 12);
  }
  return VERSIONS.filter((v) => v >= min);
}

describe('writeRdb: round trips', () => {
  test.prop([keyspaceArb, fc.boolean()], { numRuns: 150 })(
    'Random keyspaces: readRdb(writeRdb(keys)) gives back the keys at every version that can hold them, and lossy writes the rest',
    async (keys, compress) => {
      const holding = holdingVersions(keys);
      for (const version of holding) {
        const out = await writeBytes(keys, { version, compress });
        const back = keysOf(await readAll(out));
        expect(normalizeKeys(back, null)).toEqual(normalizeKeys(keys, version));
      }
      // Lossy writes at every other version keep everything but what the version cannot hold.
      for (const version of VERSIONS.filter((v) => !holding.includes(v))) {
        const losses: RdbWriteLoss[] = [];
        const out = await writeBytes(keys, { version, compress, lossy: true, onLoss: (l) => losses.push(l) });
        const dropped = new Set(losses.filter((l) => l.kind === 'key').map((l) => `${l.db}:${toHex(l.key!)}`));
        const kept = keys.filter((k) => !dropped.has(`${k.db}:${toHex(k.key)}`));
        expect(normalizeKeys(keysOf(await readAll(out)), null)).toEqual(normalizeKeys(kept, version));
        expect(losses.length).toBeGreaterThan(0);
      }
    },
  );

  it('Keys in parts: writing the reader\'s parts gives the same bytes as writing whole keys', async () => {
    for (const file of ['7.0.15/rdb-full.rdb', '7.4.1/rdb-full.rdb', '5.0.14/rdb-full.rdb']) {
      const bytes = readFileSync(join(CORPUS, file));
      const whole = await readAll(bytes);
      const parted = await readAll(bytes, 512);
      expect(parted.filter((e) => e.type === 'key' && e.part !== undefined).length, file).toBeGreaterThan(10);
      const options: WriteRdbOptions = { lossy: true, ctime: 1 };
      // Fed lazily from the reader, so parts' bytes are only valid until the next read.
      const fromParts = await writeBytes(readRdb(feed(bytes, 'random-splits', 7), { partBytes: 512 }), options);
      expect(toHex(fromParts) === toHex(await writeBytes(whole, options)), file).toBe(true);
    }
  });
});

interface CorpusFile {
  name: string;
  path: string;
}

function corpusRdbFiles(): CorpusFile[] {
  const out: CorpusFile[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.rdb')) out.push({ name: p.slice(CORPUS.length + 1), path: p });
    }
  };
  walk(CORPUS);
  return out;
}

/** Hex keys of the streams with a consumer whose active time differs from its seen time (RDB 11+ data). */
function streamsWithOwnActiveTime(events: readonly RdbEvent[]): string[] {
  const keys = new Set<string>();
  for (const e of events) {
    if (e.type !== 'key' || e.value.kind !== 'stream' || e.value.meta === null) continue;
    if (e.value.meta.groups.some((g) => g.consumers.some((c) => c.activeTime !== null && c.activeTime !== c.seenTime))) keys.add(toHex(e.key));
  }
  return [...keys].sort();
}

describe('writeRdb: corpus round trip (every RDB written by a real server)', () => {
  const files = corpusRdbFiles();

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it.each(files.map((f) => [f.name, f] as const))('%s: read -> write (its own version, and 10) -> read gives the same data', async (_name, file) => {
    const source = await readAll(readFileSync(file.path));
    const header = source[0]!;
    expect(header.type).toBe('header');
    const ownVersion = header.type === 'header' && header.dialect === 'redis' ? header.version : 0;
    const versions = [...new Set([ownVersion, 10])].filter((v) => v >= 6 && v <= 12);
    const sourceKeys = keysOf(source);
    const functions = source.flatMap((e) => (e.type === 'function' ? [toHex(e.code)] : []));
    const moduleAux = source.flatMap((e) => (e.type === 'moduleAux' ? [[e.moduleId, e.when, toHex(e.payload)]] : []));
    for (const version of versions) {
      const losses: RdbWriteLoss[] = [];
      const out = await writeBytes(source, { version, lossy: true, onLoss: (l) => losses.push(l) });
      const back = await readAll(out);
      expect(normalizeKeys(keysOf(back), null), `RDB ${version}`).toEqual(normalizeKeys(sourceKeys, version));
      expect(back.flatMap((e) => (e.type === 'function' ? [toHex(e.code)] : []))).toEqual(version >= 10 ? functions : []);
      expect(back.flatMap((e) => (e.type === 'moduleAux' ? [[e.moduleId, e.when, toHex(e.payload)]] : []))).toEqual(moduleAux);
      expect(back.at(-1)).toMatchObject({ type: 'eof', checksum: 'match' });
      // Only hash field TTLs (RDB 12 data at 10), functions (at 9) and, below RDB 11, the active
      // time of consumers that have one apart from their seen time may be lost.
      const allowed = losses.every(
        (l) => (l.kind === 'hash-field-ttls' && version < 12) || (l.kind === 'function' && version < 10) || (l.kind === 'stream-metadata' && version < 11),
      );
      expect(allowed, JSON.stringify(losses.map((l) => l.reason))).toBe(true);
      const activeTimeKeys = version < 11 ? streamsWithOwnActiveTime(source) : [];
      expect(losses.filter((l) => l.kind === 'stream-metadata').map((l) => toHex(l.key!)).sort(), `RDB ${version}`).toEqual(activeTimeKeys);
      if (version === ownVersion) expect(losses).toEqual([]);
    }
  });

  it('Size: 7.0.15/rdb-full.rdb re-encoded at RDB 10 is within 5% of the original', async () => {
    const bytes = readFileSync(join(CORPUS, '7.0.15/rdb-full.rdb'));
    const out = await writeBytes(await readAll(bytes), { version: 10 });
    console.info(`7.0.15/rdb-full.rdb: original ${bytes.length} bytes, writeRdb (RDB 10) ${out.length} bytes (${((out.length / bytes.length - 1) * 100).toFixed(2)}%)`);
    expect(Math.abs(out.length - bytes.length) / bytes.length).toBeLessThan(0.05);
  });
});
