import { Buffer } from 'node:buffer';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FormatError } from '@redis-forensics/core';

import { runDump } from '../../../src/commands/dump/run-dump.js';
import { stringMatchLen } from '../../../src/glob.js';
import {
  canonicalFromDump,
  corpusFile,
  corpusRdbCases,
  expectedKeys,
  streamDetailOf,
} from '../../corpus.js';
import { runCli } from '../../run-cli.js';

import type { CanonicalKey, DumpLine } from '../../corpus.js';

function parseLines(stdout: string): DumpLine[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as DumpLine);
}

/** Compare two canonical keys, allowing TTL slack where the oracle derived it from PTTL. */
function expectSameKey(actual: CanonicalKey, expected: CanonicalKey): void {
  const where = `db ${expected.db} key ${Buffer.from(expected.key, 'hex').toString('latin1')}`;
  if (expected.expireApprox && actual.expireAt !== null && expected.expireAt !== null) {
    expect(Math.abs(actual.expireAt - expected.expireAt), `${where}: TTL`).toBeLessThanOrEqual(60_000);
    actual = { ...actual, expireAt: expected.expireAt };
  }
  expect({ ...actual, expireApprox: expected.expireApprox, stream: expected.stream === null ? null : actual.stream }, where).toEqual(expected);
}

describe('rfx dump (JSONL)', () => {
  it.each(corpusRdbCases())('Corpus %s/%s: every key equals the server view', async (version, name) => {
    const run = await runCli(['dump', corpusFile(version, `${name}.rdb`)]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    const expected = expectedKeys(version, name);
    const lines = parseLines(run.stdout);
    expect(lines).toHaveLength(expected.size);
    for (const line of lines) {
      const actual = canonicalFromDump(line, streamDetailOf(version));
      const exp = expected.get(`${actual.db}:${actual.key}`);
      expect(exp, `key ${JSON.stringify(line.key)} in db ${line.db} is in the oracle`).toBeDefined();
      expectSameKey(actual, exp!);
    }
  });

  it('Keys split into parts: output is byte-identical to whole keys', async () => {
    const file = corpusFile('7.4.1', 'rdb-full.rdb');
    const whole = await runCli(['dump', file]);
    const parts = await runCli(['dump', file, '--part-bytes', '256']);
    expect(parts.exitCode).toBe(0);
    expect(parts.stdout).toBe(whole.stdout);
  });

  it('Line shape: db, key, type, encoding, expireAt, value in that order', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--db', '15']);
    expect(run.stdout.split('\n').filter((l) => l.includes('"hash:db15"'))).toEqual([
      '{"db":15,"key":"hash:db15","type":"hash","encoding":"hash-listpack","expireAt":null,"value":[["f","v"]]}',
    ]);
  });

  it('Binary key and values: non-UTF-8 bytes become {"b64"}', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--match', 'key\\x00*', '--db', '0']);
    // `\x` in a glob is the byte x itself, so `key\x00*` means "key" + "x00"...: no binary key.
    expect(run.stdout).toBe('');
    const all = parseLines((await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--match', 'key?with*'])).stdout);
    expect(all).toHaveLength(1);
    expect(all[0]!.key).toEqual({ b64: Buffer.from('key\0with\xffbinary\r\nname', 'latin1').toString('base64') });
    const binary = parseLines((await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--match', 'str:binary'])).stdout);
    expect(binary[0]!.value).toEqual({ b64: Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('base64') });
  });

  it('Hash field TTLs: fields with a TTL carry expireAtMs as a third element', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--match', 'hash:hfe_all']);
    const [line] = parseLines(run.stdout);
    expect(line!.expireAt).toBe(4102444809999);
    expect(line!.value).toEqual(expect.arrayContaining([['x', '1', 4102444803333], ['y', '2', 4102444803333]]));
  });

  it('Zset scores: infinities are "inf"/"-inf", other scores JSON numbers', async () => {
    const run = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb'), '--match', 'zset:small_scores']);
    const value = parseLines(run.stdout)[0]!.value as [string, number | string][];
    expect(value).toContainEqual(['m0_-inf', '-inf']);
    expect(value).toContainEqual(['m1_+inf', 'inf']);
    expect(value).toContainEqual(['m7_1e-300', 1e-300]);
  });

  it('Module values: written as {"module": name, "version": n}', async () => {
    const run = await runCli(['dump', corpusFile('5.0.14', 'rdb-module.rdb'), '--type', 'module']);
    expect(run.exitCode).toBe(0);
    const lines = parseLines(run.stdout);
    expect(lines.map((l) => [l.key, l.type, l.value])).toEqual(
      expect.arrayContaining([
        ['mod:rdb1', 'module', { module: 'test__rdb', version: 1 }],
        ['mod:rdb2', 'module', { module: 'test__rdb', version: 1 }],
      ]),
    );
  });
});

describe('rfx dump filters', () => {
  const file = corpusFile('7.4.1', 'rdb-full.rdb');
  const all = [...expectedKeys('7.4.1', 'rdb-full').values()];
  const keysOf = (lines: DumpLine[]): string[] => lines.map((l) => `${l.db}:${canonicalFromDump(l).key}`).sort();
  const expectedOf = (pred: (k: CanonicalKey) => boolean): string[] =>
    all.filter(pred).map((k) => `${k.db}:${k.key}`).sort();

  it('--db repeated: only keys of those databases', async () => {
    const run = await runCli(['dump', file, '--db', '0', '--db', '15']);
    expect(keysOf(parseLines(run.stdout))).toEqual(expectedOf((k) => k.db === 0 || k.db === 15));
  });

  it('--type repeated: only keys of those types', async () => {
    const run = await runCli(['dump', file, '--type', 'zset', '--type', 'stream']);
    expect(keysOf(parseLines(run.stdout))).toEqual(expectedOf((k) => k.type === 'zset' || k.type === 'stream'));
  });

  it('--match: Redis glob on the key bytes, same keys as the matcher over the oracle', async () => {
    for (const glob of ['bulk:00[0-4]?[^13]', 'str:*', '*:db1?', 'h?sh:*', '[a-l]*:s*']) {
      const run = await runCli(['dump', file, '--match', glob]);
      const pattern = Buffer.from(glob);
      expect(keysOf(parseLines(run.stdout)), glob).toEqual(expectedOf((k) => stringMatchLen(pattern, Buffer.from(k.key, 'hex'))));
    }
  });

  it('All filters together: intersection', async () => {
    const run = await runCli(['dump', file, '--db', '1', '--type', 'string', '--match', 'bulk:000*']);
    const lines = parseLines(run.stdout);
    expect(lines.length).toBeGreaterThan(0);
    expect(keysOf(lines)).toEqual(
      expectedOf((k) => k.db === 1 && k.type === 'string' && Buffer.from(k.key, 'hex').toString().startsWith('bulk:000')),
    );
  });

  it('Bad --db value: usage error, exit 64', async () => {
    const run = await runCli(['dump', file, '--db', 'x']);
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toContain('--db needs a database number');
    expect(run.stdout).toBe('');
  });
});

describe('rfx dump streaming', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rfx-dump-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('Slow reader: waits for drain and writes everything, in chunks', async () => {
    const chunks: Buffer[] = [];
    let drains = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, cb) {
        chunks.push(chunk);
        setImmediate(cb);
      },
    });
    slow.on('drain', () => drains++);
    const report = await runDump({ file: corpusFile('7.4.1', 'rdb-full.rdb'), partBytes: 1024 }, slow);
    const whole = await runCli(['dump', corpusFile('7.4.1', 'rdb-full.rdb')]);
    expect(Buffer.concat(chunks).toString()).toBe(whole.stdout);
    expect(report).toMatchObject({ keysRead: 1111, keysWritten: 1111, keysSkipped: 0 });
    expect(drains).toBeGreaterThan(0);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(256 * 1024);
  });

  it('Reader gone (EPIPE): the dump stops with the stream error', async () => {
    const broken = new Writable({
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    await expect(runDump({ file: corpusFile('7.4.1', 'rdb-full.rdb') }, broken)).rejects.toMatchObject({ code: 'EPIPE' });
  });

  it('Truncated file: complete lines only, then exit 65 with the FormatError message', async () => {
    const bytes = await readFile(corpusFile('7.4.1', 'rdb-full.rdb'));
    const file = join(dir, 'truncated.rdb');
    await writeFile(file, bytes.subarray(0, 50_000));
    const run = await runCli(['dump', file, '--part-bytes', '512']);
    expect(run.exitCode).toBe(65);
    expect(run.stderr).toMatch(/^rfx: .*truncated\.rdb: RDB_UNEXPECTED_EOF at offset 50000 \(0xc350\) while read-object-value, key "hash:large": /);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const lines = run.stdout.split('\n');
    expect(lines.pop()).toBe('');
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(lines.some((l) => l.includes('"hash:large"'))).toBe(false);
    await expect(runDump({ file }, new Writable({ write: (_c, _e, cb) => cb() }))).rejects.toBeInstanceOf(FormatError);
  });
});
