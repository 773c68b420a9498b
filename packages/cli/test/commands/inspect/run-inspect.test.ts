import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runInspect } from '../../../src/commands/inspect/run-inspect.js';
import { corpusFile, expectedKeys } from '../../corpus.js';
import { runCli, TEST_NOW } from '../../run-cli.js';

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

describe('rfx inspect', () => {
  it.each([
    ['7.4.1', 'rdb-full'],
    ['2.4.18', 'rdb-full'],
    ['5.0.14', 'rdb-module'],
    ['valkey-8.0.1', 'rdb-full'],
  ])('Corpus %s/%s: per-db counts by type and TTLs equal the server view', async (version, name) => {
    const report = await runInspect({ file: corpusFile(version, `${name}.rdb`), now: TEST_NOW });
    const expected = [...expectedKeys(version, name).values()];
    const dbs = [...new Set(expected.map((k) => k.db))].sort((a, b) => a - b);
    expect(report.databases.map((d) => d.db)).toEqual(dbs);
    for (const db of report.databases) {
      const inDb = expected.filter((k) => k.db === db.db);
      expect(db.keys).toBe(inDb.length);
      expect(db.expires).toBe(inDb.filter((k) => k.expireAt !== null).length);
      expect(Object.fromEntries(Object.entries(db.byType).map(([t, v]) => [t, v.keys]))).toEqual(countBy(inDb, (k) => k.type));
      // Serialized bytes are positive and add up per db.
      expect(Object.values(db.byType).reduce((s, t) => s + t.bytes, 0)).toBe(db.bytes);
      expect(Object.values(db.byEncoding).reduce((s, t) => s + t.keys, 0)).toBe(db.keys);
    }
    expect(report.totals.keys).toBe(expected.length);
  });

  it('7.4.1 rdb-full: format, AUX, functions, checksum and the biggest keys', async () => {
    const report = await runInspect({ file: corpusFile('7.4.1', 'rdb-full.rdb'), now: TEST_NOW });
    expect(report).toMatchObject({
      magic: 'REDIS',
      version: 12,
      serverVersion: '7.4.1',
      createdAt: '2026-11-21T07:41:56.000Z',
      usedMemBytes: 2950880,
      checksum: { status: 'match', stored: 'ad56211b29336201', computed: 'ad56211b29336201' },
      trailingBytes: 0,
      modules: [],
    });
    expect(Object.keys(report.aux)).toEqual(['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'aof-base']);
    expect(report.functions.map((f) => [f.libraryName, f.engine])).toEqual([
      ['corpuslib2', 'lua'],
      ['corpuslib', 'lua'],
    ]);
    expect(report.biggestBySize).toHaveLength(10);
    expect(Buffer.from(report.biggestBySize[0]!.key).toString()).toBe('list:huge_elems');
    const sizes = report.biggestBySize.map((k) => k.bytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    // Element counts are the server's: list/set/zset/hash lengths, stream XLEN.
    const expected = expectedKeys('7.4.1', 'rdb-full');
    for (const k of report.biggestByElements) {
      const exp = expected.get(`${k.db}:${Buffer.from(k.key).toString('hex')}`)!;
      expect(k.elements, Buffer.from(k.key).toString()).toBe((exp.value as unknown[]).length);
    }
  });

  it('Keys in parts: serialized size is the sum of the parts', async () => {
    const whole = await runInspect({ file: corpusFile('7.4.1', 'rdb-full.rdb'), now: TEST_NOW });
    const parts = await runInspect({ file: corpusFile('7.4.1', 'rdb-full.rdb'), now: TEST_NOW, partBytes: 128 });
    expect(parts).toEqual(whole);
  });

  it('Module file: module types with their keys and MODULE_AUX records', async () => {
    const report = await runInspect({ file: corpusFile('5.0.14', 'rdb-module.rdb'), now: TEST_NOW });
    expect(report.modules).toEqual([{ name: 'test__rdb', versions: [1], keys: 2, auxRecords: 2 }]);
  });

  it('Text report: sections, tables, no colour when not a TTY', async () => {
    const run = await runCli(['inspect', corpusFile('7.4.1', 'rdb-lfu.rdb')]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.replace(corpusFile('7.4.1', 'rdb-lfu.rdb'), '<file>')).toMatchInlineSnapshot(`
      "File       <file>
      Size       2,150 bytes (2.1 KiB)
      Format     RDB version 12, written by Redis 7.4.1
      Checksum   match (CRC64 503da90669e77721)

      AUX fields
      ┌────────────┬───────────────────────────────────────┐
      │ field      │ value                                 │
      ├────────────┼───────────────────────────────────────┤
      │ redis-ver  │ 7.4.1                                 │
      │ redis-bits │ 64                                    │
      │ ctime      │ 2026-11-21T07:41:56.000Z (1795246916) │
      │ used-mem   │ 1.3 MiB (1,329,568 bytes)             │
      │ aof-base   │ 0                                     │
      └────────────┴───────────────────────────────────────┘

      Keyspace
        19 keys, 1 with a TTL, 0 already expired, 2.0 KiB serialized in 2 databases (expired as of 2027-01-15T08:00:00.000Z)

      db 0: 18 keys, 1 with a TTL, 0 already expired, 2.0 KiB serialized (RESIZEDB: 18 keys, 1 expire)
      ┌────────┬──────┬─────────┬───────┐
      │ type   │ keys │   bytes │ share │
      ├────────┼──────┼─────────┼───────┤
      │ list   │    2 │ 1.3 KiB │ 64.0% │
      │ string │   11 │   539 B │ 26.5% │
      │ stream │    1 │    69 B │  3.4% │
      │ set    │    2 │    65 B │  3.2% │
      │ zset   │    1 │    31 B │  1.5% │
      │ hash   │    1 │    29 B │  1.4% │
      └────────┴──────┴─────────┴───────┘
      ┌───────────────┬──────┬─────────┬───────┐
      │ encoding      │ keys │   bytes │ share │
      ├───────────────┼──────┼─────────┼───────┤
      │ quicklist-v2  │    2 │ 1.3 KiB │ 64.0% │
      │ string        │   11 │   539 B │ 26.5% │
      │ stream-v3     │    1 │    69 B │  3.4% │
      │ set-intset    │    1 │    38 B │  1.9% │
      │ zset-listpack │    1 │    31 B │  1.5% │
      │ hash-listpack │    1 │    29 B │  1.4% │
      │ set-listpack  │    1 │    27 B │  1.3% │
      └───────────────┴──────┴─────────┴───────┘

      db 3: 1 key, 0 with a TTL, 0 already expired, 17 B serialized (RESIZEDB: 1 key, 0 expires)
      ┌────────┬──────┬───────┬────────┐
      │ type   │ keys │ bytes │  share │
      ├────────┼──────┼───────┼────────┤
      │ string │    1 │  17 B │ 100.0% │
      └────────┴──────┴───────┴────────┘
      ┌──────────┬──────┬───────┬────────┐
      │ encoding │ keys │ bytes │  share │
      ├──────────┼──────┼───────┼────────┤
      │ string   │    1 │  17 B │ 100.0% │
      └──────────┴──────┴───────┴────────┘

      all dbs: serialized bytes per type
      ┌────────┬──────┬─────────┬───────┐
      │ type   │ keys │   bytes │ share │
      ├────────┼──────┼─────────┼───────┤
      │ list   │    2 │ 1.3 KiB │ 63.5% │
      │ string │   12 │   556 B │ 27.1% │
      │ stream │    1 │    69 B │  3.4% │
      │ set    │    2 │    65 B │  3.2% │
      │ zset   │    1 │    31 B │  1.5% │
      │ hash   │    1 │    29 B │  1.4% │
      └────────┴──────┴─────────┴───────┘

      Biggest keys by serialized size
      ┌────┬────┬─────────────┬────────┬──────────────┬─────────┬──────────┐
      │  # │ db │ key         │ type   │ encoding     │   bytes │ elements │
      ├────┼────┼─────────────┼────────┼──────────────┼─────────┼──────────┤
      │  1 │  0 │ "s:biglist" │ list   │ quicklist-v2 │ 1.2 KiB │      300 │
      │  2 │  0 │ "s:long"    │ string │ string       │   268 B │        - │
      │  3 │  0 │ "s:stream"  │ stream │ stream-v3    │    69 B │        1 │
      │  4 │  0 │ "s:list"    │ list   │ quicklist-v2 │    60 B │       20 │
      │  5 │  0 │ "s:set"     │ set    │ set-intset   │    38 B │       10 │
      │  6 │  0 │ "s:str7"    │ string │ string       │    32 B │        - │
      │  7 │  0 │ "s:str6"    │ string │ string       │    32 B │        - │
      │  8 │  0 │ "s:str4"    │ string │ string       │    31 B │        - │
      │  9 │  0 │ "s:str5"    │ string │ string       │    31 B │        - │
      │ 10 │  0 │ "s:str1"    │ string │ string       │    31 B │        - │
      └────┴────┴─────────────┴────────┴──────────────┴─────────┴──────────┘

      Biggest keys by element count
      ┌───┬────┬─────────────┬────────┬───────────────┬─────────┬──────────┐
      │ # │ db │ key         │ type   │ encoding      │   bytes │ elements │
      ├───┼────┼─────────────┼────────┼───────────────┼─────────┼──────────┤
      │ 1 │  0 │ "s:biglist" │ list   │ quicklist-v2  │ 1.2 KiB │      300 │
      │ 2 │  0 │ "s:list"    │ list   │ quicklist-v2  │    60 B │       20 │
      │ 3 │  0 │ "s:set"     │ set    │ set-intset    │    38 B │       10 │
      │ 4 │  0 │ "s:sset"    │ set    │ set-listpack  │    27 B │        3 │
      │ 5 │  0 │ "s:zset"    │ zset   │ zset-listpack │    31 B │        2 │
      │ 6 │  0 │ "s:hash"    │ hash   │ hash-listpack │    29 B │        2 │
      │ 7 │  0 │ "s:stream"  │ stream │ stream-v3     │    69 B │        1 │
      └───┴────┴─────────────┴────────┴───────────────┴─────────┴──────────┘

      Functions
        none

      Modules
        none
      "
    `);
  });

  it('Colour: escape codes on a TTY, none with NO_COLOR set', async () => {
    const file = corpusFile('7.4.1', 'rdb-lfu.rdb');
    const tty = await runCli(['inspect', file], { isTTY: true, colorLevel: 1 });
    expect(tty.stdout).toContain('\u001b[');
    const noColor = await runCli(['inspect', file], { isTTY: true, colorLevel: 1, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
    const pipe = await runCli(['inspect', file], { isTTY: false, colorLevel: 3 });
    expect(pipe.stdout).not.toContain('\u001b[');
  });

  it('--json: the same report as one JSON object, keys as text or {"b64"}', async () => {
    const run = await runCli(['inspect', corpusFile('7.4.1', 'rdb-full.rdb'), '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      version: 12,
      aux: { 'redis-ver': '7.4.1', ctime: '1795246916' },
      totals: { keys: 1111 },
      biggestBySize: expect.arrayContaining([expect.objectContaining({ key: 'hash:large', type: 'hash' })]) as unknown,
    });
  });

  it('Corrupt file: FormatError message on stderr, exit 65', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rfx-inspect-'));
    try {
      const bytes = await readFile(corpusFile('7.4.1', 'rdb-full.rdb'));
      bytes[bytes.length - 2]! ^= 0x10;
      const file = join(dir, 'bad.rdb');
      await writeFile(file, bytes);
      const run = await runCli(['inspect', file]);
      expect(run.exitCode).toBe(65);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^rfx: .*bad\.rdb: RDB_CHECKSUM_MISMATCH at offset 115821 \(0x1c46d\) while check-sum: stored CRC64 /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
