import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { corpusAof, removeScratch, scratchDir } from '../../aof-corpus.js';
import { corpusFile, expectedKeys } from '../../corpus.js';
import { runCli } from '../../run-cli.js';

import type { CanonicalKey } from '../../corpus.js';

/** RESP of some commands. */
function resp(...commands: string[][]): string {
  return commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join('');
}

const sameKey = (x: CanonicalKey, y: CanonicalKey): boolean => JSON.stringify({ ...x, expireApprox: false, stream: null }) === JSON.stringify({ ...y, expireApprox: false, stream: null });

describe('rfx diff', () => {
  afterAll(removeScratch);

  it('7.0.15 aof-flushall vs the same without its FLUSHALL (rfx undo-flushall): exit 1, the keys the flush deleted are added', async () => {
    const c = corpusAof('7.0.15', 'aof-flushall');
    const restored = join(scratchDir(), 'noflush.aofdir');
    expect((await runCli(['undo-flushall', c.path, '-o', restored])).exitCode).toBe(0);
    const run = await runCli(['diff', c.path, restored, '--json']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe('');
    const lines = run.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { db: number; key: string; change: string });
    // The oracles: what the server held with and without the FLUSHALL.
    const flushed = expectedKeys('7.0.15', 'aof-flushall');
    const noflush = expectedKeys('7.0.15', 'aof-flushall.noflush');
    const id = (db: number, key: string): string => `${db}:${Buffer.from(key, 'utf8').toString('hex')}`;
    const added = [...noflush.keys()].filter((k) => !flushed.has(k)).sort();
    expect(lines.filter((l) => l.change === 'added').map((l) => id(l.db, l.key)).sort()).toEqual(added);
    const changed = [...noflush.keys()].filter((k) => flushed.has(k) && !sameKey(flushed.get(k)!, noflush.get(k)!)).sort();
    expect(lines.filter((l) => l.change === 'changed').map((l) => id(l.db, l.key)).sort()).toEqual(changed);
    expect(lines.filter((l) => l.change === 'removed' || l.change === 'type')).toEqual([]);
    expect(added.length).toBeGreaterThan(10);

    const text = await runCli(['diff', c.path, restored]);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain(`│ added (only in b)   │ ${String(added.length).padStart(4)} │`);
    expect(text.stdout).toMatch(/\+ db 1 "s:db1key" \(string\)\n/);
    expect(text.stdout).toMatch(/different: \d+ keys of \d+ differ\n$/);
  });

  it('Identical datasets: exit 0 (a file with itself; an AOF and the RDB the server saved of it)', async () => {
    const c = corpusAof('7.0.15', 'aof-plain');
    const self = await runCli(['diff', c.path, c.path]);
    expect(self.exitCode).toBe(0);
    expect(self.stdout).toContain('equal: the same 106 keys and 2 function libraries, with the same values and TTLs\n');
    const json = await runCli(['diff', c.path, c.path, '--json']);
    expect(json).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('Type, value and TTL changes: the text lines and the JSON objects', async () => {
    const dir = scratchDir();
    const a = join(dir, 'a.aof');
    const b = join(dir, 'b.aof');
    writeFileSync(
      a,
      resp(['SET', 'k', 'v'], ['RPUSH', 'l', 'a', 'b', 'c'], ['SET', 't', 'x'], ['PEXPIREAT', 't', '4102444800000'], ['HSET', 'h', 'f', '1', 'g', '2'], ['SET', 'gone', '1'], ['SET', 'bin\xff', '\x00\x01']),
    );
    writeFileSync(b, resp(['SADD', 'k', 'v'], ['RPUSH', 'l', 'a', 'X', 'c'], ['SET', 't', 'x'], ['HSET', 'h', 'f', '1', 'g', '3', 'n', '4'], ['SET', 'new', '1'], ['SET', 'bin\xff', '\x00\x02']));
    const run = await runCli(['diff', a, b]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout.slice(run.stdout.indexOf('\n\n') + 2)).toMatchInlineSnapshot(`
      "┌─────────────────────┬──────┐
      │                     │ keys │
      ├─────────────────────┼──────┤
      │ in a                │    6 │
      │ in b                │    6 │
      │ added (only in b)   │    1 │
      │ removed (only in a) │    1 │
      │ type changed        │    1 │
      │ value changed       │    3 │
      │ TTL changed         │    1 │
      │ unchanged           │    0 │
      └─────────────────────┴──────┘

      ~ db 0 "bin\\xc3\\xbf": string, 1 difference
          ~ "\\x00\\x01" -> "\\x00\\x02" (first difference at byte 1)
      - db 0 "gone" (string)
      ~ db 0 "h": hash, 2 differences
          ~ field "g": "2" -> "3"
          + field "n": "4"
      ~ db 0 "k": type string -> set
      ~ db 0 "l": list, 1 difference
          ~ [1] "b" -> "X"
      + db 0 "new" (string)
      ~ db 0 "t": TTL 2100-01-01T00:00:00.000Z -> none

      different: 7 keys of 7 differ
      "
    `);
    const json = await runCli(['diff', a, b, '--json', '--max-elements', '1']);
    expect(json.exitCode).toBe(1);
    expect(json.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown)).toEqual([
      { db: 0, key: 'binÿ', change: 'changed', type: 'string', expireAt: [null, null], valueChanged: true, ttlChanged: false, differences: 1, elements: [{ op: '~', a: '\x00\x01', b: '\x00\x02' }] },
      { db: 0, key: 'gone', change: 'removed', type: 'string', expireAt: null },
      { db: 0, key: 'h', change: 'changed', type: 'hash', expireAt: [null, null], valueChanged: true, ttlChanged: false, differences: 2, elements: [{ op: '~', field: 'g', a: '2', b: '3' }] },
      { db: 0, key: 'k', change: 'type', type: ['string', 'set'], expireAt: [null, null] },
      { db: 0, key: 'l', change: 'changed', type: 'list', expireAt: [null, null], valueChanged: true, ttlChanged: false, differences: 1, elements: [{ op: '~', index: 1, a: 'b', b: 'X' }] },
      { db: 0, key: 'new', change: 'added', type: 'string', expireAt: null },
      { db: 0, key: 't', change: 'changed', type: 'string', expireAt: [4102444800000, null], valueChanged: false, ttlChanged: true, differences: 0, elements: [] },
    ]);
  });

  it('Points in time per side: an AOF against itself earlier', async () => {
    const c = corpusAof('7.4.1', 'aof-timestamp');
    const same = await runCli(['diff', c.path, c.path, '--a-until-index', '500', '--b-until-index', '500']);
    expect(same.exitCode).toBe(0);
    const later = await runCli(['diff', c.path, c.path, '--a-until-timestamp', '2026-11-21T07:42:05Z']);
    expect(later.exitCode).toBe(1);
    expect(later.stdout).toContain('stopped at the first #TS annotation after 2026-11-21T07:42:05Z');
  });

  it('Bad input: a point on an RDB side (64), a missing file (66), a corrupt file (65)', async () => {
    const rdb = corpusFile('7.4.1', 'rdb-full.rdb');
    const point = await runCli(['diff', rdb, rdb, '--a-until-index', '3']);
    expect(point.exitCode).toBe(64);
    expect(point.stderr).toContain(`--a-until-index, --a-until-offset and --a-until-timestamp replay an AOF; ${rdb} is an RDB file`);
    expect((await runCli(['diff', rdb, join(scratchDir(), 'missing.rdb')])).exitCode).toBe(66);
    const bad = join(scratchDir(), 'bad.rdb');
    const bytes = Buffer.from(await import('node:fs').then((fs) => fs.readFileSync(rdb)));
    bytes[bytes.length - 4]! ^= 1;
    writeFileSync(bad, bytes);
    const corrupt = await runCli(['diff', rdb, bad]);
    expect(corrupt.exitCode).toBe(65);
    expect(corrupt.stderr).toContain('RDB_CHECKSUM_MISMATCH');
  });
});
