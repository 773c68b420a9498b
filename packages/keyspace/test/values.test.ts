// Property tests of the value structures against plain models (a JS array for lists, a sorted
// array for zsets, a flat entry list for streams), and keyspace <-> RDB events round trips.

import { join } from 'node:path';

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import {
  digestKeyspace,
  Keyspace,
  keyspaceToEvents,
  ListValue,
  loadRdbIntoKeyspace,
  streamIdKey,
  StreamValue,
  ZsetValue,
} from '@redis-forensics/keyspace';
import { openRdb } from '@redis-forensics/rdb';

const CORPUS = join(import.meta.dirname, '../../../fixtures/corpus');

const elementArb = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ minLength: 100, maxLength: 300 }));
type ListOp = [number, string, number, number];
const listOpArb: fc.Arbitrary<ListOp> = fc.tuple(fc.integer({ min: 0, max: 7 }), elementArb, fc.nat(), fc.nat());

describe('ListValue (quicklist-like chunks)', () => {
  test.prop([fc.array(listOpArb, { maxLength: 300 })], { numRuns: 200 })('Any sequence of pushes, pops, sets, inserts and trims matches an array', (ops) => {
    const model: string[] = [];
    const l = new ListValue();
    for (const [op, v, a, b] of ops) {
      if (op === 0) (model.unshift(v), l.pushHead(v));
      else if (op === 1) (model.push(v), l.pushTail(v));
      else if (op === 2) expect(l.popHead()).toBe(model.shift());
      else if (op === 3) expect(l.popTail()).toBe(model.pop());
      else if (op === 4 && model.length > 0) (model[a % model.length] = v, l.set(a % model.length, v));
      else if (op === 5) {
        const i = a % (model.length + 1);
        model.splice(i, 0, v);
        l.insertAt(i, v);
      } else if (op === 6 && model.length > 0) {
        const s = a % model.length;
        const e = Math.min(s + (b % model.length), model.length - 1);
        model.splice(e + 1);
        model.splice(0, s);
        l.trim(s, e);
      } else if (op === 7 && model.length > 0) expect(l.get(a % model.length)).toBe(model[a % model.length]);
      expect(l.length).toBe(model.length);
    }
    expect(l.toArray()).toEqual(model);
    expect([...l]).toEqual(model);
    expect(l.toBytes().map((e) => Buffer.from(e).toString('latin1'))).toEqual(model);
  });
});

describe('ZsetValue (chunked order index)', () => {
  const cmp = (a: [string, number], b: [string, number]): number => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  test.prop([fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 700 }), fc.integer({ min: -50, max: 50 })), { maxLength: 1500 })], { numRuns: 60 })(
    'Adds, re-scores and removals keep (score, member) order, ranks and ranges',
    (ops) => {
      const z = new ZsetValue();
      const model = new Map<string, number>();
      for (const [add, m, s] of ops) {
        const member = `m${m}`;
        if (add) (z.set(member, s / 4), model.set(member, s / 4));
        else expect(z.delete(member)).toBe(model.delete(member));
      }
      const sorted = [...model].sort(cmp);
      expect([...z.index]).toEqual(sorted);
      sorted.forEach(([m], i) => expect(z.rank(m)).toBe(i));
      if (sorted.length > 0) {
        expect(z.index.at(sorted.length - 1)).toEqual(sorted[sorted.length - 1]);
        expect([...z.index.rangeReverse(sorted.length - 1, 0)]).toEqual(sorted.slice().reverse());
        expect(z.index.countBelow(0, false)).toBe(sorted.filter(([, s]) => s < 0).length);
        expect(z.index.countBelow(0, true)).toBe(sorted.filter(([, s]) => s <= 0).length);
      }
    },
  );
});

describe('StreamValue nodes', () => {
  test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 400 })), { maxLength: 600 })], { numRuns: 60 })(
    'Appends, deletes and exact trims match a flat list of entries',
    (ops) => {
      const s = new StreamValue();
      let model: [string, string[]][] = [];
      let next = 1n;
      for (const [op, n] of ops) {
        if (op <= 1) {
          const id = streamIdKey(next++, 0n);
          const fields = op === 0 ? ['f', String(n)] : ['a', 'x'.repeat(n), 'b', ''];
          s.append(id, fields);
          model.push([id, fields]);
        } else if (op === 2 && model.length > 0) {
          const [id] = model[n % model.length]!;
          expect(s.delete(id)).toBe(true);
          model = model.filter(([i]) => i !== id);
        } else if (op === 3) {
          const keep = n % 50;
          s.trim('maxlen', keep, '', false, 0);
          model = model.slice(Math.max(0, model.length - keep));
        }
        expect(s.length).toBe(model.length);
      }
      expect([...s.entries()]).toEqual(model);
      expect([...s.entriesReverse()]).toEqual(model.slice().reverse());
      for (const [id, f] of model) expect(s.get(id)).toEqual(f);
    },
  );
});

describe('keyspaceToEvents', () => {
  it.each([['7.4.1', 'rdb-full'], ['7.0.15', 'rdb-full'], ['5.0.14', 'rdb-full'], ['2.4.18', 'rdb-full']])(
    '%s %s: load, export as RDB events, load again: same digest and same keys',
    async (version, name) => {
      const a = new Keyspace();
      await loadRdbIntoKeyspace(a, openRdb(join(CORPUS, version, `${name}.rdb`)));
      const b = new Keyspace();
      await loadRdbIntoKeyspace(b, keyspaceToEvents(a));
      expect(b.size).toBe(a.size);
      expect(digestKeyspace(b).digest).toBe(digestKeyspace(a).digest);
      expect([...b.functions.keys()]).toEqual([...a.functions.keys()]);
    },
  );

  it('An empty keyspace digests to 40 zeros (computeDatasetDigest starts from a zeroed digest)', () => {
    expect(digestKeyspace(new Keyspace()).digest).toBe('0'.repeat(40));
  });
});
