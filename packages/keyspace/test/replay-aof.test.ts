// replayAof: the AOF loader's rules (redis/src/aof.c loadSingleAppendOnlyFile) on small AOFs built
// with the RESP encoder: unfinished MULTI, per-file fake client, keys kept with past expire times,
// unsupported commands stopping the replay or skipped, `until`, RESTORE of a DUMP payload.

import { describe, expect, it } from 'vitest';

import { readAof } from '@redis-forensics/aof';
import { crc64 } from '@redis-forensics/core';
import { encodeCommandText } from '@redis-forensics/resp';
import { latin1ToBytes, replayAof, UnsupportedCommandError } from '@redis-forensics/keyspace';

import type { AofEvent } from '@redis-forensics/aof';

function aof(...commands: (string | Uint8Array)[][]): Buffer {
  return Buffer.concat(commands.map((c) => encodeCommandText(...c)));
}

async function* events(files: [string, Uint8Array][]): AsyncGenerator<AofEvent> {
  let index = 0;
  for (const [name, bytes] of files) {
    for await (const ev of readAof((async function* () { yield bytes; })(), { file: name, firstIndex: index })) {
      if (ev.type === 'command') index = ev.index + 1;
      yield ev;
    }
  }
}

const value = (ks: Awaited<ReturnType<typeof replayAof>>['keyspace'], key: string, db = 0): unknown => {
  const v = ks.get(db, latin1ToBytes(key))?.value;
  return v === undefined ? null : typeof v === 'string' ? v : v.type === 'list' ? v.toArray() : v.type;
};

describe('replayAof', () => {
  it('Unfinished MULTI: the queued commands are dropped (valid_before_multi)', async () => {
    const bytes = aof(['SET', 'a', '1'], ['MULTI'], ['SET', 'b', '2'], ['INCR', 'a']);
    const report = await replayAof(events([['appendonly.aof', bytes]]));
    expect(value(report.keyspace, 'a')).toBe('1');
    expect(value(report.keyspace, 'b')).toBeNull();
    expect(report.discardedTransactions).toEqual([{ file: 'appendonly.aof', commands: 2 }]);
  });

  it('MULTI/EXEC: applied together at EXEC; before 4.0 the loader ran them one by one', async () => {
    const bytes = aof(['MULTI'], ['SET', 'b', '2'], ['INCR', 'b']);
    expect(value((await replayAof(events([['x.aof', bytes]]), { serverVersion: '3.2.13' })).keyspace, 'b')).toBe('3');
    const full = Buffer.concat([bytes, aof(['EXEC'])]);
    expect(value((await replayAof(events([['x.aof', full]]))).keyspace, 'b')).toBe('3');
  });

  it('Each file starts in db 0 (a fresh fake client per file)', async () => {
    const base = aof(['SELECT', '3'], ['SET', 'a', 'base']);
    const incr = aof(['SET', 'a', 'incr']);
    const { keyspace } = await replayAof(events([['f.1.base.aof', base], ['f.1.incr.aof', incr]]));
    expect(value(keyspace, 'a', 3)).toBe('base');
    expect(value(keyspace, 'a', 0)).toBe('incr');
  });

  it('Expire times in the past are kept while loading (the AOF carries the DEL later)', async () => {
    const { keyspace } = await replayAof(events([['a.aof', aof(['SET', 'a', '1'], ['PEXPIREAT', 'a', '1000'], ['SET', 'b', '2', 'PXAT', '1'])]]));
    expect(keyspace.get(0, latin1ToBytes('a'))!.expireAt).toBe(1000);
    expect(keyspace.get(0, latin1ToBytes('b'))!.expireAt).toBe(1);
  });

  it('Failing commands are reported and change nothing', async () => {
    const report = await replayAof(events([['a.aof', aof(['RPUSH', 'l', 'x'], ['INCR', 'l'], ['SET', 'k', 'v'])]]));
    const at = encodeCommandText('RPUSH', 'l', 'x').byteLength;
    expect(report.errors).toEqual([{ file: 'a.aof', offset: at, index: 1, command: 'INCR', error: 'WRONGTYPE Operation against a key holding the wrong kind of value' }]);
    expect(value(report.keyspace, 'l')).toEqual(['x']);
  });

  it('EVAL stops the replay with the command, file and offset; skipUnsupported reports and continues', async () => {
    const bytes = aof(['SET', 'a', '1'], ['EVAL', "return redis.call('set','b','2')", '0'], ['SET', 'c', '3']);
    const at = encodeCommandText('SET', 'a', '1').byteLength;
    await expect(replayAof(events([['appendonly.aof', bytes]]))).rejects.toThrow(`EVAL in appendonly.aof at offset ${at}`);
    const report = await replayAof(events([['appendonly.aof', bytes]]), { skipUnsupported: true });
    expect(report.skipped).toHaveLength(1);
    expect(report.skipped[0]).toBeInstanceOf(UnsupportedCommandError);
    expect([report.skipped[0]!.command, report.skipped[0]!.offset, report.skipped[0]!.index]).toEqual(['EVAL', at, 1]);
    expect(value(report.keyspace, 'c')).toBe('3');
  });

  it('until: stops before a command index or an offset', async () => {
    const bytes = aof(['SET', 'a', '1'], ['SET', 'a', '2'], ['SET', 'a', '3']);
    expect(value((await replayAof(events([['a.aof', bytes]]), { until: { index: 2 } })).keyspace, 'a')).toBe('2');
    const second = encodeCommandText('SET', 'a', '1').byteLength;
    const r = await replayAof(events([['a.aof', bytes]]), { until: { offset: second } });
    expect(value(r.keyspace, 'a')).toBe('1');
    expect(r.stoppedAt).toEqual({ file: 'a.aof', offset: second, index: 1 });
  });

  it('Batches (arrays of events) replay exactly as single events; onEvent sees each event up to the stop, false stops', async () => {
    const files: [string, Uint8Array][] = [
      ['a.aof', aof(['SET', 'a', '1'], ['MULTI'], ['RPUSH', 'l', 'x', 'y'], ['EXEC'], ['INCR', 'a'])],
      ['b.aof', aof(['SELECT', '2'], ['SET', 'b', '2'], ['DEL', 'a'])],
    ];
    const all: AofEvent[] = [];
    for await (const ev of events(files)) all.push(ev);
    async function* inBatches(size: number): AsyncGenerator<AofEvent[]> {
      for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
    }
    const dump = (r: Awaited<ReturnType<typeof replayAof>>): unknown => [value(r.keyspace, 'a'), value(r.keyspace, 'l'), value(r.keyspace, 'b', 2), r.commands];
    const single = await replayAof(all, { until: { index: 7 } });
    for (const size of [1, 2, 3, all.length]) {
      const seen: AofEvent[] = [];
      const batched = await replayAof(inBatches(size), { until: { index: 7 }, onEvent: (ev) => void seen.push(ev as AofEvent) });
      expect(dump(batched)).toEqual(dump(single));
      expect(batched.stoppedAt).toEqual(single.stoppedAt);
      // Every event up to and including the one `until` stopped at, nothing after it.
      const stop = all.findIndex((ev) => ev.type === 'command' && ev.index === 7);
      expect(seen).toEqual(all.slice(0, stop + 1));
    }
    expect(dump(single)).toEqual(['2', ['x', 'y'], '2', 7]);
    // false from onEvent stops before the event: the second file is not replayed.
    const stopped = await replayAof(inBatches(4), { onEvent: (ev) => !(ev.type === 'file' && ev.file === 'b.aof') });
    expect(dump(stopped)).toEqual(['2', ['x', 'y'], null, 5]);
  });

  it('RESTORE: a DUMP payload (string, RDB 10) is decoded and restored; a bad checksum is refused', async () => {
    // DUMP of the string "hello": type 0, length 5, bytes, RDB version 10 (u16le), CRC64 (u64le).
    const body = Buffer.from([0x00, 0x05, ...Buffer.from('hello'), 0x0a, 0x00]);
    const crc = Buffer.alloc(8);
    crc.writeBigUInt64LE(crc64(body));
    const payload = Buffer.concat([body, crc]);
    const bad = Buffer.from(payload);
    bad[bad.length - 1]! ^= 1;
    const report = await replayAof(events([['a.aof', aof(['RESTORE', 'k', '0', payload], ['RESTORE', 'j', '0', bad])]]));
    expect(value(report.keyspace, 'k')).toBe('hello');
    expect(report.errors.map((e) => e.error)).toEqual(['ERR DUMP payload version or checksum are wrong']);
  });
});
