// Spawns the bundled CLI (packages/cli/dist/rfx.js, made by `npm run build`) as a user would.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { corpusFile, expectedKeys } from './corpus.js';

const RFX = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'rfx.js');

interface Spawned {
  code: number | null;
  stdout: string;
  stderr: string;
}

function rfx(args: string[], env: Record<string, string> = {}): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RFX, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
beforeAll(async () => {
  if (!existsSync(RFX)) throw new Error(`${RFX} is missing: run "npm run build" first (npm run test:e2e does)`);
  dir = await mkdtemp(join(tmpdir(), 'rfx-e2e-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('rfx (built bundle)', () => {
  it('--version: prints the version, exit 0', async () => {
    expect(await rfx(['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('inspect: the summary, no colour when piped, exit 0', async () => {
    const run = await rfx(['inspect', corpusFile('7.4.1', 'rdb-full.rdb')]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('RDB version 12, written by Redis 7.4.1');
    expect(run.stdout).toContain('Biggest keys by serialized size');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('inspect --json: one JSON object', async () => {
    const run = await rfx(['inspect', corpusFile('2.4.18', 'rdb-full.rdb'), '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: 2, totals: { keys: expectedKeys('2.4.18', 'rdb-full').size } });
  });

  it('check: OK, exit 0', async () => {
    const run = await rfx(['check', corpusFile('5.0.14', 'rdb-module.rdb')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^OK .*rdb-module\.rdb: RDB version 9, /);
  });

  it('check on a corrupt copy: exit 65, no stack trace', async () => {
    const bytes = await readFile(corpusFile('7.4.1', 'rdb-full.rdb'));
    bytes[bytes.length - 4]! ^= 0x01;
    const file = join(dir, 'bad.rdb');
    await writeFile(file, bytes);
    const run = await rfx(['check', file]);
    expect(run.code).toBe(65);
    expect(run.stdout).toContain('RDB_CHECKSUM_MISMATCH at offset 115821 (0x1c46d) while check-sum');
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
  });

  it('check on a missing file: exit 66', async () => {
    const run = await rfx(['check', join(dir, 'missing.rdb')]);
    expect(run.code).toBe(66);
    expect(run.stderr).toContain('no such file or directory (ENOENT)');
  });

  it('dump: one JSON line per key, exit 0', async () => {
    const run = await rfx(['dump', corpusFile('7.4.1', 'rdb-full.rdb')]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(expectedKeys('7.4.1', 'rdb-full').size);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('dump --format resp: RESP commands, warnings on stderr', async () => {
    const run = await rfx(['dump', corpusFile('5.0.14', 'rdb-module.rdb'), '--format', 'resp']);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n')).toBe(true);
    expect(run.stderr).toContain('module value of type test__rdb cannot be recreated with commands: key skipped');
  });

  it('Usage error: exit 64', async () => {
    const run = await rfx(['dump']);
    expect(run.code).toBe(64);
    expect(run.stdout).toBe('');
  });

  it('Reader closes the pipe early: exit 0, no EPIPE trace', async () => {
    const child = spawn(process.execPath, [RFX, 'dump', corpusFile('8.0-m01', 'rdb-full.rdb')]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});

describe('rfx on AOFs (built bundle)', () => {
  it('inspect an appendonlydir: layout, commands, tail status, exit 0', async () => {
    const run = await rfx(['inspect', corpusFile('7.4.1', 'aof-timestamp.aofdir')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('multi-part AOF (Redis 7+): base AOF, 1 incr file');
    expect(run.stdout).toContain('3 #TS annotations, 2026-11-21T07:42:05Z to 2026-11-21T07:42:07Z');
  });

  it('check a truncated AOF: the redis-check-aof line, exit 65', async () => {
    const run = await rfx(['check', corpusFile('6.2.16', 'aof-truncated.aof')]);
    expect(run.code).toBe(65);
    expect(run.stdout).toContain('AOF analyzed: size=25148, ok_up_to=25079, ok_up_to_line=836, diff=69\n');
  });

  it('repair with stdin not a terminal: no prompt, writes, the result checks OK; again: exit 73', async () => {
    const out = join(dir, 'repaired.aofdir');
    const run = await rfx(['repair', corpusFile('7.4.1', 'aof-truncated-multi.aofdir'), '-o', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`wrote ${out}: 206 bytes removed`);
    expect((await rfx(['check', out])).code).toBe(0);
    const again = await rfx(['repair', corpusFile('7.4.1', 'aof-truncated-multi.aofdir'), '-o', out]);
    expect(again.code).toBe(73);
    expect(again.stderr).toContain('already exists');
  });

  it('log --json: one JSON line per command; undo-flushall --dry-run: the FLUSHALL found', async () => {
    const log = await rfx(['log', corpusFile('6.2.16', 'aof-flushall.aof'), '--json', '--command', 'flushall']);
    expect(log.code).toBe(0);
    expect(JSON.parse(log.stdout)).toMatchObject({ command: 'FLUSHALL', offset: 25138, length: 18 });
    const undo = await rfx(['undo-flushall', corpusFile('6.2.16', 'aof-flushall.aof'), '--dry-run']);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain('at offset 25,138');
  });
});

describe('rfx rewrite, convert and diff (built bundle)', () => {
  it('Run through the restart (young-generation.ts): same output, files, stderr and exit codes as without it', async () => {
    // An RDB input: replaying an AOF stamps stream consumers with the clock, so two runs differ.
    const input = corpusFile('7.0.15', 'rdb-full.rdb');
    const restarted = await rfx(['convert', input, '--to', 'aof', '-o', join(dir, 'restarted.aof')]);
    const direct = await rfx(['convert', input, '--to', 'aof', '-o', join(dir, 'direct.aof')], { RFX_YOUNG_GENERATION_SET: '1' });
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain('restarted.aof');
    expect(restarted).toEqual({ ...direct, stdout: direct.stdout.replaceAll('direct.aof', 'restarted.aof') });
    expect(await readFile(join(dir, 'restarted.aof'))).toEqual(await readFile(join(dir, 'direct.aof')));
    const failed = await rfx(['convert', join(dir, 'missing.aof'), '--to', 'rdb', '-o', join(dir, 'x.rdb')]);
    expect(failed.code).toBe(66);
    expect(failed.stderr).toContain('cannot open');
  });

  it('rewrite --multi-part: a new appendonlydir that checks OK and equals the input', async () => {
    const out = join(dir, 'rewritten.aofdir');
    const run = await rfx(['rewrite', corpusFile('7.0.15', 'aof-plain.aofdir'), '--multi-part', '-o', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`wrote ${out}: multi-part AOF for Redis 7.0`);
    expect(await readFile(join(out, 'appendonly.aof.manifest'), 'utf8')).toBe('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    expect((await rfx(['check', out])).code).toBe(0);
    expect((await rfx(['diff', corpusFile('7.0.15', 'aof-plain.aofdir'), out])).code).toBe(0);
  });

  it('convert --to rdb --rdb-version 11 of an RDB with hash field TTLs: exit 65 naming the key; --lossy lists the losses on stderr', async () => {
    const out = join(dir, 'v11.rdb');
    const strict = await rfx(['convert', corpusFile('7.4.1', 'rdb-full.rdb'), '--to', 'rdb', '--rdb-version', '11', '-o', out]);
    expect(strict.code).toBe(65);
    expect(strict.stderr).toContain('key "hash:hfe_small"');
    const lossy = await rfx(['convert', corpusFile('7.4.1', 'rdb-full.rdb'), '--to', 'rdb', '--rdb-version', '11', '--lossy', '-o', out]);
    expect(lossy.code).toBe(0);
    expect(lossy.stderr.split('\n').filter((l) => l.startsWith('rfx convert: lost the field TTLs of: '))).toHaveLength(4);
    expect((await rfx(['check', out])).code).toBe(0);
  });

  it('diff: exit 1 with JSON lines when the datasets differ, 0 when equal', async () => {
    const flushed = corpusFile('7.0.15', 'aof-flushall.aofdir');
    const restored = join(dir, 'restored.aofdir');
    expect((await rfx(['undo-flushall', flushed, '-o', restored])).code).toBe(0);
    const run = await rfx(['diff', flushed, restored, '--json']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { change: string });
    expect(lines.filter((l) => l.change === 'added').length).toBeGreaterThan(10);
    expect((await rfx(['diff', flushed, flushed])).code).toBe(0);
  });
});
