import { Buffer } from 'node:buffer';

import { describe, expect, it } from 'vitest';

import { RespEncoder } from '../../../src/commands/dump/resp-encoder.js';
import { OutputSink } from '../../../src/output-sink.js';
import { canonicalFromDump, corpusFile, corpusRdbCases, expectedKeys, streamDetailOf } from '../../corpus.js';
import { parseResp, replayCommands } from '../../resp-replay.js';
import { CaptureStream, runCli } from '../../run-cli.js';

import type { RdbKeyEvent } from '@redis-forensics/rdb';

const cases = corpusRdbCases().filter(([, name]) => name !== 'rdb-module');

describe('rfx dump --format resp', () => {
  it.each(cases)('Corpus %s/%s: replaying the commands rebuilds the server view', async (version, name) => {
    const run = await runCli(['dump', corpusFile(version, `${name}.rdb`), '--format', 'resp']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    const replay = replayCommands(parseResp(run.stdoutBytes));
    const expected = expectedKeys(version, name);
    expect(replay.lines).toHaveLength(expected.size);
    for (const line of replay.lines) {
      const actual = canonicalFromDump(line, streamDetailOf(version));
      const exp = expected.get(`${actual.db}:${actual.key}`);
      expect(exp, `db ${actual.db} key ${actual.key}`).toBeDefined();
      if (exp!.expireApprox && actual.expireAt !== null && exp!.expireAt !== null) {
        expect(Math.abs(actual.expireAt - exp!.expireAt)).toBeLessThanOrEqual(60_000);
        actual.expireAt = exp!.expireAt;
      }
      expect({ ...actual, expireApprox: exp!.expireApprox, stream: exp!.stream === null ? null : actual.stream }).toEqual(exp);
    }
  });

  it('Batching: at most 64 items per RPUSH/SADD/ZADD/HMSET (AOF_REWRITE_ITEMS_PER_CMD)', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--format', 'resp', '--part-bytes', '300']);
    const { commands } = replayCommands(parseResp(run.stdoutBytes));
    const max = (name: string): number => Math.max(...commands.filter((c) => c.name === name).map((c) => c.argc));
    expect(max('RPUSH')).toBe(2 + 64);
    expect(max('SADD')).toBe(2 + 64);
    expect(max('ZADD')).toBe(2 + 2 * 64);
    expect(max('HMSET')).toBe(2 + 2 * 64);
  });

  it('Order: FUNCTION LOAD first, then SELECT per db, PEXPIREAT right after the value', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--format', 'resp']);
    const commands = parseResp(run.stdoutBytes).map((c) => c.map((a) => a.toString('latin1')));
    expect(commands.slice(0, 2).map((c) => c.slice(0, 2))).toEqual([
      ['FUNCTION', 'LOAD'],
      ['FUNCTION', 'LOAD'],
    ]);
    expect(commands.filter((c) => c[0] === 'SELECT')).toEqual([
      ['SELECT', '0'],
      ['SELECT', '1'],
      ['SELECT', '15'],
    ]);
    const i = commands.findIndex((c) => c[0] === 'PEXPIREAT' && c[1] === 'ttl:list');
    expect(commands[i - 1]).toEqual(['RPUSH', 'ttl:list', 'a', 'b']);
    expect(commands[i]).toEqual(['PEXPIREAT', 'ttl:list', '4102444800456']);
  });

  it('Hash field TTLs: HMSET then HPEXPIREAT key ms FIELDS 1 field, as the rewrite writes them', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--format', 'resp', '--match', 'hash:hfe_all']);
    const commands = parseResp(run.stdoutBytes).map((c) => c.map((a) => a.toString('latin1')));
    expect(commands).toEqual([
      ['SELECT', '0'],
      ['HMSET', 'hash:hfe_all', 'y', '2'],
      ['HPEXPIREAT', 'hash:hfe_all', '4102444803333', 'FIELDS', '1', 'y'],
      ['HMSET', 'hash:hfe_all', 'x', '1'],
      ['HPEXPIREAT', 'hash:hfe_all', '4102444803333', 'FIELDS', '1', 'x'],
      ['PEXPIREAT', 'hash:hfe_all', '4102444809999'],
    ]);
  });

  it('Empty stream: created with XADD MAXLEN 0 0-1 x y, then XSETID and its group', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--format', 'resp', '--match', 'stream:mkstream']);
    const commands = parseResp(run.stdoutBytes).map((c) => c.map((a) => a.toString('latin1')));
    expect(commands).toEqual([
      ['SELECT', '0'],
      ['XADD', 'stream:mkstream', 'MAXLEN', '0', '0-1', 'x', 'y'],
      ['XSETID', 'stream:mkstream', '0-0', 'ENTRIESADDED', '0', 'MAXDELETEDID', '0-0'],
      ['XGROUP', 'CREATE', 'stream:mkstream', 'grp', '0-0', 'ENTRIESREAD', '-1'],
    ]);
  });

  it('Zset scores: Redis 7.2 formatting (1e+300, 0.1, inf)', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--format', 'resp', '--match', 'zset:small_scores']);
    const [, zadd] = parseResp(run.stdoutBytes).map((c) => c.map((a) => a.toString('latin1')));
    const scores = new Map<string, string>();
    for (let i = 2; i < zadd!.length; i += 2) scores.set(zadd![i + 1]!, zadd![i]!);
    expect(Object.fromEntries(scores)).toMatchObject({
      'm0_-inf': '-inf',
      'm1_+inf': 'inf',
      'm8_1e300': '1e+300',
      'm10_0.1': '0.1',
      'm12_-1e-310': '-1e-310',
      'm13_9007199254740993': '9007199254740992',
    });
  });

  it('Module values: skipped with a warning on stderr, exit 0', async () => {
    const run = await runCli(['dump', corpusFile('5.0.14', 'rdb-module.rdb'), '--format', 'resp']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('rfx dump: warning: key "mod:rdb1" in db 0: module value of type test__rdb cannot be recreated with commands: key skipped');
    expect(run.stderr).toContain('2 of 21 selected keys skipped');
    const replay = replayCommands(parseResp(run.stdoutBytes));
    expect(replay.lines).toHaveLength(19);
  });

  it('Filters: no FUNCTION LOAD when keys are filtered', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--format', 'resp', '--db', '15']);
    const commands = parseResp(run.stdoutBytes).map((c) => c[0]!.toString());
    expect(commands).not.toContain('FUNCTION');
    expect(commands[0]).toBe('SELECT');
  });

  it('Binary arguments: lengths count bytes, not characters', () => {
    const out = new CaptureStream();
    const sink = new OutputSink(out);
    const encoder = new RespEncoder(sink, () => {});
    encoder.command(['SET', Buffer.from([0, 0xff, 0x0d, 0x0a]), 'héllo']);
    return sink.flush().then(() => {
      expect(out.bytes()).toEqual(Buffer.concat([Buffer.from('*3\r\n$3\r\nSET\r\n$4\r\n'), Buffer.from([0, 0xff, 0x0d, 0x0a]), Buffer.from('\r\n$6\r\nhéllo\r\n')]));
    });
  });

  it('Stream PEL entry owned by no consumer: warned about, not written', () => {
    const out = new CaptureStream();
    const warnings: string[] = [];
    const sink = new OutputSink(out);
    const encoder = new RespEncoder(sink, (w) => warnings.push(w));
    const id = { ms: 5n, seq: 0n };
    const ev: RdbKeyEvent = {
      type: 'key', offset: 0, end: 1, db: 0, key: Buffer.from('s'), rdbType: 21, encoding: 'stream-v3', redisType: 'stream',
      expireAt: null, lruIdle: null, lfuFreq: null,
      value: {
        kind: 'stream',
        entries: [{ id, fields: [Buffer.from('f'), Buffer.from('v')] }],
        meta: {
          length: 1, lastId: id, firstId: id, maxDeletedId: { ms: 0n, seq: 0n }, entriesAdded: 1,
          groups: [{ name: Buffer.from('g'), lastId: id, entriesRead: 1, pending: [{ id, deliveryTime: 9, deliveryCount: 2, consumer: null }], consumers: [] }],
        },
      },
    };
    expect(encoder.key(ev, true, true)).toBe(true);
    expect(warnings).toEqual(['key "s" in db 0: group "g": 1 pending entries owned by no consumer cannot be recreated (the rewrite drops them too)']);
    return sink.flush().then(() => {
      expect(parseResp(out.bytes()).map((c) => c[0]!.toString())).toEqual(['SELECT', 'XADD', 'XSETID', 'XGROUP']);
    });
  });
});
