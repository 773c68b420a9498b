import { describe, expect, it } from 'vitest';

import { compareValues } from '../../../src/commands/diff/compare-values.js';

import type { RdbValue, StreamGroup, StreamMeta } from '@redis-forensics/rdb';

const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const list = (...e: string[]): RdbValue => ({ kind: 'list', elements: e.map(b) });
const set = (...m: string[]): RdbValue => ({ kind: 'set', members: m.map(b) });
const zset = (...e: [string, number][]): RdbValue => ({ kind: 'zset', entries: e.map(([m, score]) => ({ member: b(m), score })) });
const hash = (...e: [string, string, number?][]): RdbValue => ({ kind: 'hash', entries: e.map(([f, v, t]) => ({ field: b(f), value: b(v), expireAt: t ?? null })) });
const id = (ms: number, seq = 0): { ms: bigint; seq: bigint } => ({ ms: BigInt(ms), seq: BigInt(seq) });
const opts = { maxElements: 10, streamCounters: true };

function stream(entries: [number, string[]][], meta: Partial<StreamMeta> = {}): RdbValue {
  return {
    kind: 'stream',
    entries: entries.map(([ms, f]) => ({ id: id(ms), fields: f.map(b) })),
    meta: { length: entries.length, lastId: id(9), firstId: id(1), maxDeletedId: id(0), entriesAdded: entries.length, groups: [], ...meta },
  };
}

function group(name: string, pending: [number, string, number, number][], consumers: [string, number[]][], lastId = 5, entriesRead: number | null = 3): StreamGroup {
  return {
    name: b(name),
    lastId: id(lastId),
    entriesRead,
    pending: pending.map(([ms, c, t, n]) => ({ id: id(ms), consumer: b(c), deliveryTime: t, deliveryCount: n })),
    consumers: consumers.map(([c, ids]) => ({ name: b(c), seenTime: 1, activeTime: 1, pending: ids.map((x) => id(x)) })),
  };
}

/** The differences as readable tuples. */
function shape(a: RdbValue, b2: RdbValue, options = opts): unknown[] {
  return compareValues(a, b2, options).elements.map((e) => {
    const text = (x: unknown): unknown => (x instanceof Uint8Array ? Buffer.from(x).toString('latin1') : Array.isArray(x) ? x.map(text) : x);
    return Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'kind').map(([k, v]) => [k, text(v)]));
  });
}

describe('compareValues', () => {
  it('Equal values: no differences, whatever the order of set-like members', () => {
    expect(compareValues(set('a', 'b', 'c'), set('c', 'a', 'b'), opts).differences).toBe(0);
    expect(compareValues(hash(['f', '1'], ['g', '2']), hash(['g', '2'], ['f', '1']), opts).differences).toBe(0);
    expect(compareValues(zset(['a', 1], ['b', -0]), zset(['b', 0], ['a', 1]), opts).differences).toBe(0);
    expect(compareValues({ kind: 'string', value: b('x') }, { kind: 'string', value: b('x') }, opts).differences).toBe(0);
  });

  it('Lists: the run between the common head and tail, by index', () => {
    expect(shape(list('a', 'b', 'c'), list('x', 'a', 'b', 'c'))).toEqual([{ op: '+', index: 0, b: 'x' }]);
    expect(shape(list('a', 'b', 'c'), list('a', 'c'))).toEqual([{ op: '-', index: 1, a: 'b' }]);
    expect(shape(list('1', '2', '3', '4', '5'), list('1', 'X', '3', 'Y', '5'))).toEqual([
      { op: '~', index: 1, a: '2', b: 'X' },
      { op: '~', index: 3, a: '4', b: 'Y' },
    ]);
  });

  it('Sets, sorted sets and hashes: as sets, sorted by member; scores as doubles; field TTLs', () => {
    expect(shape(set('a', 'b'), set('b', 'c'))).toEqual([
      { op: '-', member: 'a' },
      { op: '+', member: 'c' },
    ]);
    expect(shape(zset(['a', 1], ['b', 2]), zset(['b', 2.5], ['c', Infinity]))).toEqual([
      { op: '-', member: 'a', a: 1 },
      { op: '~', member: 'b', a: 2, b: 2.5 },
      { op: '+', member: 'c', b: Infinity },
    ]);
    expect(shape(hash(['f', '1'], ['g', '2', 100], ['h', '3']), hash(['f', '1'], ['g', '2'], ['h', '4']))).toEqual([
      { op: '~', field: 'g', a: '2', b: '2', expireAt: [100, null] },
      { op: '~', field: 'h', a: '3', b: '4' },
    ]);
  });

  it('--max-elements: every difference counted, the first N kept', () => {
    const r = compareValues(set(...'abcdefghij'.split('')), set(), { ...opts, maxElements: 3 });
    expect(r.differences).toBe(10);
    expect(r.elements).toHaveLength(3);
  });

  it('Streams: entries by ID, last ID, groups with their PEL and consumers', () => {
    const a = stream([[1, ['f', 'v']], [2, ['f', 'w']]], { groups: [group('g', [[1, 'alice', 1000, 1]], [['alice', [1]], ['bob', []]])] });
    const same = stream([[1, ['f', 'v']], [2, ['f', 'w']]], { groups: [group('g', [[1, 'alice', 1000, 1]], [['alice', [1]], ['bob', []]])] });
    expect(compareValues(a, same, opts).differences).toBe(0);
    const c = stream([[1, ['f', 'V']], [3, ['f', 'x']]], {
      lastId: id(10),
      groups: [group('g', [[1, 'bob', 1000, 2]], [['alice', []], ['bob', [1]]], 6), group('h', [], [])],
    });
    expect(shape(a, c)).toEqual([
      { op: '~', id: '1-0', a: ['f', 'v'], b: ['f', 'V'] },
      { op: '-', id: '2-0', a: ['f', 'w'] },
      { op: '+', id: '3-0', b: ['f', 'x'] },
      { op: '~', name: 'lastId', a: '9-0', b: '10-0' },
      { op: '~', group: 'g', name: 'lastId', a: '5-0', b: '6-0' },
      { op: '~', group: 'g', id: '1-0', a: { consumer: b('alice'), deliveryTime: 1000, deliveryCount: 1 }, b: { consumer: b('bob'), deliveryTime: 1000, deliveryCount: 2 } },
      { op: '~', group: 'g', consumer: 'alice', a: ['1-0'], b: [] },
      { op: '~', group: 'g', consumer: 'bob', a: [], b: ['1-0'] },
      { op: '+', group: 'h' },
    ]);
  });

  it('Stream counters (entries-added, max-deleted-id, entries-read): compared only when both sides hold them', () => {
    const a = stream([[1, ['f', 'v']]], { entriesAdded: 5, maxDeletedId: id(3), groups: [group('g', [], [], 5, 4)] });
    const c = stream([[1, ['f', 'v']]], { entriesAdded: 1, maxDeletedId: id(0), groups: [group('g', [], [], 5, null)] });
    expect(shape(a, c)).toEqual([
      { op: '~', name: 'entriesAdded', a: 5, b: 1 },
      { op: '~', name: 'maxDeletedId', a: '3-0', b: '0-0' },
      { op: '~', group: 'g', name: 'entriesRead', a: 4, b: null },
    ]);
    expect(compareValues(a, c, { ...opts, streamCounters: false }).differences).toBe(0);
  });
});
