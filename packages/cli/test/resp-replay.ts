// Test side of `rfx dump --format resp`: a RESP multibulk parser and a tiny keyspace that applies
// the commands rfx emits, producing dump-shaped lines so they can be compared with the oracle.

import assert from 'node:assert';
import { Buffer } from 'node:buffer';

import type { DumpLine } from './corpus.js';

/**
 * Split RESP multibulk commands (`*N\r\n$len\r\n...\r\n`), strictly.
 * @param buf the whole output
 * @returns each command as its arguments
 */
export function parseResp(buf: Buffer): Buffer[][] {
  const out: Buffer[][] = [];
  let pos = 0;
  const line = (): string => {
    const end = buf.indexOf('\r\n', pos);
    assert(end >= 0, `missing CRLF at ${pos}`);
    const text = buf.toString('latin1', pos, end);
    pos = end + 2;
    return text;
  };
  while (pos < buf.length) {
    const head = line();
    assert(/^\*\d+$/.test(head), `bad multibulk header ${JSON.stringify(head)}`);
    const args: Buffer[] = [];
    for (let i = Number(head.slice(1)); i > 0; i--) {
      const len = line();
      assert(/^\$\d+$/.test(len), `bad bulk header ${JSON.stringify(len)}`);
      const n = Number(len.slice(1));
      args.push(buf.subarray(pos, pos + n));
      assert(buf.toString('latin1', pos + n, pos + n + 2) === '\r\n', 'bulk not followed by CRLF');
      pos += n + 2;
    }
    out.push(args);
  }
  return out;
}

interface StreamModel {
  entries: [string, Buffer[]][];
  lastId: string;
  maxDeletedId: string;
  entriesAdded: number;
  groups: Map<string, { name: Buffer; lastId: string; entriesRead: number | null; pel: Map<string, [string, Buffer, number, number]>; consumers: Map<string, Buffer> }>;
}

interface ModelKey {
  db: number;
  key: Buffer;
  type: string;
  expireAt: number | null;
  list: Buffer[];
  set: Map<string, Buffer>;
  zset: Map<string, [Buffer, number]>;
  hash: Map<string, [Buffer, Buffer, number | null]>;
  string: Buffer;
  stream: StreamModel | undefined;
}

const b64 = (b: Buffer): { b64: string } => ({ b64: b.toString('base64') });

function idCompare(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am !== bm ? (am < bm ? -1 : 1) : as !== bs ? (as < bs ? -1 : 1) : 0;
}

/** What replaying rfx's RESP output produced. */
export interface Replay {
  lines: DumpLine[];
  functions: Buffer[];
  /** Each command's name and argument count, in order. */
  commands: { name: string; argc: number }[];
}

/**
 * Apply the commands (only those rfx emits, with Redis's semantics for them) to an empty keyspace.
 * @param commands parsed commands
 * @returns the keys, as dump lines, and the function libraries loaded
 * @throws AssertionError on a command rfx should never emit
 */
export function replayCommands(commands: Buffer[][]): Replay {
  const keys = new Map<string, ModelKey>();
  const functions: Buffer[] = [];
  const log: Replay['commands'] = [];
  let db = 0;
  const get = (key: Buffer, type: string): ModelKey => {
    const id = `${db}:${key.toString('hex')}`;
    let k = keys.get(id);
    if (k === undefined) {
      k = { db, key, type, expireAt: null, list: [], set: new Map(), zset: new Map(), hash: new Map(), string: Buffer.alloc(0), stream: undefined };
      keys.set(id, k);
    }
    assert.equal(k.type, type, `WRONGTYPE for ${key.toString('latin1')}`);
    return k;
  };
  const existing = (key: Buffer): ModelKey => {
    const k = keys.get(`${db}:${key.toString('hex')}`);
    assert(k !== undefined, `no such key ${key.toString('latin1')}`);
    return k;
  };
  for (const args of commands) {
    const name = args[0]!.toString().toUpperCase();
    const sub = args[1]?.toString().toUpperCase();
    log.push({ name: name === 'XGROUP' || name === 'FUNCTION' ? `${name} ${sub}` : name, argc: args.length });
    const a = (i: number): Buffer => args[i]!;
    const s = (i: number): string => args[i]!.toString();
    switch (name) {
      case 'SELECT':
        db = Number(s(1));
        break;
      case 'FUNCTION':
        assert.equal(sub, 'LOAD');
        functions.push(a(2));
        break;
      case 'SET':
        assert.equal(args.length, 3);
        get(a(1), 'string').string = a(2);
        break;
      case 'RPUSH':
        get(a(1), 'list').list.push(...args.slice(2));
        break;
      case 'SADD':
        for (const m of args.slice(2)) get(a(1), 'set').set.set(m.toString('hex'), m);
        break;
      case 'ZADD':
        assert.equal(args.length % 2, 0);
        for (let i = 2; i < args.length; i += 2) {
          const text = s(i);
          const score = text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
          assert(!Number.isNaN(score), `ZADD score ${text}`);
          get(a(1), 'zset').zset.set(a(i + 1).toString('hex'), [a(i + 1), score]);
        }
        break;
      case 'HSET':
      case 'HMSET':
        assert.equal(args.length % 2, 0);
        for (let i = 2; i < args.length; i += 2) get(a(1), 'hash').hash.set(a(i).toString('hex'), [a(i), a(i + 1), null]);
        break;
      case 'HPEXPIREAT': {
        assert.deepEqual([s(3), s(4), args.length], ['FIELDS', '1', 6]);
        const field = existing(a(1)).hash.get(a(5).toString('hex'));
        assert(field !== undefined);
        field[2] = Number(s(2));
        break;
      }
      case 'PEXPIREAT':
        existing(a(1)).expireAt = Number(s(2));
        break;
      case 'XADD': {
        const k = get(a(1), 'stream');
        k.stream ??= { entries: [], lastId: '0-0', maxDeletedId: '0-0', entriesAdded: 0, groups: new Map() };
        if (s(2).toUpperCase() === 'MAXLEN') {
          // XADD key MAXLEN 0 0-1 x y: the entry is added and trimmed at once.
          assert.deepEqual(args.slice(3).map(String), ['0', '0-1', 'x', 'y']);
          k.stream.lastId = '0-1';
          k.stream.entriesAdded++;
          break;
        }
        assert(idCompare(s(2), k.stream.lastId) > 0, 'XADD id must grow');
        k.stream.entries.push([s(2), args.slice(3)]);
        k.stream.lastId = s(2);
        k.stream.entriesAdded++;
        break;
      }
      case 'XSETID': {
        const st = existing(a(1)).stream!;
        assert.deepEqual([s(3), s(5)], ['ENTRIESADDED', 'MAXDELETEDID']);
        st.lastId = s(2);
        st.entriesAdded = Number(s(4));
        st.maxDeletedId = s(6);
        break;
      }
      case 'XGROUP': {
        const st = existing(a(2)).stream!;
        if (sub === 'CREATE') {
          assert.equal(s(5), 'ENTRIESREAD');
          const read = Number(s(6));
          st.groups.set(a(3).toString('hex'), { name: a(3), lastId: s(4), entriesRead: read === -1 ? null : read, pel: new Map(), consumers: new Map() });
        } else {
          assert.equal(sub, 'CREATECONSUMER');
          st.groups.get(a(3).toString('hex'))!.consumers.set(a(4).toString('hex'), a(4));
        }
        break;
      }
      case 'XCLAIM': {
        // XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n JUSTID FORCE
        assert.deepEqual([s(4), s(6), s(8), s(10), s(11), args.length], ['0', 'TIME', 'RETRYCOUNT', 'JUSTID', 'FORCE', 12]);
        const g = existing(a(1)).stream!.groups.get(a(2).toString('hex'))!;
        g.consumers.set(a(3).toString('hex'), a(3));
        g.pel.set(s(5), [s(5), a(3), Number(s(7)), Number(s(9))]);
        break;
      }
      default:
        assert.fail(`unexpected command ${name}`);
    }
  }
  const lines: DumpLine[] = [...keys.values()].map((k) => ({
    db: k.db,
    key: b64(k.key),
    type: k.type,
    encoding: '',
    expireAt: k.expireAt,
    value:
      k.type === 'string'
        ? b64(k.string)
        : k.type === 'list'
          ? k.list.map(b64)
          : k.type === 'set'
            ? [...k.set.values()].map(b64)
            : k.type === 'zset'
              ? [...k.zset.values()].map(([m, score]) => [b64(m), score === Infinity ? 'inf' : score === -Infinity ? '-inf' : score])
              : k.type === 'hash'
                ? [...k.hash.values()].map(([f, v, ttl]) => (ttl === null ? [b64(f), b64(v)] : [b64(f), b64(v), ttl]))
                : streamLine(k.stream!),
  }));
  return { lines, functions, commands: log };
}

function streamLine(st: StreamModel): unknown {
  return {
    entries: st.entries.map(([id, fields]) => [id, fields.map(b64)]),
    length: st.entries.length,
    lastId: st.lastId,
    maxDeletedId: st.maxDeletedId,
    entriesAdded: st.entriesAdded,
    groups: [...st.groups.values()].map((g) => {
      const pel = [...g.pel.values()].sort((x, y) => idCompare(x[0], y[0]));
      return {
        name: b64(g.name),
        lastId: g.lastId,
        entriesRead: g.entriesRead,
        pending: pel.map(([id, consumer, time, count]) => [id, b64(consumer), time, count]),
        consumers: [...g.consumers.values()]
          .sort(Buffer.compare)
          .map((c) => ({ name: b64(c), pending: pel.filter((p) => p[1].equals(c)).map((p) => p[0]) })),
      };
    }),
  };
}
