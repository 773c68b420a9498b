import { Buffer } from 'node:buffer';

import { describe, expect, it } from 'vitest';

import { KeyStats } from '../src/key-stats.js';

import type { RdbKeyEvent, RdbValue } from '@redis-forensics/rdb';

function keyEvent(key: string, value: RdbValue, span: [number, number], extra: Partial<RdbKeyEvent> = {}): RdbKeyEvent {
  return {
    type: 'key', offset: span[0], end: span[1], db: 0, key: Buffer.from(key), rdbType: 18, encoding: 'quicklist-v2',
    redisType: value.kind === 'module' ? 'module' : value.kind, expireAt: null, lruIdle: null, lfuFreq: null, value, ...extra,
  };
}
const list = (n: number): RdbValue => ({ kind: 'list', elements: Array.from({ length: n }, () => Buffer.from('x')) });

describe('KeyStats', () => {
  it('Key in parts: counted once, bytes and elements summed over the parts', () => {
    const stats = new KeyStats({ now: 0 });
    stats.add(keyEvent('big', list(3), [100, 200], { part: { index: 0, last: false } }));
    stats.add(keyEvent('big', list(4), [200, 350], { part: { index: 1, last: false } }));
    stats.add(keyEvent('big', list(1), [350, 360], { part: { index: 2, last: true } }));
    stats.add(keyEvent('small', list(2), [360, 370]));
    expect(stats.totals()).toMatchObject({ keys: 2, bytes: 270, byType: { list: { keys: 2, bytes: 270 } } });
    expect(stats.biggestBySize().map((k) => [Buffer.from(k.key).toString(), k.bytes, k.elements])).toEqual([
      ['big', 260, 8],
      ['small', 10, 2],
    ]);
  });

  it('Stream: element count is the metadata length (live entries), from the last part', () => {
    const stats = new KeyStats({ now: 0 });
    const id = { ms: 1n, seq: 0n };
    const meta = { length: 7, lastId: id, firstId: id, maxDeletedId: id, entriesAdded: 9, groups: [] };
    stats.add(keyEvent('s', { kind: 'stream', entries: [{ id, fields: [] }], meta }, [0, 10]));
    expect(stats.biggestByElements()[0]!.elements).toBe(7);
  });

  it('TTL: expires counted, already expired when at or before now', () => {
    const stats = new KeyStats({ now: 1000 });
    stats.add(keyEvent('a', list(1), [0, 1], { expireAt: 999 }));
    stats.add(keyEvent('b', list(1), [1, 2], { expireAt: 1000 }));
    stats.add(keyEvent('c', list(1), [2, 3], { expireAt: 1001 }));
    stats.add(keyEvent('d', list(1), [3, 4], { db: 2 }));
    expect(stats.databases().map((d) => [d.db, d.keys, d.expires, d.alreadyExpired])).toEqual([
      [0, 3, 3, 2],
      [2, 1, 0, 0],
    ]);
  });

  it('Rankings: only the top N kept, largest first; strings have no element count', () => {
    const stats = new KeyStats({ now: 0, topCount: 2 });
    for (let i = 0; i < 5; i++) stats.add(keyEvent(`k${i}`, list(i), [i * 100, i * 100 + i + 1]));
    stats.add(keyEvent('str', { kind: 'string', value: Buffer.alloc(50) }, [1000, 1100]));
    expect(stats.biggestBySize().map((k) => Buffer.from(k.key).toString())).toEqual(['str', 'k4']);
    expect(stats.biggestByElements().map((k) => Buffer.from(k.key).toString())).toEqual(['k4', 'k3']);
  });

  it('Kept keys: copied, so a reused reader buffer does not change them', () => {
    const stats = new KeyStats({ now: 0 });
    const buf = Buffer.from('aaaa');
    stats.add({ ...keyEvent('x', list(1), [0, 5]), key: buf });
    buf.fill(0x62);
    expect(Buffer.from(stats.biggestBySize()[0]!.key).toString()).toBe('aaaa');
  });
});
