// The command forms of Redis's AOF rewrite (FORMAT.md 11.2): batches of 64, HMSET, field TTLs,
// PEXPIREAT after the value, empty streams, XSETID / XGROUP forms per Redis generation.

import { describe, expect, it } from 'vitest';

import { AofRewriter } from '@redis-forensics/rewrite';

import type { RdbKeyEvent, RdbValue, StreamMeta } from '@redis-forensics/rdb';
import type { RewriteArg } from '@redis-forensics/rewrite';

const b = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (cmds: RewriteArg[][]): string[][] => cmds.map((c) => c.map((a) => (typeof a === 'string' ? a : Buffer.from(a).toString())));

function key(name: string, value: RdbValue, extra: Partial<RdbKeyEvent> = {}): RdbKeyEvent {
  return { type: 'key', offset: 0, end: 0, db: 0, key: b(name), rdbType: 0, encoding: '', redisType: 'string', expireAt: null, lruIdle: null, lfuFreq: null, value, ...extra };
}

const meta = (over: Partial<StreamMeta> = {}): StreamMeta => ({
  length: 0, lastId: { ms: 5n, seq: 1n }, firstId: { ms: 0n, seq: 0n }, maxDeletedId: { ms: 3n, seq: 0n }, entriesAdded: 7, groups: [], ...over,
});

describe('AofRewriter', () => {
  it('130 list elements: SELECT 0 once, RPUSH of 64, 64 and 2, PEXPIREAT after the value', () => {
    const r = new AofRewriter();
    const elements = Array.from({ length: 130 }, (_, i) => b(`e${i}`));
    const out = text(r.key(key('l', { kind: 'list', elements }, { expireAt: 1800000000000 })));
    expect(out.map((c) => [c[0], c.length])).toEqual([['SELECT', 2], ['RPUSH', 66], ['RPUSH', 66], ['RPUSH', 4], ['PEXPIREAT', 3]]);
    expect(out.at(-1)).toEqual(['PEXPIREAT', 'l', '1800000000000']);
  });

  it('A list in parts: batches run across parts, the commands equal the whole key', () => {
    const all = Array.from({ length: 100 }, (_, i) => b(`e${i}`));
    const whole = text(new AofRewriter().key(key('l', { kind: 'list', elements: all })));
    const r = new AofRewriter();
    const parts = [
      ...r.key(key('l', { kind: 'list', elements: all.slice(0, 30) }, { part: { index: 0, last: false } })),
      ...r.key(key('l', { kind: 'list', elements: all.slice(30, 90) }, { part: { index: 1, last: false } })),
      ...r.key(key('l', { kind: 'list', elements: all.slice(90) }, { part: { index: 2, last: true } })),
    ];
    expect(text(parts)).toEqual(whole);
  });

  it('Hash: HMSET pairs in batches; a field with a TTL gets its own HMSET and HPEXPIREAT', () => {
    const out = text(new AofRewriter().key(key('h', { kind: 'hash', entries: [
      { field: b('a'), value: b('1'), expireAt: null },
      { field: b('t'), value: b('2'), expireAt: 1900000000000 },
      { field: b('c'), value: b('3'), expireAt: null },
    ] })));
    expect(out).toEqual([
      ['SELECT', '0'],
      ['HMSET', 'h', 't', '2'],
      ['HPEXPIREAT', 'h', '1900000000000', 'FIELDS', '1', 't'],
      ['HMSET', 'h', 'a', '1', 'c', '3'],
    ]);
  });

  it('Zset with a -0 score: that member is added last (into a zset already a skiplist), in the same number of commands', () => {
    const entries = [{ member: b('z0'), score: -0 }, ...Array.from({ length: 129 }, (_, i) => ({ member: b(`m${i}`), score: i + 1 }))];
    const whole = text(new AofRewriter().key(key('z', { kind: 'zset', entries })));
    expect(whole.map((c) => c.length)).toEqual([2, 2 + 128, 2 + 128, 2 + 4]);
    expect(whole.at(-1)).toEqual(['ZADD', 'z', '129', 'm128', '-0', 'z0']);
  });

  it('Zset scores: Redis 7.2 text by default (1e+8), %.17g on request (100000000, 0.10000000000000001)', () => {
    const z: RdbValue = { kind: 'zset', entries: [{ member: b('m'), score: 1e8 }, { member: b('n'), score: 0.1 }, { member: b('i'), score: -Infinity }] };
    expect(text(new AofRewriter().key(key('z', z)))[1]).toEqual(['ZADD', 'z', '1e+8', 'm', '0.1', 'n', '-inf', 'i']);
    expect(text(new AofRewriter({ scoreStyle: 'g17' }).key(key('z', z)))[1]).toEqual(['ZADD', 'z', '100000000', 'm', '0.10000000000000001', 'n', '-inf', 'i']);
  });

  it('Empty stream with a group and an idle consumer: XADD MAXLEN 0, XSETID, XGROUP CREATE ENTRIESREAD, CREATECONSUMER', () => {
    const m = meta({ groups: [{ name: b('g'), lastId: { ms: 1n, seq: 0n }, entriesRead: null, pending: [], consumers: [{ name: b('c'), seenTime: 1, activeTime: -1, pending: [] }] }] });
    expect(text(new AofRewriter().key(key('s', { kind: 'stream', entries: [], meta: m })))).toEqual([
      ['SELECT', '0'],
      ['XADD', 's', 'MAXLEN', '0', '0-1', 'x', 'y'],
      ['XSETID', 's', '5-1', 'ENTRIESADDED', '7', 'MAXDELETEDID', '3-0'],
      ['XGROUP', 'CREATE', 's', 'g', '1-0', 'ENTRIESREAD', '-1'],
      ['XGROUP', 'CREATECONSUMER', 's', 'g', 'c'],
    ]);
  });

  it('Stream for Redis 5: XSETID without ENTRIESADDED, XGROUP CREATE without ENTRIESREAD, PEL via XCLAIM', () => {
    const id = { ms: 2n, seq: 0n };
    const m = meta({ groups: [{ name: b('g'), lastId: id, entriesRead: 1, pending: [{ id, deliveryTime: 1700000000000, deliveryCount: 3, consumer: b('c') }], consumers: [{ name: b('c'), seenTime: 1, activeTime: null, pending: [id] }] }] });
    const out = text(new AofRewriter({ redisMajor: 5 }).key(key('s', { kind: 'stream', entries: [{ id, fields: [b('f'), b('v')] }], meta: m })));
    expect(out.slice(1)).toEqual([
      ['XADD', 's', '2-0', 'f', 'v'],
      ['XSETID', 's', '5-1'],
      ['XGROUP', 'CREATE', 's', 'g', '2-0'],
      ['XCLAIM', 's', 'g', 'c', '0', '2-0', 'TIME', '1700000000000', 'RETRYCOUNT', '3', 'JUSTID', 'FORCE'],
    ]);
  });

  it('Module value: no command, a warning; the next key in another db gets its SELECT', () => {
    const warnings: string[] = [];
    const r = new AofRewriter({ onWarning: (m) => warnings.push(m) });
    expect(r.key(key('m', { kind: 'module', module: { moduleId: 1n, moduleName: 'test__rdb', moduleVersion: 1, payload: new Uint8Array() } }))).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(text(r.key(key('k', { kind: 'string', value: b('v') }, { db: 3 })))).toEqual([['SELECT', '3'], ['SET', 'k', 'v']]);
  });
});
