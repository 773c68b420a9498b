import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { compileGlob } from '../../../src/glob.js';
import { corpusAof, scanAof } from '../../aof-corpus.js';
import { runCli } from '../../run-cli.js';

import type { ScannedCommand } from '../../aof-corpus.js';

interface LogLine {
  index: number;
  file: string;
  offset: number;
  length: number;
  time: string | null;
  timestamp: number | null;
  db: number;
  command: string;
  key: string | { b64: string } | null;
  inMulti: boolean;
  argv: (string | { b64: string })[];
}

async function logJson(args: string[]): Promise<LogLine[]> {
  const run = await runCli(['log', ...args, '--json']);
  expect(run.exitCode).toBe(0);
  return run.stdout === '' ? [] : run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as LogLine);
}

const ids = (x: { index: number }[]): number[] => x.map((c) => c.index);
const name = (s: ScannedCommand): string => s.argv[0]!.toString('latin1').toUpperCase();

describe('rfx log', () => {
  const ts = corpusAof('7.4.1', 'aof-timestamp');
  const all = scanAof(ts.path);

  it('No filter: every command, with index, file, offset, length, time, db and argv as the scan finds them', async () => {
    const lines = await logJson([ts.path]);
    expect(lines.map((l) => [l.index, l.file, l.offset, l.length, l.timestamp, l.db, l.command])).toEqual(
      all.map((s) => [s.index, s.file, s.offset, s.end - s.offset, s.time, s.db, name(s)]),
    );
    const set = lines.find((l) => l.command === 'SET')!;
    expect(set.key).toBe(set.argv[1]);
    expect(set.time).toBe(new Date(set.timestamp! * 1000).toISOString().replace('.000Z', 'Z'));
  });

  it('--command: repeatable and case-insensitive', async () => {
    const lines = await logJson([ts.path, '--command', 'multi', '--command', 'Exec']);
    expect(ids(lines)).toEqual(ids(all.filter((s) => ['MULTI', 'EXEC'].includes(name(s)))));
    expect(lines.length).toBeGreaterThan(0);
  });

  it.each(['tx:*', 'list:*', 'set:int*', 'stream:main'])('--match %s: commands with a key matching the glob', async (glob) => {
    const match = compileGlob(glob);
    // In this file no value argument looks like these keys, so "some argument matches" is the oracle.
    const expected = all.filter((s) => s.argv.slice(1).some((a) => match(a)));
    const lines = await logJson([ts.path, '--match', glob]);
    expect(ids(lines)).toEqual(ids(expected));
    expect(lines.length).toBeGreaterThan(0);
  });

  it('--db: only commands running in that db', async () => {
    for (const db of [0, 1, 15]) {
      const lines = await logJson([ts.path, '--db', String(db)]);
      expect(ids(lines)).toEqual(ids(all.filter((s) => s.db === db)));
    }
  });

  it('--since / --until: by #TS time, Unix seconds or ISO, inclusive', async () => {
    const t = 1795246926;
    expect(ids(await logJson([ts.path, '--since', String(t)]))).toEqual(ids(all.filter((s) => s.time !== null && s.time >= t)));
    expect(ids(await logJson([ts.path, '--until', '2026-11-21T07:42:06Z']))).toEqual(ids(all.filter((s) => s.time !== null && s.time <= t)));
    const between = await logJson([ts.path, '--since', String(t), '--until', String(t)]);
    expect(ids(between)).toEqual(ids(all.filter((s) => s.time === t)));
    expect(between.length).toBeGreaterThan(0);
  });

  it('Time filter on an AOF without #TS: commands without a time never match', async () => {
    const plain = corpusAof('7.4.1', 'aof-plain').path;
    expect(await logJson([plain, '--since', '0'])).toEqual([]);
    expect((await logJson([plain])).length).toBe(scanAof(plain).length);
  });

  it('--limit: stops after N commands; filters combine with AND', async () => {
    expect(ids(await logJson([ts.path, '--limit', '3']))).toEqual([0, 1, 2]);
    const expected = all.filter((s) => name(s) === 'SET' && s.db === 0).slice(0, 5);
    expect(ids(await logJson([ts.path, '--command', 'set', '--db', '0', '--limit', '5']))).toEqual(ids(expected));
  });

  it('Table: a cli-table3 table, the count after it', async () => {
    const run = await runCli(['log', ts.path, '--command', 'select']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatchInlineSnapshot(`
      "┌───────┬───────────────────────────┬────────┬──────────────────────┬─────┬──────────────────┬──────────────────────┐
      │     # │ file                      │ offset │ time (UTC)           │  db │ command          │ key                  │
      ├───────┼───────────────────────────┼────────┼──────────────────────┼─────┼──────────────────┼──────────────────────┤
      │     2 │ appendonly.aof.2.base.aof │    573 │ 2026-11-21T07:42:05Z │   0 │ SELECT           │                      │
      │  1253 │ appendonly.aof.2.base.aof │ 248052 │ 2026-11-21T07:42:05Z │   1 │ SELECT           │                      │
      │  1256 │ appendonly.aof.2.base.aof │ 248188 │ 2026-11-21T07:42:05Z │  15 │ SELECT           │                      │
      │  1262 │ appendonly.aof.2.incr.aof │     16 │ 2026-11-21T07:42:06Z │   0 │ SELECT           │                      │
      │  1301 │ appendonly.aof.2.incr.aof │   2183 │ 2026-11-21T07:42:06Z │   1 │ SELECT           │                      │
      │  1303 │ appendonly.aof.2.incr.aof │   2258 │ 2026-11-21T07:42:07Z │   0 │ SELECT           │                      │
      └───────┴───────────────────────────┴────────┴──────────────────────┴─────┴──────────────────┴──────────────────────┘
      6 commands shown of 1,305
      "
    `);
  });

  it('Table in pages: header once, every row, one bottom border', async () => {
    const run = await runCli(['log', ts.path]);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('┌'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('└'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('│')).length).toBe(all.length + 1);
    expect(lines.at(-1)).toBe(`${all.length.toLocaleString('en-US')} commands shown of ${all.length.toLocaleString('en-US')}`);
    // Fixed widths: every line of the table is as wide as the header.
    const width = lines[0]!.length;
    expect(lines.slice(0, -1).every((l) => l.length === width)).toBe(true);
  });

  it('Streaming: the output is written in chunks as the log is read', async () => {
    const { main } = await import('../../../src/main.js');
    let writes = 0;
    const stdout = new Writable({
      write(_chunk, _enc, cb) {
        writes++;
        cb();
      },
    });
    const code = await main(['log', ts.path, '--json'], { stdout, stderr: new Writable({ write: (_c, _e, cb) => cb() }), isTTY: false, colorLevel: 0, env: {} });
    expect(code).toBe(0);
    expect(writes).toBeGreaterThan(1);
  });

  it('Truncated AOF: lists what is there, warns on stderr where Redis stops loading', async () => {
    const run = await runCli(['log', corpusAof('7.4.1', 'aof-truncated').path, '--json']);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('appendonly.aof.1.incr.aof is truncated (AOF_UNEXPECTED_EOF): Redis loads it only up to offset 25079 of 25148');
  });

  it('Bad filter values: exit 64', async () => {
    expect((await runCli(['log', ts.path, '--since', 'yesterday'])).exitCode).toBe(64);
    expect((await runCli(['log', ts.path, '--db', '-1'])).exitCode).toBe(64);
    expect((await runCli(['log', ts.path, '--limit', '1.5'])).exitCode).toBe(64);
  });
});
