// readAof over crafted bytes, in every feed mode (STYLE.md 9.2): binary-safe arguments, huge
// argument counts, annotations and #TS: times, the fgets line limit of annotations, truncated
// tails; and the two properties: encodeCommand round trip under any split, and validUpTo of every
// prefix against an independent model of redis-check-aof (testkit expectedAofVerdict).

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { readAof } from '@redis-forensics/aof';
import { encodeCommand } from '@redis-forensics/resp';
import {
  aofAnnotation,
  aofBytes,
  aofCommand,
  aofCommandArb,
  aofRecordsArb,
  collect,
  expectedAofVerdict,
  feed,
  FEED_MODES,
} from '@redis-forensics/testkit';

import type { AofCommandEvent, AofEvent, AofFileEndEvent } from '@redis-forensics/aof';
import type { AofRecordSpec, FeedMode } from '@redis-forensics/testkit';

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Events as plain data (argv as hex), so that modes can be compared with toEqual. */
function summary(events: readonly AofEvent[]): unknown[] {
  return events.map((e) => {
    switch (e.type) {
      case 'command':
        return { t: 'c', index: e.index, offset: e.offset, end: e.end, db: e.db, time: e.time, inMulti: e.inMulti, argv: e.argv.map(hex) };
      case 'annotation':
        return { t: 'a', offset: e.offset, end: e.end, line: hex(e.line), timestamp: e.timestamp };
      case 'fileEnd':
        return { t: 'e', size: e.size, validUpTo: e.validUpTo, okUpToLine: e.okUpToLine, diff: e.diff, status: e.status, code: e.error?.code ?? null, at: e.error?.offset ?? null, commands: e.commands, openMultiAt: e.openMultiAt, partial: e.partial === null ? null : { ...e.partial, name: e.partial.name && hex(e.partial.name), key: e.partial.key && hex(e.partial.key) } };
      default:
        return { t: e.type };
    }
  });
}

async function read(bytes: Uint8Array, mode: FeedMode, seed: number = 7): Promise<AofEvent[]> {
  return collect(readAof(feed(bytes, mode, seed, mode === 'random-splits' ? 97 : 4096), { file: 'x.aof' }));
}

const commands = (events: readonly AofEvent[]): AofCommandEvent[] => events.filter((e): e is AofCommandEvent => e.type === 'command');
const fileEnd = (events: readonly AofEvent[]): AofFileEndEvent => events.find((e): e is AofFileEndEvent => e.type === 'fileEnd')!;

/** Read in `mode`, and check the events equal those of the whole-buffer read. */
async function readChecked(bytes: Uint8Array, mode: FeedMode): Promise<AofEvent[]> {
  const events = await read(bytes, mode);
  if (mode !== 'whole') expect(summary(events)).toEqual(summary(await read(bytes, 'whole')));
  return events;
}

describe('readAof: binary-safe arguments', () => {
  const values = ['\r\n', '\r', '\n', '\0', 'a\0b\r\nc', '\xff\xfe\xfd', '\xc3\x28', '\xed\xa0\x80', '*1\r\n$4\r\nPING\r\n', '$-1\r\n', '#TS:5\r\n', ''].map(latin1);
  const records: AofRecordSpec[] = [
    aofCommand('SELECT', '0'),
    ...values.map((v, i) => aofCommand('SET', latin1(`k\0${i}\r\n`), v)),
    aofCommand('RPUSH', latin1('\x00\xff'), ...values),
  ];
  const { bytes, spans } = aofBytes(records);

  it.each(FEED_MODES)('CR, LF, NUL, invalid UTF-8 and RESP look-alikes in keys and values (%s): every argument comes back byte for byte', async (mode) => {
    const events = await readChecked(bytes, mode);
    const cmds = commands(events);
    expect(cmds.map((c) => c.argv.map(hex))).toEqual(records.map((r) => (r.kind === 'command' ? r.argv.map(hex) : [])));
    expect(cmds.map((c) => [c.offset, c.end])).toEqual(spans.map((s) => [s.offset, s.end]));
    expect(fileEnd(events)).toMatchObject({ status: 'complete', size: bytes.length, validUpTo: bytes.length, diff: 0, commands: records.length });
  });
});

describe('readAof: huge argument counts', () => {
  const args = Array.from({ length: 4321 }, (_, i) => latin1(i % 7 === 0 ? `v${i}\r\n` : i % 11 === 0 ? '' : `value-${i}`));
  const records = [aofCommand('RPUSH', 'big', ...args), aofCommand('SET', 'after', '1')];
  const { bytes, spans } = aofBytes(records);

  it.each(FEED_MODES)('RPUSH with 4321 elements (%s): one command of 4323 arguments, the next command intact', async (mode) => {
    const events = await readChecked(bytes, mode);
    const cmds = commands(events);
    expect(cmds).toHaveLength(2);
    expect(cmds[0]!.argv).toHaveLength(4323);
    expect(cmds[0]!.argv.slice(2).map(hex)).toEqual(args.map(hex));
    expect([cmds[0]!.end, cmds[1]!.offset, cmds[1]!.end]).toEqual([spans[0]!.end, spans[1]!.offset, bytes.length]);
    // redis-check-aof's line counter: 1 + (1 + 2 * argc) per command.
    expect(fileEnd(events).okUpToLine).toBe(1 + (1 + 2 * 4323) + (1 + 2 * 3));
  });

  it.each(FEED_MODES)('The same command cut 12000 bytes before its end (%s): truncated, validUpTo 0, the partial command named', async (mode) => {
    const cut = spans[0]!.end - 12000;
    const events = await readChecked(bytes.subarray(0, cut), mode);
    expect(fileEnd(events)).toMatchObject({ status: 'truncated', validUpTo: 0, diff: cut });
    expect(fileEnd(events).error?.code).toBe('AOF_UNEXPECTED_EOF');
    expect(fileEnd(events).partial).toMatchObject({ offset: 0, bytes: cut, name: latin1('RPUSH'), key: latin1('big') });
  });
});

describe('readAof: annotations', () => {
  const records: AofRecordSpec[] = [
    aofAnnotation('#TS:1700000000'),
    aofCommand('SET', 'a', '1'),
    aofAnnotation('# a comment, with * and $3 in it'),
    aofCommand('SET', 'b', '2'),
    aofAnnotation('#TS:1700000007'),
    aofCommand('MULTI'),
    aofCommand('INCR', 'a'),
    aofAnnotation('#TS:1700000008'),
    aofCommand('INCR', 'b'),
    aofCommand('EXEC'),
    aofCommand('SELECT', '3'),
    aofCommand('DEL', 'a'),
  ];
  const { bytes, spans } = aofBytes(records);

  it.each(FEED_MODES)('Annotations between and inside commands (%s): reported with their spans, never as commands; times and MULTI flags follow them', async (mode) => {
    const events = await readChecked(bytes, mode);
    const kinds = events.filter((e) => e.type === 'command' || e.type === 'annotation').map((e) => [e.type, (e as { offset: number }).offset, (e as { end: number }).end]);
    expect(kinds).toEqual(spans.map((s) => [s.kind, s.offset, s.end]));
    const annotations = events.filter((e) => e.type === 'annotation');
    expect(annotations.map((a) => a.timestamp)).toEqual([1700000000, null, 1700000007, 1700000008]);
    expect(annotations.map((a) => Buffer.from(a.line).toString('latin1'))).toEqual(records.filter((r) => r.kind === 'annotation').map((r) => Buffer.from(r.line).toString('latin1')));
    expect(commands(events).map((c) => [Buffer.from(c.argv[0]!).toString(), c.index, c.time, c.inMulti, c.db])).toEqual([
      ['SET', 0, 1700000000, false, 0],
      ['SET', 1, 1700000000, false, 0],
      ['MULTI', 2, 1700000007, false, 0],
      ['INCR', 3, 1700000007, true, 0],
      ['INCR', 4, 1700000008, true, 0],
      ['EXEC', 5, 1700000008, false, 0],
      ['SELECT', 6, 1700000008, false, 3],
      ['DEL', 7, 1700000008, false, 3],
    ]);
    // Annotations consume no lines in redis-check-aof's counter.
    expect(fileEnd(events)).toMatchObject({ status: 'complete', validUpTo: bytes.length, okUpToLine: 1 + 7 + 7 + 3 + 5 + 5 + 3 + 5 + 5 });
  });

  // What counts as a timestamp: redis-check-aof compares the first 4 bytes with "#TS:" (strncmp,
  // case-sensitive) and wants digits up to the \r.
  const tsCases: [string, number | null][] = [
    ['#TS:0', 0],
    ['#TS:1700000000', 1700000000],
    ['#TS:4102444800', 4102444800],
    ['#TS:17x', null],
    ['#TS:12 ', null],
    ['#ts:1700000000', null],
    ['#TSX:1', null],
    ['# TS:1', null],
    ['#TS:', null],
    ['#', null],
  ];
  it.each(FEED_MODES.flatMap((m) => tsCases.map(([line, ts]) => [m, line, ts] as const)))('#TS: parsing (%s) of %j: timestamp %j', async (mode, line, ts) => {
    const { bytes } = aofBytes([aofAnnotation('#TS:100'), aofAnnotation(line), aofCommand('SET', 'k', 'v')]);
    const events = await readChecked(bytes, mode);
    const annotations = events.filter((e) => e.type === 'annotation');
    expect(annotations.map((a) => a.timestamp)).toEqual([100, ts]);
    expect(commands(events)[0]!.time).toBe(ts ?? 100);
  });

  it.each(FEED_MODES)('An annotation cut before its LF at the end of the file (%s): complete, like fgets hands it over', async (mode) => {
    const { bytes } = aofBytes([aofCommand('SET', 'a', '1'), aofAnnotation('#TS:1700000123', false)]);
    const events = await readChecked(bytes, mode);
    expect(events.filter((e) => e.type === 'annotation').map((a) => a.timestamp)).toEqual([null]);
    expect(fileEnd(events)).toMatchObject({ status: 'complete', validUpTo: bytes.length });
  });

  // redis-check-aof and the server read annotations with fgets(buf, AOF_ANNOTATION_LINE_MAX_LEN):
  // at most 1023 bytes per call. Verified with redis-check-aof 7.0.15 on SET a 1 (27 bytes), an
  // annotation of N bytes (CRLF included), SET b 2: N = 1021, 1022, 1023 are valid; N = 1024 is
  // "format error" with ok_up_to=1050 (27 + 1023: the stray LF) and ok_up_to_line=8.
  it.each(FEED_MODES.flatMap((m) => [1021, 1022, 1023].map((n) => [m, n] as const)))('An annotation line of %s: %i bytes with CRLF is one annotation', async (mode, n) => {
    const { bytes } = aofBytes([aofCommand('SET', 'a', '1'), aofAnnotation(`#${'x'.repeat(n - 3)}`), aofCommand('SET', 'b', '2')]);
    const events = await readChecked(bytes, mode);
    expect(events.filter((e) => e.type === 'annotation').map((a) => a.end - a.offset)).toEqual([n]);
    expect(fileEnd(events)).toMatchObject({ status: 'complete', validUpTo: bytes.length, okUpToLine: 15 });
  });

  it.each(FEED_MODES)('An annotation line of 1024 bytes with CRLF (%s): corrupt at its LF, ok_up_to 1050 as redis-check-aof 7.0.15 says', async (mode) => {
    const { bytes } = aofBytes([aofCommand('SET', 'a', '1'), aofAnnotation(`#${'x'.repeat(1021)}`), aofCommand('SET', 'b', '2')]);
    const events = await readChecked(bytes, mode);
    expect(fileEnd(events)).toMatchObject({ status: 'corrupt', validUpTo: 1050, okUpToLine: 8, size: 1078 });
    expect(fileEnd(events).error).toMatchObject({ code: 'RESP_BAD_PREFIX', offset: 1050 });
  });
});

describe('readAof: truncated and corrupt tails', () => {
  const { bytes, spans } = aofBytes([aofCommand('SET', 'a', '1'), aofCommand('MULTI'), aofCommand('SET', 'b', 'x\r\ny'), aofCommand('EXEC'), aofCommand('HSET', 'h', 'f', 'value')]);

  it.each(FEED_MODES)('Cut inside the last bulk (%s): truncated at the start of the last command, partial name and key decoded', async (mode) => {
    const cut = spans[4]!.end - 4;
    const events = await readChecked(bytes.subarray(0, cut), mode);
    expect(fileEnd(events)).toMatchObject({ status: 'truncated', validUpTo: spans[4]!.offset, diff: cut - spans[4]!.offset, commands: 4 });
    expect(fileEnd(events).error).toMatchObject({ code: 'AOF_UNEXPECTED_EOF', offset: cut });
    expect(fileEnd(events).partial).toMatchObject({ offset: spans[4]!.offset, name: latin1('HSET'), key: latin1('h') });
  });

  it.each(FEED_MODES)('Cut right after a command inside MULTI (%s): truncated back to the MULTI, AOF_UNFINISHED_MULTI', async (mode) => {
    const cut = spans[2]!.end;
    const events = await readChecked(bytes.subarray(0, cut), mode);
    expect(fileEnd(events)).toMatchObject({ status: 'truncated', validUpTo: spans[1]!.offset, openMultiAt: spans[1]!.offset, commands: 3 });
    expect(fileEnd(events).error?.code).toBe('AOF_UNFINISHED_MULTI');
  });

  it.each(FEED_MODES)('A byte that starts no record (%s): corrupt, RESP_BAD_PREFIX at that byte, validUpTo before it', async (mode) => {
    const bad = Uint8Array.from(bytes);
    bad[spans[4]!.offset] = 0x2b; // '+': not '*' nor '#'
    const events = await readChecked(bad, mode);
    expect(fileEnd(events)).toMatchObject({ status: 'corrupt', validUpTo: spans[4]!.offset, size: bytes.length });
    expect(fileEnd(events).error).toMatchObject({ code: 'RESP_BAD_PREFIX', offset: spans[4]!.offset });
  });

  it.each(FEED_MODES)('A bulk not followed by CRLF (%s): corrupt, RESP_MISSING_CRLF where the CRLF should be', async (mode) => {
    const bad = Uint8Array.from(bytes);
    const crAt = spans[0]!.end - 2;
    bad[crAt] = 0x58; // 'X'
    const events = await readChecked(bad, mode);
    expect(fileEnd(events)).toMatchObject({ status: 'corrupt', validUpTo: 0 });
    expect(fileEnd(events).error).toMatchObject({ code: 'RESP_MISSING_CRLF', offset: crAt });
  });

  it.each(FEED_MODES)('EXEC without MULTI and MULTI inside MULTI (%s): AOF_UNEXPECTED_EXEC / AOF_UNEXPECTED_MULTI at the command', async (mode) => {
    const exec = aofBytes([aofCommand('SET', 'a', '1'), aofCommand('EXEC')]);
    expect(fileEnd(await readChecked(exec.bytes, mode))).toMatchObject({ status: 'corrupt', validUpTo: exec.spans[1]!.offset });
    expect(fileEnd(await readChecked(exec.bytes, mode)).error?.code).toBe('AOF_UNEXPECTED_EXEC');
    const multi = aofBytes([aofCommand('MULTI'), aofCommand('SET', 'a', '1'), aofCommand('multi'), aofCommand('EXEC')]);
    const end = fileEnd(await readChecked(multi.bytes, mode));
    expect(end).toMatchObject({ status: 'corrupt', validUpTo: 0 });
    expect(end.error).toMatchObject({ code: 'AOF_UNEXPECTED_MULTI', offset: multi.spans[2]!.offset });
  });
});

describe('readAof as an async generator', () => {
  const { bytes } = aofBytes(Array.from({ length: 10_000 }, (_, i) => aofCommand('SET', `k${i}`, 'v')));

  it('Consumer stops after the first command: the source is closed (its finally runs) and nothing more is read', async () => {
    let closed = false;
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (let at = 0; at < bytes.length; at += 1000) {
          pulled++;
          yield bytes.slice(at, at + 1000);
        }
      } finally {
        closed = true;
      }
    }
    for await (const ev of readAof(source())) if (ev.type === 'command') break;
    expect(closed).toBe(true);
    expect(pulled).toBeLessThan(3);
  });

  it('Source fails mid-file: every event before the failure arrives first, then the error; then the generator is done', async () => {
    const firstChunk = aofBytes([aofCommand('SET', 'a', '1'), aofCommand('SET', 'b', '2'), aofCommand('SET', 'c', '3')]).bytes;
    async function* source(): AsyncGenerator<Uint8Array> {
      yield firstChunk;
      throw new Error('EIO: disk went away');
    }
    const gen = readAof(source());
    const seen: string[] = [];
    let error: unknown;
    try {
      for await (const ev of gen) seen.push(ev.type === 'command' ? Buffer.from(ev.argv[1]!).toString() : ev.type);
    } catch (e) {
      error = e;
    }
    expect(seen).toEqual(['file', 'a', 'b', 'c']);
    expect((error as Error).message).toBe('EIO: disk went away');
    expect(await gen.next()).toEqual({ value: undefined, done: true });
  });

  it('Many commands in one chunk: all of them, in order, with contiguous indexes (batches are invisible)', async () => {
    const events = await collect(readAof(feed(bytes, 'whole')));
    const cmds = commands(events);
    expect(cmds.map((c) => c.index)).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
    expect(events[0]!.type).toBe('file');
    expect(events.at(-1)!.type).toBe('fileEnd');
  });
});

describe('readAof properties', () => {
  /** Chunks of `bytes` cut at the given points (any order, duplicates allowed). */
  async function* chunks(bytes: Uint8Array, points: readonly number[]): AsyncGenerator<Uint8Array> {
    const cuts = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
    let at = 0;
    for (const c of [...cuts, bytes.length]) {
      if (c > at) yield bytes.slice(at, c);
      at = Math.max(at, c);
    }
  }

  test.prop([fc.array(aofCommandArb, { maxLength: 25 }), fc.array(fc.nat(), { maxLength: 40 })], { numRuns: 300 })(
    'Random commands encoded with encodeCommand, split anywhere: read back identically, spans contiguous',
    async (argvs, points) => {
      const encoded = argvs.map((a) => encodeCommand(a));
      const bytes = Buffer.concat(encoded);
      const events = await collect(readAof(chunks(bytes, points)));
      const cmds = commands(events);
      expect(cmds.map((c) => c.argv.map(hex))).toEqual(argvs.map((a) => a.map(hex)));
      let at = 0;
      cmds.forEach((c, i) => {
        expect([c.offset, c.end]).toEqual([at, at + encoded[i]!.length]);
        at = c.end;
      });
      expect(fileEnd(events)).toMatchObject({ status: 'complete', validUpTo: bytes.length, size: bytes.length });
    },
  );

  test.prop([aofRecordsArb(), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer()], { numRuns: 400 })(
    'Truncation: for any valid AOF and any cut c, validUpTo is the end of the last complete record outside an open MULTI, and <= c',
    async (records, fraction, seed) => {
      const { bytes, spans } = aofBytes(records);
      const cut = Math.round(fraction * bytes.length);
      const expected = expectedAofVerdict(spans, cut);
      const events = await collect(readAof(feed(bytes.subarray(0, cut), 'random-splits', seed, 64)));
      const end = fileEnd(events);
      expect(end.validUpTo).toBeLessThanOrEqual(cut);
      expect({ validUpTo: end.validUpTo, okUpToLine: end.okUpToLine, status: end.status, openMultiAt: end.openMultiAt }).toEqual(expected);
      // Every command reported ends within the valid part or inside the open MULTI / partial tail.
      expect(commands(events).every((c) => c.end <= cut)).toBe(true);
      expect(end.size).toBe(cut);
    },
  );

  test.prop([aofRecordsArb()], { numRuns: 100 })('Every cut c of one AOF (the first 600): readAof and the model agree on validUpTo, okUpToLine and status', async (records) => {
    const { bytes, spans } = aofBytes(records);
    for (let cut = 0; cut <= Math.min(bytes.length, 600); cut++) {
      const end = fileEnd(await collect(readAof(feed(bytes.subarray(0, cut), 'whole'))));
      const e = expectedAofVerdict(spans, cut);
      expect([cut, end.validUpTo, end.okUpToLine, end.status]).toEqual([cut, e.validUpTo, e.okUpToLine, e.status]);
    }
  });
});
