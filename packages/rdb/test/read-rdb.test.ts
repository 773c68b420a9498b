import { readFileSync } from 'node:fs';

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import {
  decodeModuleId,
  encodeListpack,
  encodeModuleId,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_SET_LISTPACK,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STREAM_LISTPACKS_3,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
  readRdb,
  writeLength,
} from '@redis-forensics/rdb';
import {
  collect,
  concatBytes,
  craftedRdbArb,
  feed,
  FEED_MODES,
  moduleItems,
  rdbBytes,
  rdbString,
  readRdbError,
  streamNodeElements,
} from '@redis-forensics/testkit';

import type { FormatError } from '@redis-forensics/core';
import type { RdbEvent, RdbKeyEvent, ReadRdbOptions } from '@redis-forensics/rdb';
import type { FeedMode } from '@redis-forensics/testkit';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const corpus = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../../fixtures/corpus/${name}`, import.meta.url)));

/** Read `bytes` fed in `mode` (small random chunks), and check the events equal the whole-feed ones. */
async function read(bytes: Uint8Array, mode: FeedMode, options: ReadRdbOptions = {}): Promise<RdbEvent[]> {
  const events = await collect(readRdb(feed(bytes, mode, 42, 7), options));
  if (mode !== 'whole') expect(events).toEqual(await collect(readRdb(feed(bytes, 'whole'), options)));
  return events;
}

const keys = (events: RdbEvent[]): RdbKeyEvent[] => events.filter((e): e is RdbKeyEvent => e.type === 'key');

function onlyKey(events: RdbEvent[]): RdbKeyEvent {
  const ks = keys(events);
  expect(ks).toHaveLength(1);
  return ks[0]!;
}

/** The error readRdb throws for `bytes` fed in `mode`; the same error in every feed mode. */
const readError = (bytes: Uint8Array, mode: FeedMode, options: ReadRdbOptions = {}): Promise<FormatError> => readRdbError(bytes, mode, options, 42, 7);

// FORMAT.md 12.3: the complete RDB written by Redis 7.4.1 (k = "v"; n = "1000" expiring at 1800000000000).
const MINIMAL_RDB = hex(
  '524544495330303132fa0972656469732d76657205372e342e31fa0a72656469732d62697473c040fa056374696d65c23847016b' +
    'fa08757365642d6d656dc258b50f00fa08616f662d62617365c000fe00fb020100016b0176fc00505c18a301000000016ec1e803ff' +
    'e5fcb485b05e97f2',
);

// FORMAT.md 12.5: HASH_METADATA record of hash "ht" written by Redis 7.4.1.
const HASH_METADATA_RECORD = hex('18 02 6874 0038d360ba010000 03 00 0163 c003 01 0161 c001 41f5 0162 c002');

// FORMAT.md 12.6: stream record of key "s" (type 21) written by Redis 7.4.1.
const STREAM_RECORD = hex(
  '15 01 73 01 10 0000000000000001 0000000000000001 4048' +
    '48000000 1900 0301 0001 0201 816602 816702 0001 0201 0001 0001 817602 817702 0501' +
    '0201 0001 0101 82763203 82773203 0501 0001 0101 dfff02 0101 856f7468657206 817802 0601 ff' +
    '03 0200 0101 0000 03 01 03677270 0101 01 01' +
    '0000000000000001 0000000000000001 256702fda1010000 01' +
    '01 05616c696365 256702fda1010000 256702fda1010000 01 0000000000000001 0000000000000001',
);
const STREAM_TIME = 0x01a1fd026725;

const KEY_DEFAULTS = { db: 0, expireAt: null, lruIdle: null, lfuFreq: null };

describe('readRdb: the Redis 7.4.1 minimal RDB (FORMAT.md 12.3)', () => {
  it('Builder: writes the same 113 bytes as Redis 7.4.1', () => {
    const built = rdbBytes(12)
      .aux('redis-ver', '7.4.1')
      .aux('redis-bits', '64')
      .aux('ctime', '1795245880')
      .aux('used-mem', '1029464')
      .aux('aof-base', '0')
      .selectDb(0)
      .resizeDb(2, 1)
      .stringKey('k', 'v')
      .expireMs(1800000000000)
      .stringKey('n', '1000')
      .eof();
    expect(built).toEqual(MINIMAL_RDB);
  });

  it.each(FEED_MODES)('Fed %s: header, 5 aux, selectDb, resizeDb, 2 keys, eof with matching CRC, with exact spans', async (mode) => {
    const events = await read(MINIMAL_RDB, mode);
    expect(events).toEqual([
      { type: 'header', offset: 0, end: 9, magic: 'REDIS', version: 12, dialect: 'redis' },
      { type: 'aux', offset: 9, end: 26, key: ascii('redis-ver'), value: ascii('7.4.1') },
      { type: 'aux', offset: 26, end: 40, key: ascii('redis-bits'), value: ascii('64') },
      { type: 'aux', offset: 40, end: 52, key: ascii('ctime'), value: ascii('1795245880') },
      { type: 'aux', offset: 52, end: 67, key: ascii('used-mem'), value: ascii('1029464') },
      { type: 'aux', offset: 67, end: 79, key: ascii('aof-base'), value: ascii('0') },
      { type: 'selectDb', offset: 79, end: 81, db: 0 },
      { type: 'resizeDb', offset: 81, end: 84, dbSize: 2, expiresSize: 1 },
      { type: 'key', offset: 84, end: 89, ...KEY_DEFAULTS, key: ascii('k'), rdbType: 0, encoding: 'string', redisType: 'string', value: { kind: 'string', value: ascii('v') } },
      {
        type: 'key', offset: 89, end: 104, ...KEY_DEFAULTS, expireAt: 1800000000000, key: ascii('n'), rdbType: 0, encoding: 'string', redisType: 'string',
        value: { kind: 'string', value: ascii('1000') },
      },
      { type: 'eof', offset: 104, end: 113, storedChecksum: 0xf2975eb085b4fce5n, computedChecksum: 0xf2975eb085b4fce5n, checksum: 'match' },
    ]);
  });
});

describe('readRdb: headers', () => {
  it.each(FEED_MODES)('VALKEY080 (Valkey 9): magic VALKEY, version 80, dialect valkey (%s)', async (mode) => {
    const events = await read(rdbBytes(80, { magic: 'VALKEY' }).eof(), mode);
    expect(events[0]).toEqual({ type: 'header', offset: 0, end: 9, magic: 'VALKEY', version: 80, dialect: 'valkey' });
    expect(events[1]).toMatchObject({ type: 'eof', checksum: 'match' });
  });

  it.each(FEED_MODES)('REDIS0001 (Redis 1.x): no checksum trailer, eof checksum "absent" (%s)', async (mode) => {
    const bytes = rdbBytes(1).selectDb(0).stringKey('a', 'b').eof();
    expect(bytes[bytes.length - 1]).toBe(0xff);
    const events = await read(bytes, mode);
    expect(events.at(-1)).toMatchObject({ type: 'eof', offset: bytes.length - 1, end: bytes.length, storedChecksum: null, checksum: 'absent' });
  });

  it.each(FEED_MODES)('Zero checksum (rdbchecksum no): accepted, checksum "disabled" (%s)', async (mode) => {
    const events = await read(rdbBytes(12).stringKey('a', 'b').eof({ checksum: 'zero' }), mode);
    expect(events.at(-1)).toMatchObject({ type: 'eof', storedChecksum: 0n, checksum: 'disabled' });
  });

  it.each(FEED_MODES)('verifyChecksum false: a wrong checksum is not checked, checksum "skipped" (%s)', async (mode) => {
    const bytes = rdbBytes(12).stringKey('a', 'b').eof();
    bytes[bytes.length - 1]! ^= 0xff;
    const events = await read(bytes, mode, { verifyChecksum: false });
    expect(events.at(-1)).toMatchObject({ type: 'eof', checksum: 'skipped' });
  });

  it.each(FEED_MODES)('Bytes after the trailer: not read; the generator stops at eof (%s)', async (mode) => {
    const bytes = concatBytes(rdbBytes(12).stringKey('a', 'b').eof(), ascii('garbage'));
    const events = await read(bytes, mode);
    expect(events.at(-1)).toMatchObject({ type: 'eof', checksum: 'match' });
  });
});

describe('readRdb: opcodes', () => {
  it.each(FEED_MODES)('SELECTDB and RESIZEDB: db numbers carried by the keys that follow (%s)', async (mode) => {
    const bytes = rdbBytes(12).selectDb(0).resizeDb(1, 0).stringKey('a', '1').selectDb(15).resizeDb(70000, 20000).stringKey('a', '2').selectDb(100000).stringKey('b', '3').eof();
    const events = await read(bytes, mode);
    expect(events.filter((e) => e.type === 'selectDb').map((e) => (e.type === 'selectDb' ? e.db : -1))).toEqual([0, 15, 100000]);
    expect(events.find((e) => e.type === 'resizeDb' && e.dbSize === 70000)).toMatchObject({ expiresSize: 20000 });
    expect(keys(events).map((k) => [k.db, k.value])).toEqual([
      [0, { kind: 'string', value: ascii('1') }],
      [15, { kind: 'string', value: ascii('2') }],
      [100000, { kind: 'string', value: ascii('3') }],
    ]);
  });

  it.each(FEED_MODES)('AUX: keys and values as stored, binary and LZF values included (%s)', async (mode) => {
    const long = 'x'.repeat(200);
    const bytes = rdbBytes(12).aux('%note', long).aux('key\xff', '\x00').aux('repl-offset', '-1').eof();
    const aux = (await read(bytes, mode)).filter((e) => e.type === 'aux');
    expect(aux.map((e) => (e.type === 'aux' ? [e.key, e.value] : []))).toEqual([
      [ascii('%note'), ascii(long)],
      [Uint8Array.of(0x6b, 0x65, 0x79, 0xff), Uint8Array.of(0)],
      [ascii('repl-offset'), ascii('-1')],
    ]);
  });

  it.each(FEED_MODES)('EXPIRETIME_MS, IDLE, FREQ: on the next key only, its span starting at the first prefix (%s)', async (mode) => {
    const b = rdbBytes(12).selectDb(0).mark('a').expireMs(1800000000123).idle(3600).freq(200).stringKey('a', 'v').mark('b').stringKey('b', 'w').eof();
    const [a, bk] = keys(await read(b, mode));
    expect(a).toMatchObject({ offset: 11, expireAt: 1800000000123, lruIdle: 3600, lfuFreq: 200 });
    expect(bk).toMatchObject({ offset: a!.end, expireAt: null, lruIdle: null, lfuFreq: null });
  });

  it.each(FEED_MODES)('EXPIRETIME (seconds, Redis <= 2.4): expireAt in ms (%s)', async (mode) => {
    const bytes = rdbBytes(2).selectDb(0).expireSeconds(2051222400).stringKey('s:ttl', 'v').eof();
    expect(onlyKey(await read(bytes, mode))).toMatchObject({ offset: 11, expireAt: 2051222400000 });
  });

  it.each(FEED_MODES)('EXPIRETIME_MS before 1970: a negative expireAt (%s)', async (mode) => {
    expect(onlyKey(await read(rdbBytes(9).expireMs(-5).stringKey('k', 'v').eof(), mode)).expireAt).toBe(-5);
  });

  it.each(FEED_MODES)('SLOT_INFO (Redis 7.4.1 cluster bytes f4 6f 96 02 00): slot 12182, 2 keys, 0 expires (%s)', async (mode) => {
    // FORMAT.md 12.7: SLOT_INFO records from a real cluster RDB.
    const bytes = rdbBytes(12).selectDb(0).raw(hex('f4 6f96 02 00')).stringKey('a', 'b').raw(hex('f4 53c5 01 00')).stringKey('c', 'd').eof();
    const events = (await read(bytes, mode)).filter((e) => e.type === 'slotInfo');
    expect(events).toEqual([
      { type: 'slotInfo', offset: 11, end: 16, slot: 12182, slotSize: 2, expiresSlotSize: 0 },
      { type: 'slotInfo', offset: 21, end: 26, slot: 5061, slotSize: 1, expiresSlotSize: 0 },
    ]);
  });

  it.each(FEED_MODES)('SLOT_INFO from the builder: same event (%s)', async (mode) => {
    const events = await read(rdbBytes(12).slotInfo(16383, 5, 1).eof(), mode);
    expect(events[1]).toEqual({ type: 'slotInfo', offset: 9, end: 14, slot: 16383, slotSize: 5, expiresSlotSize: 1 });
  });

  it.each(FEED_MODES)('FUNCTION2: library code, engine and name from the shebang (%s)', async (mode) => {
    const code = "#!lua name=mylib\nredis.register_function('myfunc', function(keys, args) return 1 end)";
    const b = rdbBytes(10).aux('redis-ver', '7.0.15').mark('f1').function2(code).mark('f2').function2('no shebang').mark('end');
    const fns = (await read(b.eof(), mode)).filter((e) => e.type === 'function');
    expect(fns).toEqual([
      { type: 'function', offset: b.at('f1'), end: b.at('f2'), code: ascii(code), engine: 'lua', libraryName: 'mylib', preGa: false },
      { type: 'function', offset: b.at('f2'), end: b.at('end'), code: ascii('no shebang'), engine: null, libraryName: null, preGa: false },
    ]);
  });

  it.each(FEED_MODES)('FUNCTION_PRE_GA (7.0-rc): converted to "#!<engine> name=<name>\\n" + code, with or without description (%s)', async (mode) => {
    const bytes = rdbBytes(10).functionPreGa('lib1', 'LUA', 'return 1').functionPreGa('lib2', 'LUA', 'return 2', 'a description').eof();
    const fns = (await read(bytes, mode)).filter((e) => e.type === 'function');
    expect(fns.map((f) => (f.type === 'function' ? [f.code, f.engine, f.libraryName, f.preGa] : []))).toEqual([
      [ascii('#!LUA name=lib1\nreturn 1'), 'LUA', 'lib1', true],
      [ascii('#!LUA name=lib2\nreturn 2'), 'LUA', 'lib2', true],
    ]);
  });

  it.each(FEED_MODES)(
    'FUNCTION_PRE_GA with name bytes >= 0x80: code keeps the name bytes verbatim (%s)',
    async (mode) => {
      const bytes = rdbBytes(10).functionPreGa('lib\xe9', 'LUA', 'return 1').eof();
      const fn = (await read(bytes, mode)).find((e) => e.type === 'function');
      expect(fn).toMatchObject({ code: concatBytes(ascii('#!LUA name=lib'), Uint8Array.of(0xe9), ascii('\nreturn 1')) });
    },
  );

  it.each(FEED_MODES)('MODULE_AUX before and after the keyspace: module name, version, when, raw payload (%s)', async (mode) => {
    const id = encodeModuleId('test__rdb', 1);
    const items = [{ uint: 1 }, { string: 'before' }];
    const after = [{ double: 1.5 }, { float: 0.25 }, { sint: -2 }];
    const bytes = rdbBytes(12).moduleAux(id, 1, items).selectDb(0).stringKey('a', 'b').moduleAux(id, 2, after).eof();
    const aux = (await read(bytes, mode)).filter((e) => e.type === 'moduleAux');
    expect(aux).toEqual([
      { type: 'moduleAux', offset: 9, end: aux[0]!.end, moduleId: id, moduleName: 'test__rdb', moduleVersion: 1, when: 1, payload: moduleItems(items) },
      { type: 'moduleAux', offset: aux[1]!.offset, end: bytes.length - 9, moduleId: id, moduleName: 'test__rdb', moduleVersion: 1, when: 2, payload: moduleItems(after) },
    ]);
  });

  it.each(FEED_MODES)('MODULE_AUX whose "when" is not a UINT item: MODULE_BAD_AUX (%s)', async (mode) => {
    const bytes = rdbBytes(12).raw(Uint8Array.of(0xf7 /* RDB_OPCODE_MODULE_AUX */), writeLength(5), writeLength(5) /* not UINT */, writeLength(1), writeLength(0)).eof();
    const e = await readError(bytes, mode);
    expect(e.code).toBe('MODULE_BAD_AUX');
    expect(e.offset).toBe(11);
    expect(e.phase).toBe('read-module-aux');
  });

  it.each(FEED_MODES)('Valkey SLOT_IMPORT (0xf3 in a VALKEY file): job name and slot ranges (%s)', async (mode) => {
    const job = 'j'.repeat(40);
    const bytes = rdbBytes(80, { magic: 'VALKEY' }).slotImport(job, [[0, 100], [16000, 16383]]).eof();
    const ev = (await read(bytes, mode))[1];
    expect(ev).toMatchObject({ type: 'slotImport', offset: 9, jobName: ascii(job), ranges: [[0, 100], [16000, 16383]] });
  });

  it.each(FEED_MODES)('Opcode 0xf3 in a REDIS file (Redis 8.6 KEY_META): attached to the next key, whose span starts at the opcode (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(13).selectDb(0).raw(Uint8Array.of(0xf3, 0x00)).stringKey('a', 'b').eof(), mode));
    expect(k).toMatchObject({ offset: 11, key: ascii('a'), keyMeta: [] });
  });
});

describe('readRdb: value types', () => {
  it.each(FEED_MODES)('Type 0 STRING: raw, empty, INT8/16/32 and LZF values as bytes (%s)', async (mode) => {
    const long = 'abc'.repeat(100);
    const bytes = rdbBytes(12).selectDb(0).stringKey('raw', 'hello').stringKey('empty', '').stringKey('i8', '-5').stringKey('i16', '1000').stringKey('i32', '-100000').stringKey('lzf', long).stringKey('\x00\xff', 'bin').eof();
    const ks = keys(await read(bytes, mode));
    expect(ks.map((k) => [k.key, k.value, k.encoding, k.redisType, k.rdbType])).toEqual([
      [ascii('raw'), { kind: 'string', value: ascii('hello') }, 'string', 'string', 0],
      [ascii('empty'), { kind: 'string', value: ascii('') }, 'string', 'string', 0],
      [ascii('i8'), { kind: 'string', value: ascii('-5') }, 'string', 'string', 0],
      [ascii('i16'), { kind: 'string', value: ascii('1000') }, 'string', 'string', 0],
      [ascii('i32'), { kind: 'string', value: ascii('-100000') }, 'string', 'string', 0],
      [ascii('lzf'), { kind: 'string', value: ascii(long) }, 'string', 'string', 0],
      [Uint8Array.of(0, 0xff), { kind: 'string', value: ascii('bin') }, 'string', 'string', 0],
    ]);
  });

  it.each(FEED_MODES)('Type 1 LIST: elements in order (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(6).listKey('l', ['a', '12', 'x'.repeat(100), '']).eof(), mode));
    expect(k).toMatchObject({ rdbType: 1, encoding: 'list-linked', redisType: 'list', value: { kind: 'list', elements: [ascii('a'), ascii('12'), ascii('x'.repeat(100)), ascii('')] } });
  });

  it.each(FEED_MODES)('Type 2 SET: members (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(12).setKey('s', ['a', 'b', '3']).eof(), mode));
    expect(k).toMatchObject({ rdbType: 2, encoding: 'set-hashtable', redisType: 'set', value: { kind: 'set', members: [ascii('a'), ascii('b'), ascii('3')] } });
  });

  it.each(FEED_MODES)('Type 3 ZSET: string-double scores, with 254 (+inf) and 255 (-inf) (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(6).zsetKey('z', [['a', -Infinity], ['b', '1.5'], ['c', '3.1415926535897931'], ['d', Infinity]]).eof(), mode));
    expect(k).toMatchObject({
      rdbType: 3, encoding: 'zset-v1', redisType: 'zset',
      value: { kind: 'zset', entries: [{ member: ascii('a'), score: -Infinity }, { member: ascii('b'), score: 1.5 }, { member: ascii('c'), score: Math.PI }, { member: ascii('d'), score: Infinity }] },
    });
  });

  it.each(FEED_MODES)('Type 4 HASH: field/value pairs, no TTLs (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(12).hashKey('h', [['f', 'v'], ['', 'empty field'], ['n', '7']]).eof(), mode));
    expect(k).toMatchObject({
      rdbType: 4, encoding: 'hash-hashtable', redisType: 'hash',
      value: { kind: 'hash', entries: [{ field: ascii('f'), value: ascii('v'), expireAt: null }, { field: ascii(''), value: ascii('empty field'), expireAt: null }, { field: ascii('n'), value: ascii('7'), expireAt: null }] },
    });
  });

  it.each(FEED_MODES)('Type 5 ZSET_2: binary double scores (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(9).zset2Key('z', [['hi', 1e300], ['lo', -0.5], ['tiny', 5e-324]]).eof(), mode));
    expect(k).toMatchObject({ rdbType: 5, encoding: 'zset-v2', value: { kind: 'zset', entries: [{ member: ascii('hi'), score: 1e300 }, { member: ascii('lo'), score: -0.5 }, { member: ascii('tiny'), score: 5e-324 }] } });
  });

  it.each(FEED_MODES)('Type 6 MODULE_PRE_GA (4.0-rc1): MODULE_UNSUPPORTED at the value, naming the module (%s)', async (mode) => {
    const id = encodeModuleId('hellotype', 0);
    const bytes = rdbBytes(8).selectDb(0).rawKey(6, 'm', concatBytes(writeLength(id), Uint8Array.of(1, 2, 3))).eof();
    const e = await readError(bytes, mode);
    expect(e.code).toBe('MODULE_UNSUPPORTED');
    expect(e.offset).toBe(14);
    expect(e.detail).toContain('hellotype');
    expect(e.key).toEqual(ascii('m'));
  });

  it.each(FEED_MODES)('Type 7 MODULE_2: module id (hellotype = 0x85e965a2dca97800), raw annotated payload of every item kind (%s)', async (mode) => {
    // FORMAT.md 12.7: module ID for type name "hellotype", encver 0.
    expect(encodeModuleId('hellotype', 0)).toBe(0x85e965a2dca97800n);
    expect(decodeModuleId(0x85e965a2dca97800n)).toEqual({ name: 'hellotype', version: 0 });
    const items = [{ uint: 2n ** 64n - 1n }, { sint: -1 }, { float: 1.5 }, { double: -2.25 }, { string: 'payload' }, { string: 'y'.repeat(50) }];
    const bytes = rdbBytes(12).selectDb(0).moduleKey('m', 0x85e965a2dca97800n, items).stringKey('after', 'x').eof();
    const [m, after] = keys(await read(bytes, mode));
    expect(m).toMatchObject({
      rdbType: 7, encoding: 'module-value', redisType: 'module',
      value: { kind: 'module', module: { moduleId: 0x85e965a2dca97800n, moduleName: 'hellotype', moduleVersion: 0, payload: moduleItems(items) } },
    });
    expect(after).toMatchObject({ offset: m!.end, value: { kind: 'string', value: ascii('x') } });
  });

  it.each(FEED_MODES)('Type 7 MODULE_2 with an unknown item opcode 6: MODULE_BAD_OPCODE at the item (%s)', async (mode) => {
    const bytes = rdbBytes(12).selectDb(0).rawKey(7, 'm', concatBytes(writeLength(5) /* module id */, writeLength(2), writeLength(1), writeLength(6) /* no such item */, writeLength(0))).eof();
    const e = await readError(bytes, mode);
    expect(e.code).toBe('MODULE_BAD_OPCODE');
    expect(e.offset).toBe(11 + 3 + 3);
    expect(e.phase).toBe('read-object-value');
  });

  it.each(FEED_MODES)('Type 9 HASH_ZIPMAP (Redis 2.4): pairs (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(2).selectDb(0).zipmapKey('h', [['f', 'v'], ['big', 'b'.repeat(300)]]).eof(), mode));
    expect(k).toMatchObject({ rdbType: 9, encoding: 'hash-zipmap', redisType: 'hash', value: { kind: 'hash', entries: [{ field: ascii('f'), value: ascii('v'), expireAt: null }, { field: ascii('big'), value: ascii('b'.repeat(300)), expireAt: null }] } });
  });

  it.each(FEED_MODES)('Type 10 LIST_ZIPLIST: elements, integers as decimal text (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(6).ziplistKey(RDB_TYPE_LIST_ZIPLIST, 'l', ['a', 7, -300, 70000, 2n ** 40n, 'z'.repeat(300)]).eof(), mode));
    expect(k).toMatchObject({ rdbType: 10, encoding: 'list-ziplist', value: { kind: 'list', elements: [ascii('a'), ascii('7'), ascii('-300'), ascii('70000'), ascii(String(2 ** 40)), ascii('z'.repeat(300))] } });
  });

  it.each(FEED_MODES)('Type 11 SET_INTSET: members as decimal text, ascending (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(12).intsetKey('i', [3, -7, 2, 2n ** 62n]).eof(), mode));
    expect(k).toMatchObject({ rdbType: 11, encoding: 'set-intset', redisType: 'set', value: { kind: 'set', members: [ascii('-7'), ascii('2'), ascii('3'), ascii(String(2n ** 62n))] } });
  });

  it.each(FEED_MODES)('Type 12 ZSET_ZIPLIST (FORMAT.md 12.4 zset {a:1, b:2.5}): scores from integers and text (%s)', async (mode) => {
    const blob = hex('18000000 12000000 0400 000161 03f2 020162 0303322e35 ff'); // written by Redis 6.2
    const k = onlyKey(await read(rdbBytes(9).rawKey(12, 'z', concatBytes(Uint8Array.of(blob.length), blob)).eof(), mode));
    expect(k).toMatchObject({ rdbType: 12, encoding: 'zset-ziplist', value: { kind: 'zset', entries: [{ member: ascii('a'), score: 1 }, { member: ascii('b'), score: 2.5 }] } });
  });

  it.each(FEED_MODES)('Type 13 HASH_ZIPLIST (FORMAT.md 12.4 hash {f: v, n: 7}): pairs (%s)', async (mode) => {
    const blob = hex('16000000 13000000 0400 000166 030176 03016e 03f8 ff'); // written by Redis 6.2
    const k = onlyKey(await read(rdbBytes(9).rawKey(13, 'h', concatBytes(Uint8Array.of(blob.length), blob)).eof(), mode));
    expect(k).toMatchObject({ rdbType: 13, encoding: 'hash-ziplist', value: { kind: 'hash', entries: [{ field: ascii('f'), value: ascii('v'), expireAt: null }, { field: ascii('n'), value: ascii('7'), expireAt: null }] } });
  });

  it.each(FEED_MODES)('Type 14 LIST_QUICKLIST: ziplist nodes concatenated (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(7).quicklistKey('q', [['a', 'b'], [1, 2, 3], ['c']]).eof(), mode));
    expect(k).toMatchObject({ rdbType: 14, encoding: 'quicklist', redisType: 'list', value: { kind: 'list', elements: ['a', 'b', '1', '2', '3', 'c'].map(ascii) } });
  });

  it.each(FEED_MODES)('Type 16 HASH_LISTPACK: pairs (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(10).listpackKey(RDB_TYPE_HASH_LISTPACK, 'h', ['f', 'v', 'n', 70000]).eof(), mode));
    expect(k).toMatchObject({ rdbType: 16, encoding: 'hash-listpack', value: { kind: 'hash', entries: [{ field: ascii('f'), value: ascii('v'), expireAt: null }, { field: ascii('n'), value: ascii('70000'), expireAt: null }] } });
  });

  it.each(FEED_MODES)('Type 17 ZSET_LISTPACK (FORMAT.md 12.4 zset {c:-3, a:1, b:2.5}): member/score pairs (%s)', async (mode) => {
    const blob = hex('1a000000 0600 816302 dffd02 816102 0101 816202 83322e3504 ff'); // written by Redis 7.4.1
    const k = onlyKey(await read(rdbBytes(10).rawKey(17, 'z', concatBytes(Uint8Array.of(blob.length), blob)).eof(), mode));
    expect(k).toMatchObject({ rdbType: 17, encoding: 'zset-listpack', value: { kind: 'zset', entries: [{ member: ascii('c'), score: -3 }, { member: ascii('a'), score: 1 }, { member: ascii('b'), score: 2.5 }] } });
  });

  it.each(FEED_MODES)('Type 18 LIST_QUICKLIST_2: PACKED nodes (FORMAT.md 12.4 list) and a PLAIN node (%s)', async (mode) => {
    const packed = hex('1c000000 0700 816102 816202 816302 0101 0201 c12c02 f270110104 ff'); // written by Redis 7.4.1
    const value = concatBytes(Uint8Array.of(3), Uint8Array.of(2, packed.length), packed, Uint8Array.of(1, 4), ascii('big!'), Uint8Array.of(2, packed.length), packed);
    const k = onlyKey(await read(rdbBytes(10).rawKey(18, 'l', value).eof(), mode));
    const seven = ['a', 'b', 'c', '1', '2', '300', '70000'];
    expect(k).toMatchObject({ rdbType: 18, encoding: 'quicklist-v2', value: { kind: 'list', elements: [...seven, 'big!', ...seven].map(ascii) } });
  });

  it.each(FEED_MODES)('Type 18 LIST_QUICKLIST_2 from the builder: same elements (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(11).quicklist2Key('l', [{ packed: ['a', 1] }, { plain: 'p'.repeat(100) }]).eof(), mode));
    expect(k.value).toEqual({ kind: 'list', elements: [ascii('a'), ascii('1'), ascii('p'.repeat(100))] });
  });

  it.each(FEED_MODES)('Type 20 SET_LISTPACK (FORMAT.md 12.4 set a b c): members (%s)', async (mode) => {
    const blob = hex('10000000 0300 816102 816202 816302 ff'); // written by Redis 7.4.1
    const k = onlyKey(await read(rdbBytes(11).rawKey(20, 's', concatBytes(Uint8Array.of(blob.length), blob)).eof(), mode));
    expect(k).toMatchObject({ rdbType: 20, encoding: 'set-listpack', value: { kind: 'set', members: ['a', 'b', 'c'].map(ascii) } });
  });

  it.each(FEED_MODES)('Type 21 STREAM_LISTPACKS_3 (FORMAT.md 12.6, Redis 7.4.1): entries, metadata, group, PEL, consumer (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(12).selectDb(0).raw(STREAM_RECORD).eof(), mode));
    expect(k).toEqual({
      type: 'key', offset: 11, end: 11 + STREAM_RECORD.length, ...KEY_DEFAULTS, key: ascii('s'), rdbType: 21, encoding: 'stream-v3', redisType: 'stream',
      value: {
        kind: 'stream',
        entries: [
          { id: { ms: 1n, seq: 1n }, fields: ['f', 'v', 'g', 'w'].map(ascii) },
          { id: { ms: 1n, seq: 2n }, fields: ['f', 'v2', 'g', 'w2'].map(ascii) },
          { id: { ms: 2n, seq: 0n }, fields: ['other', 'x'].map(ascii) },
        ],
        meta: {
          length: 3, lastId: { ms: 2n, seq: 0n }, firstId: { ms: 1n, seq: 1n }, maxDeletedId: { ms: 0n, seq: 0n }, entriesAdded: 3,
          groups: [{
            name: ascii('grp'), lastId: { ms: 1n, seq: 1n }, entriesRead: 1,
            pending: [{ id: { ms: 1n, seq: 1n }, deliveryTime: STREAM_TIME, deliveryCount: 1, consumer: ascii('alice') }],
            consumers: [{ name: ascii('alice'), seenTime: STREAM_TIME, activeTime: STREAM_TIME, pending: [{ ms: 1n, seq: 1n }] }],
          }],
        },
      },
    });
  });

  it('Builder: the stream record of FORMAT.md 12.6 byte for byte', () => {
    const node = streamNodeElements([
      { id: { ms: 1n, seq: 1n }, fields: [['f', 'v'], ['g', 'w']] },
      { id: { ms: 1n, seq: 2n }, fields: [['f', 'v2'], ['g', 'w2']] },
      { id: { ms: 2n, seq: 0n }, fields: [['other', 'x']] },
    ]);
    const one = { ms: 1n, seq: 1n };
    const built = rdbBytes(12).streamKey(RDB_TYPE_STREAM_LISTPACKS_3, 's', {
      nodes: [node], length: 3, lastId: { ms: 2n, seq: 0n }, firstId: one, entriesAdded: 3,
      groups: [{
        name: 'grp', lastId: one, entriesRead: 1,
        pending: [{ id: one, deliveryTime: STREAM_TIME, deliveryCount: 1 }],
        consumers: [{ name: 'alice', seenTime: STREAM_TIME, activeTime: STREAM_TIME, pending: [one] }],
      }],
    }).bytes();
    expect(built.subarray(9)).toEqual(STREAM_RECORD);
  });

  const STREAM_SPEC = {
    nodes: [
      streamNodeElements([
        { id: { ms: 5n, seq: 0n }, fields: [['a', '1']] },
        { id: { ms: 5n, seq: 1n }, fields: [['a', '2']], deleted: true },
        { id: { ms: 6n, seq: 0n }, fields: [['b', '3'], ['c', '4']] },
      ]),
      streamNodeElements([{ id: { ms: 9n, seq: 0n }, fields: [['a', '5']] }]),
    ],
    length: 3,
    lastId: { ms: 9n, seq: 0n },
    firstId: { ms: 5n, seq: 0n },
    maxDeletedId: { ms: 5n, seq: 1n },
    entriesAdded: 4,
    groups: [{
      name: 'g', lastId: { ms: 6n, seq: 0n }, entriesRead: -1,
      pending: [{ id: { ms: 5n, seq: 0n }, deliveryTime: 1000, deliveryCount: 2 }],
      consumers: [{ name: 'bob', seenTime: 2000, pending: [{ ms: 5n, seq: 0n }] }, { name: 'carol', seenTime: 3000, activeTime: -1, pending: [] }],
    }],
  };
  const STREAM_ENTRIES = [
    { id: { ms: 5n, seq: 0n }, fields: ['a', '1'].map(ascii) },
    { id: { ms: 6n, seq: 0n }, fields: ['b', '3', 'c', '4'].map(ascii) },
    { id: { ms: 9n, seq: 0n }, fields: ['a', '5'].map(ascii) },
  ];

  it.each(FEED_MODES)('Type 15 STREAM_LISTPACKS (Redis 5.0): first ID derived, entriesRead and activeTime unknown, deleted entries skipped (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(9).streamKey(RDB_TYPE_STREAM_LISTPACKS, 's', STREAM_SPEC).eof(), mode));
    expect(k).toMatchObject({ rdbType: 15, encoding: 'stream', value: { kind: 'stream', entries: STREAM_ENTRIES } });
    expect(k.value.kind === 'stream' && k.value.meta).toEqual({
      length: 3, lastId: { ms: 9n, seq: 0n }, firstId: { ms: 5n, seq: 0n }, maxDeletedId: { ms: 0n, seq: 0n }, entriesAdded: 3,
      groups: [{
        name: ascii('g'), lastId: { ms: 6n, seq: 0n }, entriesRead: null,
        pending: [{ id: { ms: 5n, seq: 0n }, deliveryTime: 1000, deliveryCount: 2, consumer: ascii('bob') }],
        consumers: [{ name: ascii('bob'), seenTime: 2000, activeTime: null, pending: [{ ms: 5n, seq: 0n }] }, { name: ascii('carol'), seenTime: 3000, activeTime: null, pending: [] }],
      }],
    });
  });

  it.each(FEED_MODES)('Type 19 STREAM_LISTPACKS_2 (Redis 7.0): stored first/max-deleted IDs, entries added, entriesRead -1 as null (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(10).streamKey(RDB_TYPE_STREAM_LISTPACKS_2, 's', STREAM_SPEC).eof(), mode));
    expect(k).toMatchObject({ rdbType: 19, encoding: 'stream-v2', value: { kind: 'stream', entries: STREAM_ENTRIES } });
    expect(k.value.kind === 'stream' && k.value.meta).toMatchObject({
      firstId: { ms: 5n, seq: 0n }, maxDeletedId: { ms: 5n, seq: 1n }, entriesAdded: 4,
      groups: [{ entriesRead: null, consumers: [{ activeTime: null }, { activeTime: null }] }],
    });
  });

  it.each(FEED_MODES)('Type 21 with a never-active consumer: activeTime -1 (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(11).streamKey(RDB_TYPE_STREAM_LISTPACKS_3, 's', STREAM_SPEC).eof(), mode));
    expect(k.value.kind === 'stream' && k.value.meta?.groups[0]?.consumers.map((c) => c.activeTime)).toEqual([2000, -1]);
  });

  it.each(FEED_MODES)('Empty stream (XGROUP CREATE MKSTREAM): no nodes, metadata only (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(11).streamKey(RDB_TYPE_STREAM_LISTPACKS_3, 's', { nodes: [], length: 0, lastId: { ms: 0n, seq: 0n }, groups: [{ name: 'g', lastId: { ms: 0n, seq: 0n }, pending: [], consumers: [] }] }).eof(), mode));
    expect(k.value).toMatchObject({ kind: 'stream', entries: [], meta: { length: 0, groups: [{ name: ascii('g') }] } });
  });

  it.each(FEED_MODES)('Type 22 in a REDIS file (HASH_METADATA_PRE_GA, 7.4-rc): absolute expire times, 0 = none (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(12).hashMetadataPreGaKey('h', [{ field: 'a', value: '1', expireAt: 1900000000000 }, { field: 'b', value: '2' }]).eof(), mode));
    expect(k).toMatchObject({
      rdbType: 22, encoding: 'hash-hashtable-md-pre-ga', redisType: 'hash',
      value: { kind: 'hash', entries: [{ field: ascii('a'), value: ascii('1'), expireAt: 1900000000000 }, { field: ascii('b'), value: ascii('2'), expireAt: null }] },
    });
  });

  it.each(FEED_MODES)('Type 22 in a VALKEY file (HASH_2, Valkey 9): ms64 expire per field, -1 = none (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(80, { magic: 'VALKEY' }).hash2Key('h', [{ field: 'a', value: '1', expireAt: 1900000000000 }, { field: 'b', value: '2' }]).eof(), mode));
    expect(k).toMatchObject({
      rdbType: 22, encoding: 'hash-2', redisType: 'hash',
      value: { kind: 'hash', entries: [{ field: ascii('a'), value: ascii('1'), expireAt: 1900000000000 }, { field: ascii('b'), value: ascii('2'), expireAt: null }] },
    });
  });

  it.each(FEED_MODES)('Type 22 HASH_2 with an expire time below -1: RDB_BAD_EXPIRE at the expire field (%s)', async (mode) => {
    const b = rdbBytes(80, { magic: 'VALKEY' }).hash2Key('h', [{ field: 'a', value: '1', expireAt: -2 }]);
    const e = await readError(b.eof(), mode);
    expect(e.code).toBe('RDB_BAD_EXPIRE');
    expect(e.offset).toBe(9 + 3 + 1 + 2 + 2);
    expect(e.key).toEqual(ascii('h'));
  });

  it.each(FEED_MODES)('Type 23 in a REDIS file (HASH_LISTPACK_EX_PRE_GA): triplets with absolute expire times (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(12).hashListpackExPreGaKey('h', [{ field: 'a', value: '1', expireAt: 1900000000000 }, { field: 'b', value: '2' }]).eof(), mode));
    expect(k).toMatchObject({ rdbType: 23, encoding: 'hash-listpack-md-pre-ga', value: { kind: 'hash', entries: [{ field: ascii('a'), expireAt: 1900000000000 }, { field: ascii('b'), expireAt: null }] } });
  });

  it.each(FEED_MODES)('Type 23 in a VALKEY file (PATH_HASH, unconfirmed): RDB_UNKNOWN_TYPE (%s)', async (mode) => {
    const e = await readError(rdbBytes(80, { magic: 'VALKEY' }).rawKey(23, 'h', Uint8Array.of(0)).eof(), mode);
    expect(e.code).toBe('RDB_UNKNOWN_TYPE');
    expect(e.offset).toBe(9);
  });

  it.each(FEED_MODES)('Type 24 HASH_METADATA (FORMAT.md 12.5, Redis 7.4.1): TTLs relative to minExpire with the +1 bias (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(12).selectDb(0).raw(HASH_METADATA_RECORD).eof(), mode));
    expect(k).toEqual({
      type: 'key', offset: 11, end: 11 + HASH_METADATA_RECORD.length, ...KEY_DEFAULTS, key: ascii('ht'), rdbType: 24, encoding: 'hash-hashtable-md', redisType: 'hash',
      value: {
        kind: 'hash',
        entries: [
          { field: ascii('c'), value: ascii('3'), expireAt: null },
          { field: ascii('a'), value: ascii('1'), expireAt: 1900000000000 },
          { field: ascii('b'), value: ascii('2'), expireAt: 1900000000500 },
        ],
      },
    });
  });

  it('Builder: the HASH_METADATA record of FORMAT.md 12.5 byte for byte', () => {
    const built = rdbBytes(12).hashMetadataKey('ht', 1900000000000, [
      { field: 'c', value: '3' },
      { field: 'a', value: '1', expireAt: 1900000000000 },
      { field: 'b', value: '2', expireAt: 1900000000500 },
    ]).bytes();
    expect(built.subarray(9)).toEqual(HASH_METADATA_RECORD);
  });

  it.each(FEED_MODES)('Type 25 HASH_LISTPACK_EX: absolute expire times, 0 = none, stale minExpire ignored (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(12).hashListpackExKey('h', 1234, [{ field: 'a', value: '1', expireAt: 1900000000000 }, { field: 'b', value: '2' }]).eof(), mode));
    expect(k).toMatchObject({ rdbType: 25, encoding: 'hash-listpack-md', value: { kind: 'hash', entries: [{ field: ascii('a'), value: ascii('1'), expireAt: 1900000000000 }, { field: ascii('b'), value: ascii('2'), expireAt: null }] } });
  });

  it.each([8, 26, 27, 28, 29, 100, 242])('Type byte %d: RDB_UNKNOWN_TYPE at the type byte, in every feed mode', async (t) => {
    for (const mode of FEED_MODES) {
      const e = await readError(rdbBytes(12).selectDb(0).stringKey('ok', 'v').rawKey(t, 'k', Uint8Array.of(0)).eof(), mode);
      expect(e.code).toBe('RDB_UNKNOWN_TYPE');
      expect(e.offset).toBe(17);
      expect(e.phase).toBe('read-type');
    }
  });

  it.each(FEED_MODES)('Ziplist-, listpack- and intset-encoded values next to each other: each key its own value (%s)', async (mode) => {
    const bytes = rdbBytes(11)
      .selectDb(0)
      .ziplistKey(RDB_TYPE_ZSET_ZIPLIST, 'zz', ['m', 1])
      .ziplistKey(RDB_TYPE_HASH_ZIPLIST, 'hz', ['f', 'v'])
      .listpackKey(RDB_TYPE_ZSET_LISTPACK, 'zl', ['m', '-inf'])
      .listpackKey(RDB_TYPE_SET_LISTPACK, 'sl', ['x', 1])
      .eof();
    expect(keys(await read(bytes, mode)).map((k) => k.value)).toEqual([
      { kind: 'zset', entries: [{ member: ascii('m'), score: 1 }] },
      { kind: 'hash', entries: [{ field: ascii('f'), value: ascii('v'), expireAt: null }] },
      { kind: 'zset', entries: [{ member: ascii('m'), score: -Infinity }] },
      { kind: 'set', members: [ascii('x'), ascii('1')] },
    ]);
  });

  it.each(FEED_MODES)('Empty collections (Redis bug #8453 files), deep off: a key with an empty value (%s)', async (mode) => {
    const ks = keys(await read(rdbBytes(9).listKey('l', []).setKey('s', []).hashKey('h', []).eof(), mode, { deep: false }));
    expect(ks.map((k) => k.value)).toEqual([{ kind: 'list', elements: [] }, { kind: 'set', members: [] }, { kind: 'hash', entries: [] }]);
  });

  it.each(FEED_MODES)('Empty collections, deep validation: RDB_EMPTY_VALUE at the key record, as redis-check-rdb refuses them (%s)', async (mode) => {
    const b = rdbBytes(9).selectDb(0).stringKey('a', 'x').mark('empty').setKey('s', []);
    await expect(read(b.eof(), mode)).rejects.toMatchObject({ code: 'RDB_EMPTY_VALUE', offset: b.at('empty'), key: ascii('s') });
  });

  it.each(FEED_MODES)('Quicklist whose only node is an empty listpack, deep validation: RDB_EMPTY_VALUE (%s)', async (mode) => {
    const b = rdbBytes(10).selectDb(0).mark('ql').rawKey(18, 'q', concatBytes(Uint8Array.of(1, 2), rdbString(encodeListpack([]))));
    await expect(read(b.eof(), mode)).rejects.toMatchObject({ code: 'RDB_EMPTY_VALUE', offset: b.at('ql') });
  });
});

describe('readRdb: parts of large values', () => {
  it.each(FEED_MODES)('partBytes 16: a 10-element list comes in contiguous parts whose elements add up (%s)', async (mode) => {
    const els = Array.from({ length: 10 }, (_, i) => `element-${i}`);
    const b = rdbBytes(12).selectDb(0).mark('list').expireMs(1900000000000).listKey('l', els).mark('end').stringKey('s', 'v');
    const bytes = b.eof();
    const events = await read(bytes, mode, { partBytes: 16 });
    const parts = keys(events).filter((k) => k.key.length === 1 && k.key[0] === 0x6c);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.map((p) => p.part)).toEqual(parts.map((_, i) => ({ index: i, last: i === parts.length - 1 })));
    expect(parts.flatMap((p) => (p.value.kind === 'list' ? p.value.elements : []))).toEqual(els.map(ascii));
    expect(parts[0]!.offset).toBe(b.at('list'));
    expect(parts.at(-1)!.end).toBe(b.at('end'));
    for (let i = 1; i < parts.length; i++) expect(parts[i]!.offset).toBe(parts[i - 1]!.end);
    for (const p of parts) expect(p.expireAt).toBe(1900000000000);
    expect(keys(events).at(-1)).toMatchObject({ key: ascii('s'), offset: b.at('end') });
    expect(keys(events).at(-1)!.part).toBeUndefined();
  });

  it.each(FEED_MODES)('partBytes 16: hash, set, zset and quicklist values split too, none lost (%s)', async (mode) => {
    const n = 12;
    const names = Array.from({ length: n }, (_, i) => `m${i}`);
    const bytes = rdbBytes(12)
      .hashKey('h', names.map((m) => [m, m]))
      .setKey('s', names)
      .zset2Key('z', names.map((m, i) => [m, i]))
      .quicklist2Key('q', names.map((m) => ({ packed: [m, m] })))
      .eof();
    const ks = keys(await read(bytes, mode, { partBytes: 16 }));
    const count = (k: string): number =>
      ks.filter((e) => e.key[0] === k.charCodeAt(0)).reduce((acc, e) => acc + (e.value.kind === 'hash' ? e.value.entries.length : e.value.kind === 'set' ? e.value.members.length : e.value.kind === 'zset' ? e.value.entries.length : e.value.kind === 'list' ? e.value.elements.length : 0), 0);
    expect([count('h'), count('s'), count('z'), count('q')]).toEqual([n, n, n, 2 * n]);
    for (const k of ['h', 's', 'z', 'q']) {
      const parts = ks.filter((e) => e.key[0] === k.charCodeAt(0));
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.at(-1)!.part).toEqual({ index: parts.length - 1, last: true });
    }
  });

  it.each(FEED_MODES)('partBytes 16: a stream comes in node parts, the last one carrying the metadata (%s)', async (mode) => {
    const nodes = Array.from({ length: 5 }, (_, i) => streamNodeElements([{ id: { ms: BigInt(i + 1), seq: 0n }, fields: [['f', `value-${i}`]] }]));
    const bytes = rdbBytes(12).streamKey(RDB_TYPE_STREAM_LISTPACKS_3, 's', { nodes, length: 5, lastId: { ms: 5n, seq: 0n }, firstId: { ms: 1n, seq: 0n } }).eof();
    const parts = keys(await read(bytes, mode, { partBytes: 16 }));
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.flatMap((p) => (p.value.kind === 'stream' ? p.value.entries.map((e) => e.id.ms) : []))).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(parts.slice(0, -1).every((p) => p.value.kind === 'stream' && p.value.meta === null)).toBe(true);
    expect(parts.at(-1)!.value).toMatchObject({ kind: 'stream', meta: { length: 5, lastId: { ms: 5n, seq: 0n } } });
  });

  it.each(FEED_MODES)('Default partBytes: small values come whole, without part (%s)', async (mode) => {
    const k = onlyKey(await read(rdbBytes(12).listKey('l', ['a', 'b', 'c']).eof(), mode));
    expect(k.part).toBeUndefined();
  });
});

describe('readRdb: consumers', () => {
  it.each(FEED_MODES)('Consumer breaks out after the header: the source is closed and no more chunks are pulled (%s)', async (mode) => {
    let pulled = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of feed(MINIMAL_RDB, mode, 42, 7)) {
          pulled++;
          yield chunk;
        }
      } finally {
        closed = true;
      }
    }
    for await (const ev of readRdb(source())) {
      expect(ev.type).toBe('header');
      break;
    }
    expect(closed).toBe(true);
    expect(pulled).toBeLessThanOrEqual(mode === 'whole' ? 1 : 12); // the 9-byte header, not the 113-byte file
  });

  it.each(FEED_MODES)('Aborted signal: reading stops with the abort reason at the next refill (%s)', async (mode) => {
    const controller = new AbortController();
    const reason = new Error('stop reading');
    const events: RdbEvent[] = [];
    const run = async (): Promise<void> => {
      for await (const ev of readRdb(feed(MINIMAL_RDB, mode, 42, 7), { signal: controller.signal })) {
        events.push(ev);
        if (ev.type === 'selectDb') controller.abort(reason);
      }
    };
    if (mode === 'whole') {
      await run(); // one chunk holds the whole file: no refill happens after the abort
      expect(events.at(-1)?.type).toBe('eof');
    } else {
      await expect(run()).rejects.toBe(reason);
      expect(events.map((e) => e.type)).toContain('selectDb');
      expect(events.map((e) => e.type)).not.toContain('eof');
    }
  });
});

describe('readRdb: real files', () => {
  it.each(FEED_MODES)('Redis 7.4.1 rdb-lfu: identical events in every feed mode, FREQ on every key, CRC match (%s)', async (mode) => {
    const bytes = corpus('7.4.1/rdb-lfu.rdb');
    const events = await read(bytes, mode);
    const ks = keys(events);
    expect(ks).toHaveLength(19);
    expect(ks.every((k) => k.lfuFreq !== null && k.lruIdle === null)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'eof', end: bytes.length, checksum: 'match' });
  });

  it.each(FEED_MODES)('Redis 7.4.1 rdb-lru: IDLE on every key (%s)', async (mode) => {
    const ks = keys(await read(corpus('7.4.1/rdb-lru.rdb'), mode));
    expect(ks.every((k) => k.lruIdle !== null && k.lfuFreq === null)).toBe(true);
  });

  it.each(FEED_MODES)('Redis 7.4.1 rdb-module: module values and module AUX before and after the keyspace (%s)', async (mode) => {
    const events = await read(corpus('7.4.1/rdb-module.rdb'), mode);
    expect(events.filter((e) => e.type === 'moduleAux').map((e) => (e.type === 'moduleAux' ? [e.moduleName, e.when] : []))).toEqual([
      ['test__rdb', 1],
      ['test__rdb', 2],
    ]);
    expect(keys(events).filter((k) => k.redisType === 'module').map((k) => (k.value.kind === 'module' ? k.value.module.moduleName : '')).sort()).toEqual(['test___dt', 'test___dt', 'test__rdb', 'test__rdb']);
  });

  it.each(FEED_MODES)('Redis 7.4.1 rdb-cluster: SLOT_INFO before the keys of each slot (%s)', async (mode) => {
    const events = await read(corpus('7.4.1/rdb-cluster.rdb'), mode);
    const slots = events.filter((e) => e.type === 'slotInfo');
    expect(slots.length).toBeGreaterThan(50);
    expect(slots.every((s) => s.type === 'slotInfo' && s.slot <= 16383 && s.slotSize >= 1)).toBe(true);
  });

  it.each(FEED_MODES)('Redis 2.4.18 rdb-nocompress: RDB 2 with zipmap, ziplists, intset, EXPIRETIME in seconds, no trailer (%s)', async (mode) => {
    const bytes = corpus('2.4.18/rdb-nocompress.rdb');
    const events = await read(bytes, mode);
    const encodings = new Set(keys(events).map((k) => k.encoding));
    for (const enc of ['hash-zipmap', 'list-ziplist', 'set-intset', 'zset-ziplist']) expect(encodings).toContain(enc);
    expect(keys(events).find((k) => k.expireAt !== null)?.expireAt).toBe(2051222400000);
    expect(events.at(-1)).toMatchObject({ type: 'eof', checksum: 'absent', end: bytes.length });
  });

  it.each(FEED_MODES)('Redis 2.8.24 rdb-nocompress: zero trailer reported as disabled (%s)', async (mode) => {
    const events = await read(corpus('2.8.24/rdb-nocompress.rdb'), mode);
    expect(events.at(-1)).toMatchObject({ type: 'eof', storedChecksum: 0n, checksum: 'disabled' });
  });
});

/** Chunks of `bytes` cut at the given points. */
async function* chunksAt(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let prev = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    yield bytes.slice(prev, c);
    prev = c;
  }
  yield bytes.slice(prev);
}

/** Events as one string (byte arrays as hex): a fast exact comparison for large files. */
function serialize(events: RdbEvent[]): string {
  return JSON.stringify(events, (_, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') : v,
  );
}

describe('readRdb: split invariance', () => {
  it('Chunk ending at the EOF opcode, then the trailer in 5 + 4 bytes: eof with a matching checksum', async () => {
    const bytes = rdbBytes(12).selectDb(0).stringKey('k', 'v').eof();
    const s = bytes.length - 9;
    const events = await collect(readRdb(chunksAt(bytes, [s, s + 5])));
    expect(events).toEqual(await collect(readRdb(feed(bytes, 'whole'))));
    expect(events.at(-1)).toMatchObject({ type: 'eof', checksum: 'match' });
  });

  it('RDB 4 (no trailer) whose last key is re-read with the source ending before the doubled target: all keys', async () => {
    const bytes = rdbBytes(4).selectDb(0).stringKey('k', 'x'.repeat(30)).eof();
    const events = await collect(readRdb(chunksAt(bytes, [11, 31])));
    expect(events).toEqual(await collect(readRdb(feed(bytes, 'whole'))));
    expect(events.at(-1)).toMatchObject({ type: 'eof', checksum: 'absent' });
  });

  test.prop([craftedRdbArb, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 40 }), fc.constantFrom(16, 64, Infinity)], { numRuns: 100 })(
    'Crafted RDB cut at any points: the same events as fed whole, and the checksum matches',
    async (bytes, fractions, partBytes) => {
      const cuts = fractions.map((f) => Math.floor(f * bytes.length));
      const whole = await collect(readRdb(feed(bytes, 'whole'), { partBytes }));
      expect(await collect(readRdb(chunksAt(bytes, cuts), { partBytes }))).toEqual(whole);
      expect(whole.at(-1)).toMatchObject({ type: 'eof', checksum: 'match' });
    },
  );

  test.prop([fc.constantFrom('7.4.1/rdb-lfu.rdb', '2.8.24/rdb-nocompress.rdb', '7.4.1/rdb-module.rdb', '7.0.15/rdb-lfu.rdb'), fc.array(fc.nat(), { maxLength: 60 })], { numRuns: 30 })(
    'Real file cut at any points: the same events as fed whole',
    async (name, cuts) => {
      const bytes = corpus(name);
      const whole = serialize(await collect(readRdb(feed(bytes, 'whole'))));
      expect(serialize(await collect(readRdb(chunksAt(bytes, cuts.map((c) => c % bytes.length)))))).toBe(whole);
    },
  );
});
