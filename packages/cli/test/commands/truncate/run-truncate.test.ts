import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { copyAof, corpusAof, removeScratch, scanAof } from '../../aof-corpus.js';
import { runCli } from '../../run-cli.js';

describe('rfx truncate', () => {
  afterAll(removeScratch);

  const ts = corpusAof('7.4.1', 'aof-timestamp');
  const all = scanAof(ts.path);
  const incr = 'appendonly.aof.2.incr.aof';
  const incrBytes = readFileSync(join(ts.path, incr));

  it('--to-timestamp on 7.4.1 aof-timestamp: cut at the first #TS after it, the rest byte-identical', async () => {
    const t = 1795246926;
    // redis-check-aof --truncate-to-timestamp cuts at the first annotation later than t.
    const annotation = incrBytes.indexOf(`#TS:${t + 1}\r\n`);
    expect(annotation).toBeGreaterThan(0);
    const out = join(copyAof(ts.path), '..', 'pit.aofdir');
    const run = await runCli(['truncate', ts.path, '--to-timestamp', String(t), '-o', out]);
    expect(run.exitCode).toBe(0);
    const kept = all.filter((s) => s.time !== null && s.time <= t);
    expect(run.stdout).toContain(`cut at the first #TS annotation after 2026-11-21T07:42:06Z (${t}): ${incr} offset ${annotation.toLocaleString('en-US')} to its end`);
    expect(run.stdout).toContain(`keep ${kept.length.toLocaleString('en-US')} commands, drop ${all.length - kept.length} commands (${incrBytes.length - annotation} bytes)`);
    expect(readFileSync(join(out, incr)).equals(incrBytes.subarray(0, annotation))).toBe(true);
    expect(readFileSync(join(out, 'appendonly.aof.2.base.aof')).equals(readFileSync(join(ts.path, 'appendonly.aof.2.base.aof')))).toBe(true);
    expect(readFileSync(join(out, 'appendonly.aof.manifest')).equals(readFileSync(join(ts.path, 'appendonly.aof.manifest')))).toBe(true);
    expect(scanAof(out).map((s) => s.offset)).toEqual(kept.map((s) => s.offset));
    expect((await runCli(['check', out])).exitCode).toBe(0);
  });

  it('--to-timestamp as an ISO date: the same cut', async () => {
    const a = await runCli(['truncate', ts.path, '--to-timestamp', '1795246926', '--dry-run']);
    const b = await runCli(['truncate', ts.path, '--to-timestamp', '2026-11-21T07:42:06Z', '--dry-run']);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stdout).toContain('dry run: nothing written');
  });

  it('--to-index in the base file: later incr files leave the new manifest', async () => {
    const out = join(copyAof(ts.path), '..', 'idx.aofdir');
    const run = await runCli(['truncate', ts.path, '--to-index', '100', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`later incr files left out of the new manifest: ${incr}`);
    expect(readdirSync(out).sort()).toEqual(['appendonly.aof.2.base.aof', 'appendonly.aof.manifest']);
    expect(readFileSync(join(out, 'appendonly.aof.manifest'), 'utf8')).toBe('file appendonly.aof.2.base.aof seq 2 type b\n');
    expect(scanAof(out).length).toBe(100);
    expect(readFileSync(join(out, 'appendonly.aof.2.base.aof')).equals(readFileSync(join(ts.path, 'appendonly.aof.2.base.aof')).subarray(0, all[100]!.offset))).toBe(true);
  });

  it('--to-offset with --file: cut at the first command at or after that byte', async () => {
    const target = all.find((s) => s.file === incr && s.offset >= 1000)!;
    const out = join(copyAof(ts.path), '..', 'off.aofdir');
    const run = await runCli(['truncate', ts.path, '--to-offset', '1000', '--file', incr, '-o', out, '--yes']);
    expect(run.exitCode).toBe(0);
    // A cut inside MULTI/EXEC moves back to the MULTI.
    const multi = [...all.slice(0, target.index)].reverse().find((s) => s.file === incr && /^(multi|exec)$/i.test(s.argv[0]!.toString()));
    const at = multi !== undefined && /^multi$/i.test(multi.argv[0]!.toString()) ? multi.offset : target.offset;
    expect(readFileSync(join(out, incr)).equals(incrBytes.subarray(0, at))).toBe(true);
  });

  it('Single file --to-offset: no --file needed', async () => {
    const c = corpusAof('6.2.16', 'aof-flushall');
    const cmds = scanAof(c.path);
    const out = join(copyAof(c.path), '..', 'off.aof');
    const run = await runCli(['truncate', c.path, '--to-offset', String(cmds[10]!.offset), '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(readFileSync(out).equals(readFileSync(c.path).subarray(0, cmds[10]!.offset))).toBe(true);
  });

  it('Nothing after the point: says so, exit 0, nothing written', async () => {
    const out = join(copyAof(ts.path), '..', 'late.aofdir');
    const run = await runCli(['truncate', ts.path, '--to-timestamp', '2030-01-01', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('nothing after');
    expect(existsSync(out)).toBe(false);
  });

  it('Usage: exactly one point; --to-offset needs --file in a multi-part AOF (exit 64)', async () => {
    expect((await runCli(['truncate', ts.path, '--dry-run'])).exitCode).toBe(64);
    expect((await runCli(['truncate', ts.path, '--to-index', '1', '--to-offset', '5', '--dry-run'])).exitCode).toBe(64);
    const noFile = await runCli(['truncate', ts.path, '--to-offset', '5', '--dry-run']);
    expect(noFile.exitCode).toBe(64);
    expect(noFile.stderr).toContain('--to-offset needs --file');
    expect((await runCli(['truncate', ts.path, '--to-index', '5'])).exitCode).toBe(64); // no -o
  });
});
