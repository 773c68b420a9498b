// readRespRecord driven over a ByteFeeder in every feed mode (a miniature of readAof's loop): the
// records it returns, where it needs more bytes, and the reason code and offset of every malformed
// form; plus the round trip with encodeCommand under any split.

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { ByteFeeder, FormatError, NEED_MORE } from '@redis-forensics/core';
import { AOF_ANNOTATION_LINE_MAX_LEN, encodeCommand, encodeCommandText, readRespRecord } from '@redis-forensics/resp';
import { aofCommandArb, feed, FEED_MODES, respCommandBytes } from '@redis-forensics/testkit';

import type { RespLimits } from '@redis-forensics/resp';
import type { FeedMode } from '@redis-forensics/testkit';

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const LIMITS: RespLimits = { maxBulkBytes: 512 * 1024 * 1024, maxArgs: 1024 * 1024 };

type Outcome = { records: { at: number; end: number; kind: string; data: string[] }[]; error: { code: string; offset: number } | null; truncatedAt: number | null };

/** Read every record of `bytes`; stop at the first FormatError or at a record cut by the end. */
async function readAll(source: AsyncIterable<Uint8Array>, limits: RespLimits = LIMITS): Promise<Outcome> {
  const feeder = new ByteFeeder(source);
  const w = feeder.window;
  const out: Outcome = { records: [], error: null, truncatedAt: null };
  for (;;) {
    const at = w.position;
    try {
      const r = readRespRecord(w, limits);
      out.records.push({ at, end: w.position, kind: r.kind, data: r.kind === 'command' ? r.argv.map(hex) : [hex(r.line)] });
    } catch (e) {
      if (e === NEED_MORE) {
        if (await feeder.refill(NEED_MORE.end, at)) continue;
        if (w.base + w.buf.length > at) out.truncatedAt = at;
        return out;
      }
      if (!(e instanceof FormatError)) throw e;
      out.error = { code: e.code, offset: e.offset };
      return out;
    }
  }
}

const readMode = (bytes: Uint8Array, mode: FeedMode, limits?: RespLimits): Promise<Outcome> => readAll(feed(bytes, mode, 11, 5), limits);

describe('readRespRecord', () => {
  it.each(FEED_MODES)('Commands and annotations (%s): each record with its span, argv byte for byte', async (mode) => {
    const parts = [latin1('#TS:1700000000\r\n'), encodeCommandText('SET', latin1('k\r\n'), latin1('\0\xff\r')), latin1('# note\n'), encodeCommandText('DEL', 'k')];
    const bytes = Buffer.concat(parts);
    const got = await readMode(bytes, mode);
    expect(got.error).toBeNull();
    expect(got.truncatedAt).toBeNull();
    let at = 0;
    expect(got.records.map((r) => [r.at, r.end, r.kind])).toEqual(
      parts.map((p, i) => {
        const span = [at, at + p.length, i % 2 === 0 ? 'annotation' : 'command'];
        at += p.length;
        return span;
      }),
    );
    expect(got.records[1]!.data).toEqual([hex(latin1('SET')), hex(latin1('k\r\n')), hex(latin1('\0\xff\r'))]);
    expect(got.records[2]!.data).toEqual([hex(latin1('# note\n'))]);
  });

  it.each(FEED_MODES)('Every proper prefix of a command (%s): needs more bytes, never an error', async (mode) => {
    const bytes = encodeCommandText('HSET', 'h', 'field', 'x'.repeat(40));
    for (let cut = 1; cut < bytes.length; cut++) {
      const got = await readMode(bytes.subarray(0, cut), mode);
      expect([cut, got.records.length, got.error, got.truncatedAt]).toEqual([cut, 0, null, 0]);
    }
  });

  const malformed: [string, string, string, number][] = [
    ['a line that starts with +', '+OK\r\n', 'RESP_BAD_PREFIX', 0],
    ['an inline command', 'SET a 1\r\n', 'RESP_BAD_PREFIX', 0],
    ['a $ where * should be', '$3\r\nSET\r\n', 'RESP_BAD_PREFIX', 0],
    ['a * where $ should be', '*1\r\n*3\r\nSET\r\n', 'RESP_BAD_PREFIX', 4],
    ['argc 0', '*0\r\n', 'RESP_BAD_LENGTH', 0],
    ['argc -1', '*-1\r\n', 'RESP_BAD_LENGTH', 0],
    ['argc not a number', '*x\r\n', 'RESP_BAD_LENGTH', 1],
    ['argc followed by LF only', '*1\n$4\r\nPING\r\n', 'RESP_MISSING_CRLF', 2],
    ['argc with a trailing letter', '*1a\r\n', 'RESP_MISSING_CRLF', 2],
    ['argc of 19 digits', `*${'9'.repeat(19)}\r\n`, 'RESP_BAD_LENGTH', 0],
    ['a negative bulk length', '*1\r\n$-1\r\n', 'RESP_BAD_LENGTH', 4],
    ['an empty bulk length', '*1\r\n$\r\n\r\n', 'RESP_BAD_LENGTH', 4],
    ['a bulk followed by LF only', '*1\r\n$4\r\nPING\n\r', 'RESP_MISSING_CRLF', 12],
    ['a bulk one byte longer than its length', '*1\r\n$3\r\nPING\r\n', 'RESP_MISSING_CRLF', 11],
    ['CR then not LF after the length', '*1\r\n$4\rxPING\r\n', 'RESP_MISSING_CRLF', 7],
  ];
  it.each(FEED_MODES.flatMap((m) => malformed.map((c) => [m, ...c] as const)))('Malformed (%s), %s (%j): %s at offset %i after a good command', async (mode, _what, text, code, offset) => {
    const good = encodeCommandText('SET', 'a', '1');
    const got = await readMode(Buffer.concat([good, latin1(text)]), mode);
    expect(got.records).toHaveLength(1);
    expect(got.error).toEqual({ code, offset: good.length + offset });
  });

  it.each(FEED_MODES)('Limits (%s): a bulk over maxBulkBytes and an argc over maxArgs are RESP_LIMIT_EXCEEDED before anything is allocated', async (mode) => {
    const limits = { maxBulkBytes: 10, maxArgs: 3 };
    expect((await readMode(encodeCommandText('SET', 'k', 'x'.repeat(11)), mode, limits)).error).toEqual({ code: 'RESP_LIMIT_EXCEEDED', offset: 20 });
    expect((await readMode(encodeCommandText('SET', 'k', 'x'.repeat(10)), mode, limits)).error).toBeNull();
    expect((await readMode(encodeCommandText('DEL', 'a', 'b', 'c'), mode, limits)).error).toEqual({ code: 'RESP_LIMIT_EXCEEDED', offset: 0 });
    // A length of 2^53 is refused by the limit, not by trying to buffer it.
    expect((await readMode(latin1('*1\r\n$9007199254740992\r\n'), mode)).error).toEqual({ code: 'RESP_LIMIT_EXCEEDED', offset: 4 });
  });

  it.each(FEED_MODES)('Annotation lines (%s): up to 1023 bytes are one record; a longer line is read in 1023-byte pieces, as fgets does', async (mode) => {
    const max = AOF_ANNOTATION_LINE_MAX_LEN - 1;
    const exact = latin1(`#${'a'.repeat(max - 3)}\r\n`);
    expect((await readMode(exact, mode)).records.map((r) => r.end - r.at)).toEqual([max]);
    // 1023 + "#b...\n": the second piece starts with '#', so it is an annotation too.
    const twoPieces = latin1(`#${'a'.repeat(max - 1)}#bb\r\n`);
    const got = await readMode(twoPieces, mode);
    expect(got.records.map((r) => [r.at, r.end])).toEqual([[0, max], [max, max + 5]]);
    // A piece that starts with anything else is a bad prefix at that byte.
    const bad = latin1(`#${'a'.repeat(max)}\r\n`);
    expect((await readMode(bad, mode)).error).toEqual({ code: 'RESP_BAD_PREFIX', offset: max });
  });

  it.each(FEED_MODES)('An annotation without LF at the end (%s): needs more bytes (the caller decides at EOF)', async (mode) => {
    const got = await readMode(latin1('#TS:17'), mode);
    expect([got.records.length, got.truncatedAt, got.error]).toEqual([0, 0, null]);
  });
});

describe('encodeCommand', () => {
  it('SET with binary bytes: the exact bytes Redis appends', () => {
    expect(Buffer.from(encodeCommand([latin1('SET'), latin1('k'), latin1('a\r\n\0')])).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\n\0\r\n');
  });

  it('An empty argument: $0 and an empty bulk', () => {
    expect(Buffer.from(encodeCommandText('SET', 'k', '')).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n');
  });

  it('Text arguments: encoded as UTF-8 bytes, lengths in bytes', () => {
    expect(Buffer.from(encodeCommandText('SET', 'é', '€')).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$2\r\n\xc3\xa9\r\n$3\r\n\xe2\x82\xac\r\n');
  });

  test.prop([aofCommandArb])('Any command: the same bytes as the independent testkit encoder', (argv) => {
    expect(hex(encodeCommand(argv))).toBe(hex(respCommandBytes(argv)));
  });

  test.prop([fc.array(aofCommandArb, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 64 }), fc.integer()], { numRuns: 200 })(
    'Random commands, random chunk sizes: readRespRecord returns each argv as encoded, records back to back',
    async (argvs, maxChunk, seed) => {
      const encoded = argvs.map((a) => encodeCommand(a));
      const got = await readAll(feed(Buffer.concat(encoded), 'random-splits', seed, maxChunk));
      expect(got.error).toBeNull();
      expect(got.records.map((r) => r.data)).toEqual(argvs.map((a) => a.map(hex)));
      expect(got.records.at(-1)!.end).toBe(encoded.reduce((n, e) => n + e.length, 0));
    },
  );
});
