import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runInspectAof } from '../../../src/commands/inspect/run-inspect-aof.js';
import { detectInputKind } from '../../../src/input-kind.js';
import { copyAof, corpusAof, corpusAofCases, removeScratch, scanAof } from '../../aof-corpus.js';
import { corpusFile } from '../../corpus.js';
import { runCli, TEST_NOW } from '../../run-cli.js';

import type { AofInspectReport } from '../../../src/commands/inspect/run-inspect-aof.js';

/** Corpus AOFs without an RDB part and with a complete tail: the independent scan reads them whole. */
const respCases = corpusAofCases().filter((c) => (c.name === 'aof-plain' || c.name === 'aof-flushall' || c.name === 'aof-timestamp') && !c.path.includes('valkey'));

describe('rfx inspect on AOFs', () => {
  afterAll(removeScratch);

  it.each(respCases.map((c) => [`${c.version}/${c.name}`, c] as const))('%s: commands by name and db, MULTI blocks and flushes as an independent scan counts them', async (_l, c) => {
    const scanned = scanAof(c.path);
    const report = await runInspectAof({ path: c.path, now: TEST_NOW });
    expect(report.status).toBe('complete');
    expect(report.commands.total).toBe(scanned.length);
    const byName: Record<string, number> = {};
    const byDb: Record<string, number> = {};
    for (const s of scanned) {
      const n = s.argv[0]!.toString('latin1').toUpperCase();
      byName[n] = (byName[n] ?? 0) + 1;
      byDb[String(s.db)] = (byDb[String(s.db)] ?? 0) + 1;
    }
    expect(report.commands.byName).toEqual(byName);
    expect(report.commands.byDb).toEqual(byDb);
    expect(report.multi.blocks).toBe(byName['MULTI'] ?? 0);
    const flushes = scanned.filter((s) => /^flush(all|db)$/i.test(s.argv[0]!.toString('latin1')));
    expect(report.flushes.listed.map((f) => [f.offset, f.length])).toEqual(flushes.map((f) => [f.offset, f.end - f.offset]));
    if (c.name === 'aof-flushall') {
      expect(report.flushes.listed.map((f) => ({ offset: f.offset, length: f.length }))).toEqual(c.meta.flushall_at!.map((f) => ({ offset: f.offset, length: f.length })));
    }
  });

  it('7.4.1 aof-timestamp: time range and per-minute histogram from #TS', async () => {
    const c = corpusAof('7.4.1', 'aof-timestamp');
    const scanned = scanAof(c.path);
    const report = await runInspectAof({ path: c.path, now: TEST_NOW });
    const times = scanned.map((s) => s.time).filter((t): t is number => t !== null);
    expect(report.time).toMatchObject({
      annotations: 3,
      firstTimestamp: 1795246925,
      lastTimestamp: 1795246927,
      first: '2026-11-21T07:42:05Z',
      commandsWithTime: times.length,
      commandsWithoutTime: scanned.length - times.length,
    });
    const perMinute = new Map<string, number>();
    for (const t of times) {
      const m = new Date(Math.floor(t / 60) * 60_000).toISOString().replace('.000Z', 'Z');
      perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
    }
    expect(report.time.perMinute).toEqual([...perMinute]);
  });

  it('Layout: multi-part files with type, seq, size and format; an RDB base is summarised as an RDB', async () => {
    const c = corpusAof('7.4.1', 'aof-preamble');
    const report = await runInspectAof({ path: c.path, now: TEST_NOW });
    expect(report.layout).toBe('multi-part');
    expect(report.files.map((f) => [f.file, f.type, f.seq, f.size, f.format, f.status])).toEqual([
      ['appendonly.aof.2.base.rdb', 'base', 2, 88522, 'rdb', 'complete'],
      ['appendonly.aof.2.incr.aof', 'incr', 2, 2226, 'resp', 'complete'],
    ]);
    expect(report.rdb).toHaveLength(1);
    expect(report.rdb[0]).toMatchObject({ file: 'appendonly.aof.2.base.rdb', bytes: 88522, complete: true });
    expect(report.rdb[0]!.report).toMatchObject({ version: 12, serverVersion: '7.4.1', checksum: { status: 'match' } });
    expect(report.rdb[0]!.report.totals.keys).toBeGreaterThan(100);
  });

  it('Single file with an RDB preamble (6.2.16): format preamble, the RDB part and the RESP tail', async () => {
    const c = corpusAof('6.2.16', 'aof-preamble');
    expect(await detectInputKind(c.path)).toBe('aof');
    const run = await runCli(['inspect', c.path, '--json']);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as AofInspectReport;
    expect(report.format).toBe('preamble');
    expect(report.files[0]!.format).toBe('rdb-preamble');
    expect(report.rdb[0]!.report.aux).toMatchObject({ 'aof-preamble': '1', 'redis-ver': '6.2.16' });
    expect(report.rdb[0]!.bytes).toBeLessThan(report.size);
    expect(report.commands.total).toBeGreaterThan(0);
  });

  it('Detection: an RDB image followed by RESP (no aof-preamble AUX, not named .aof) is an AOF', async () => {
    const file = join(copyAof(corpusFile('7.4.1', 'rdb-lfu.rdb'), 'x.rdb'));
    const rdb = readFileSync(file);
    writeFileSync(file, Buffer.concat([rdb, Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n')]));
    expect(await detectInputKind(file)).toBe('rdb'); // by its head; the RESP tail decides
    const run = await runCli(['inspect', file, '--json']);
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as AofInspectReport;
    expect(report.kind).toBe('aof');
    expect(report.rdb[0]!.bytes).toBe(rdb.length);
    expect(report.commands.byName).toEqual({ SET: 1 });
    const check = await runCli(['check', file]);
    expect(check.exitCode).toBe(0);
    expect(check.stdout).toContain(`AOF analyzed: size=${rdb.length + 27}, ok_up_to=${rdb.length + 27}`);
  });

  it('Detection: RDB files stay RDB files; dirs, manifests and RESP files are AOFs', async () => {
    expect(await detectInputKind(corpusFile('7.4.1', 'rdb-full.rdb'))).toBe('rdb');
    expect(await detectInputKind(corpusAof('7.4.1', 'aof-plain').path)).toBe('aof');
    expect(await detectInputKind(join(corpusAof('7.4.1', 'aof-plain').path, 'appendonly.aof.manifest'))).toBe('aof');
    expect(await detectInputKind(join(corpusAof('7.4.1', 'aof-preamble').path, 'appendonly.aof.2.base.rdb'))).toBe('aof');
    expect(await detectInputKind(corpusAof('2.4.18', 'aof-plain').path)).toBe('aof');
  });

  it('Distinct keys: exact on a small log, "more than" past the limit', async () => {
    const file = copyAof(corpusAof('6.2.16', 'aof-flushall').path);
    writeFileSync(
      file,
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n' +
        '*3\r\n$6\r\nRENAME\r\n$1\r\na\r\n$1\r\nb\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n',
    );
    const exact = await runInspectAof({ path: file, now: TEST_NOW });
    expect(exact.keys).toEqual({ distinct: 3, exact: true, limit: 1_000_000 }); // 0:a, 0:b, 1:a
    const capped = await runInspectAof({ path: file, now: TEST_NOW, distinctKeysLimit: 2 });
    expect(capped.keys).toEqual({ distinct: 2, exact: false, limit: 2 });
    const run = await runCli(['inspect', file, '--distinct-keys-limit', '2']);
    expect(run.stdout).toContain('more than 2 distinct keys touched');
  });

  it('Text report: layout, files, commands, time, flushes and tail', async () => {
    const c = corpusAof('6.2.16', 'aof-flushall');
    const run = await runCli(['inspect', c.path]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.replaceAll(c.path, '<file>')).toMatchInlineSnapshot(`
      "File       <file>
      Format     single-file AOF (RESP commands only)
      Size       25,334 bytes (24.7 KiB)
      Commands   30
      Status     complete

      Files
      ┌──────────────────┬──────┬─────┬────────┬────────┬──────────┬──────────┬──────────┐
      │ file             │ type │ seq │  bytes │ format │ commands │ status   │ ok_up_to │
      ├──────────────────┼──────┼─────┼────────┼────────┼──────────┼──────────┼──────────┤
      │ aof-flushall.aof │ -    │   - │ 25,334 │ RESP   │       30 │ complete │   25,334 │
      └──────────────────┴──────┴─────┴────────┴────────┴──────────┴──────────┴──────────┘

      Commands
        30 commands in 3 dbs, 21 distinct keys touched
        MULTI/EXEC: 0 blocks, 0 commands inside
      ┌───────────┬───────┬───────┐
      │ command   │ count │ share │
      ├───────────┼───────┼───────┤
      │ SET       │    14 │ 46.7% │
      │ SELECT    │     4 │ 13.3% │
      │ RPUSH     │     3 │ 10.0% │
      │ SADD      │     2 │  6.7% │
      │ FLUSHALL  │     1 │  3.3% │
      │ HMSET     │     1 │  3.3% │
      │ HSET      │     1 │  3.3% │
      │ INCR      │     1 │  3.3% │
      │ PEXPIREAT │     1 │  3.3% │
      │ XADD      │     1 │  3.3% │
      │ ZADD      │     1 │  3.3% │
      └───────────┴───────┴───────┘
      ┌────┬──────────┬───────┐
      │ db │ commands │ share │
      ├────┼──────────┼───────┤
      │  0 │       26 │ 86.7% │
      │  1 │        2 │  6.7% │
      │  3 │        2 │  6.7% │
      └────┴──────────┴───────┘

      Time
        no #TS annotations (Redis writes them with aof-timestamp-enabled yes, 7.0+)

      FLUSHALL / FLUSHDB
      ┌────┬──────────┬──────────────────┬────────┬────┬──────┐
      │  # │ command  │ file             │ offset │ db │ time │
      ├────┼──────────┼──────────────────┼────────┼────┼──────┤
      │ 25 │ FLUSHALL │ aof-flushall.aof │ 25,138 │  0 │ -    │
      └────┴──────────┴──────────────────┴────────┴────┴──────┘

      Tail
        aof-flushall.aof: complete (ok_up_to 25,334 = size)
      "
    `);
  });

  it('Truncated AOF: the summary is printed, the tail named, exit 65', async () => {
    const c = corpusAof('7.4.1', 'aof-truncated-multi');
    const run = await runCli(['inspect', c.path]);
    expect(run.exitCode).toBe(65);
    expect(run.stdout).toContain('Status     truncated');
    expect(run.stdout).toContain('appendonly.aof.1.incr.aof: truncated, ok_up_to 25,056 of 25,262 bytes (diff 206)');
    expect(run.stdout).toContain('MULTI/EXEC: 1 block, 3 commands inside, one left open at appendonly.aof.1.incr.aof offset 25056');
  });
});
