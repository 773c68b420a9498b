import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { copyAof, corpusAof, removeScratch, scanAof, scratchDir } from '../../aof-corpus.js';
import { corpusDigest, corpusServerVersion, fileDigest } from '../../dataset-oracle.js';
import { runCli } from '../../run-cli.js';

/** "before" and "after" commands from the figures table of `rfx rewrite`. */
function figures(stdout: string): { before: number; after: number } {
  const row = (name: string): number => Number(new RegExp(`│ ${name} +│ +([\\d,]+)`).exec(stdout)![1]!.replace(/,/g, ''));
  return { before: row('before'), after: row('after') };
}

const MANIFEST = (ext: string): string => `file appendonly.aof.1.base.${ext} seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n`;

describe('rfx rewrite', () => {
  afterAll(removeScratch);

  it.each([
    ['7.0.15', 'aof-plain', []],
    ['7.0.15', 'aof-timestamp', []],
    ['7.0.15', 'aof-preamble', ['--preamble']],
    ['6.2.16', 'aof-plain', []],
    ['7.4.1', 'aof-plain', []],
  ] as const)('Corpus %s %s %j: the output checks OK, diff says equal, its DEBUG DIGEST is the server\'s, no more commands', async (version, name, flags) => {
    const c = corpusAof(version, name);
    const out = join(scratchDir(), 'rewritten.aof');
    const run = await runCli(['rewrite', c.path, '-o', out, ...flags]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`wrote ${out}: `);
    expect((await runCli(['check', out])).exitCode).toBe(0);
    const diff = await runCli(['diff', c.path, out]);
    expect(diff.stdout).toContain('equal: the same');
    expect(diff.exitCode).toBe(0);
    expect(await fileDigest(out, 'aof', corpusServerVersion(version))).toBe(corpusDigest(version, name));
    const f = figures(run.stdout);
    expect(f.after).toBeLessThanOrEqual(f.before);
    if (flags.length === 0) {
      expect(f.after).toBe(scanAof(out).length);
      expect(f.before).toBe(scanAof(c.path).length);
    }
  });

  it('--multi-part: base AOF, empty incr file, manifest; loads as the input did', async () => {
    const c = corpusAof('7.0.15', 'aof-plain');
    const out = join(scratchDir(), 'appendonlydir');
    const run = await runCli(['rewrite', c.path, '--multi-part', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
    expect(readFileSync(join(out, 'appendonly.aof.manifest'), 'utf8')).toBe(MANIFEST('aof'));
    expect(readFileSync(join(out, 'appendonly.aof.1.incr.aof')).length).toBe(0);
    expect(readFileSync(join(out, 'appendonly.aof.1.base.aof')).subarray(0, 1).toString()).toBe('*');
    expect(run.stdout).toContain(`  ${join(out, 'appendonly.aof.1.incr.aof')}  0 bytes`);
    expect((await runCli(['check', out])).exitCode).toBe(0);
    expect(await fileDigest(out, 'aof', '7.0.15')).toBe(corpusDigest('7.0.15', 'aof-plain'));
    // No temp directory is left next to the output.
    expect(readdirSync(join(out, '..'))).toEqual(['appendonlydir']);
  });

  it('--multi-part --preamble: an RDB base file with aof-base 1 for Redis 7, as BGREWRITEAOF writes it', async () => {
    const c = corpusAof('7.0.15', 'aof-preamble');
    const out = join(scratchDir(), 'appendonlydir');
    const run = await runCli(['rewrite', c.path, '--multi-part', '--preamble', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
    expect(readFileSync(join(out, 'appendonly.aof.manifest'), 'utf8')).toBe(MANIFEST('rdb'));
    const base = readFileSync(join(out, 'appendonly.aof.1.base.rdb'));
    expect(base.subarray(0, 9).toString('latin1')).toBe('REDIS0010');
    const inspect = JSON.parse((await runCli(['inspect', out, '--json'])).stdout) as { rdb: { report: { aux: Record<string, string> } }[] };
    expect(inspect.rdb[0]!.report.aux).toEqual({ 'redis-ver': '7.0.15', 'redis-bits': '64', ctime: String(1_800_000_000), 'used-mem': '0', 'aof-base': '1' });
    expect(run.stdout).toContain('multi-part AOF for Redis 7.0.15 (from the input; --redis-version to change): base RDB (version 10, aof-base 1)');
    expect(await fileDigest(out, 'aof', '7.0.15')).toBe(corpusDigest('7.0.15', 'aof-preamble'));
    expect((await runCli(['diff', c.path, out])).exitCode).toBe(0);
  });

  it('Hash field TTLs in an AOF whose layout only says 7.0+: the target is raised to 7.4 (RDB 12), which can hold them', async () => {
    const c = corpusAof('7.4.1', 'aof-plain');
    const out = join(scratchDir(), 'appendonlydir');
    const run = await runCli(['rewrite', c.path, '--multi-part', '--preamble', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('multi-part AOF for Redis 7.4 (from the input; --redis-version to change): base RDB (version 12, aof-base 1)');
    expect(await fileDigest(out, 'aof', '7.4.1')).toBe(corpusDigest('7.4.1', 'aof-plain'));
    const old = await runCli(['rewrite', c.path, '--multi-part', '--preamble', '--redis-version', '7.2', '--dry-run']);
    expect(old.exitCode).toBe(65);
    expect(old.stderr).toContain('hash field TTLs');
    expect(old.stderr).toContain('Redis 7.2 (RDB 11) cannot hold this data: pass --redis-version for a newer release');
  });

  it('--preamble for Redis 6.2: a single file, RDB 9 with aof-preamble 1, then nothing', async () => {
    const c = corpusAof('6.2.16', 'aof-plain');
    const out = join(scratchDir(), 'preamble.aof');
    const run = await runCli(['rewrite', c.path, '--preamble', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(readFileSync(out).subarray(0, 9).toString('latin1')).toBe('REDIS0009');
    expect(readFileSync(out).includes(Buffer.from('aof-preamble'))).toBe(true);
    expect(figures(run.stdout).after).toBe(0);
    expect((await runCli(['diff', c.path, out])).exitCode).toBe(0);
    expect(await fileDigest(out, 'aof', '6.2.16')).toBe(corpusDigest('6.2.16', 'aof-plain'));
  });

  it('--until-index: the dataset as of that command, the same as truncate then rewrite', async () => {
    const c = corpusAof('7.0.15', 'aof-timestamp');
    const dir = scratchDir();
    const out = join(dir, 'until.aof');
    const run = await runCli(['rewrite', c.path, '--until-index', '400', '-o', out]);
    expect(run.exitCode).toBe(0);
    const total = scanAof(c.path).length;
    expect(run.stdout).toContain(`replayed ${c.path}: 400 of ${total.toLocaleString('en-US')} commands`);
    expect(run.stdout).toContain(`stopped at command #400: appendonly.aof.2.base.aof offset ${scanAof(c.path)[400]!.offset.toLocaleString('en-US')}; ${total - 400} commands from there on left out`);
    // The byte-level cut of rfx truncate is an independent route to the same point.
    const cut = join(dir, 'cut.aofdir');
    expect((await runCli(['truncate', c.path, '--to-index', '400', '-o', cut])).exitCode).toBe(0);
    expect((await runCli(['diff', cut, out])).exitCode).toBe(0);
    expect(await fileDigest(out, 'aof', '7.0.15')).toBe(await fileDigest(cut, 'aof', '7.0.15'));
    // And it is not the whole dataset.
    const whole = await runCli(['diff', c.path, out]);
    expect(whole.exitCode).toBe(1);
  });

  it('--until-timestamp and --until-offset past the end of its file', async () => {
    const c = corpusAof('7.4.1', 'aof-timestamp');
    const ts = await runCli(['rewrite', c.path, '--until-timestamp', '2026-11-21T07:42:06Z', '--dry-run']);
    expect(ts.exitCode).toBe(0);
    expect(ts.stdout).toContain('stopped at the first #TS annotation after 2026-11-21T07:42:06Z (1795246926): appendonly.aof.2.incr.aof offset 2,242; 2 commands from there on left out');
    expect(ts.stdout).toContain('dry run: nothing written');
    const off = await runCli(['rewrite', c.path, '--until-offset', '248426', '--file', 'appendonly.aof.2.base.aof', '--dry-run']);
    expect(off.exitCode).toBe(0);
    expect(off.stdout).toContain('nothing at or after it in appendonly.aof.2.base.aof, so appendonly.aof.2.incr.aof and any later files are left out');
    const noFile = await runCli(['rewrite', c.path, '--until-offset', '100', '--dry-run']);
    expect(noFile.exitCode).toBe(64);
    expect(noFile.stderr).toContain('--until-offset needs --file in a multi-part AOF');
  });

  it('A truncated last file: its tail is left out, as Redis leaves it out', async () => {
    const c = corpusAof('7.0.15', 'aof-truncated-multi');
    const out = join(scratchDir(), 'r.aof');
    const run = await runCli(['rewrite', c.path, '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/the truncated tail of appendonly\.aof\.1\.incr\.aof \(\d+ bytes from offset [\d,]+\) is left out/);
    expect(await fileDigest(out, 'aof', '7.0.15')).toBe(corpusDigest('7.0.15', 'aof-truncated-multi'));
  });

  it('A corrupt AOF: exit 65 with the reason code, nothing written', async () => {
    const bad = copyAof(corpusAof('6.2.16', 'aof-flushall').path);
    const bytes = readFileSync(bad);
    bytes[25142] = 0x21; // '!' where a '$' (bulk length) belongs
    writeFileSync(bad, bytes);
    const out = join(scratchDir(), 'r.aof');
    const run = await runCli(['rewrite', bad, '-o', out]);
    expect(run.exitCode).toBe(65);
    expect(run.stderr).toContain('RESP_BAD_PREFIX at offset 25142');
    expect(existsSync(out)).toBe(false);
  });

  it('An unsupported command: exit 65 naming command, file and offset; --skip-unsupported lists it', async () => {
    const dir = scratchDir();
    const aof = join(dir, 'unsupported.aof');
    writeFileSync(aof, '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$7\r\nFOO.BAR\r\n$1\r\na\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n');
    const out = join(dir, 'r.aof');
    const stop = await runCli(['rewrite', aof, '-o', out]);
    expect(stop.exitCode).toBe(65);
    expect(stop.stderr).toBe(
      `rfx: cannot replay FOO.BAR in ${aof} at offset 27 (0x1b) (command #1): unknown command (a module command, or not a Redis command)\n` +
        '  pass --skip-unsupported to replay without such commands (each one skipped is listed)\n',
    );
    expect(existsSync(out)).toBe(false);
    const skip = await runCli(['rewrite', aof, '-o', out, '--skip-unsupported']);
    expect(skip.exitCode).toBe(0);
    expect(skip.stdout).toContain('1 command skipped (--skip-unsupported):\n    cannot replay FOO.BAR');
    expect(readFileSync(out, 'latin1')).toBe('*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n');
  });

  it('Existing output: exit 73 before any work; --force replaces it; declined prompt: exit 1', async () => {
    const c = corpusAof('6.2.16', 'aof-plain');
    const dir = scratchDir();
    const out = join(dir, 'exists.aof');
    writeFileSync(out, 'keep me');
    const refused = await runCli(['rewrite', c.path, '-o', out]);
    expect(refused.exitCode).toBe(73);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(`rfx: ${out} already exists; nothing was written (use --force to overwrite it)\n`);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const declined = await runCli(['rewrite', c.path, '-o', out, '--force'], { stdinIsTTY: true, answer: 'n' });
    expect(declined.exitCode).toBe(1);
    expect(declined.prompts).toEqual(['Continue? [y/N] ']);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const forced = await runCli(['rewrite', c.path, '-o', out, '--force', '--yes'], { stdinIsTTY: true });
    expect(forced.exitCode).toBe(0);
    expect(forced.prompts).toEqual([]);
    expect(readFileSync(out, 'latin1').startsWith('*')).toBe(true);
    const dirOut = join(dir, 'appendonlydir');
    expect((await runCli(['rewrite', c.path, '--multi-part', '-o', dirOut])).exitCode).toBe(0);
    expect((await runCli(['rewrite', c.path, '--multi-part', '-o', dirOut])).exitCode).toBe(73);
    expect((await runCli(['rewrite', c.path, '--multi-part', '--preamble', '-o', dirOut, '--force'])).exitCode).toBe(0);
    expect(readdirSync(dirOut).sort()).toEqual(['appendonly.aof.1.base.rdb', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
    expect(readdirSync(dir).sort()).toEqual(['appendonlydir', 'exists.aof']);
  });

  it('Usage: -o or --dry-run; --multi-part needs Redis 7; --preamble needs Redis 4 (exit 64)', async () => {
    const c = corpusAof('6.2.16', 'aof-plain');
    expect((await runCli(['rewrite', c.path])).exitCode).toBe(64);
    const mp = await runCli(['rewrite', c.path, '--multi-part', '--redis-version', '6.2', '--dry-run']);
    expect(mp.exitCode).toBe(64);
    expect(mp.stderr).toContain('--multi-part writes an appendonlydir, which Redis loads from 7.0 on');
    expect((await runCli(['rewrite', c.path, '--preamble', '--redis-version', '3.2', '--dry-run'])).exitCode).toBe(64);
    expect((await runCli(['rewrite', c.path, '--redis-version', 'seven', '--dry-run'])).exitCode).toBe(64);
    expect((await runCli(['rewrite', c.path, '--until-index', '1', '--until-timestamp', '1', '--dry-run'])).exitCode).toBe(64);
  });

  it('--redis-version 6.2: the older command forms (XSETID without ENTRIESADDED, %.17g scores)', async () => {
    const c = corpusAof('7.0.15', 'aof-plain');
    const out = join(scratchDir(), 'for62.aof');
    const run = await runCli(['rewrite', c.path, '--redis-version', '6.2', '-o', out]);
    expect(run.exitCode).toBe(0);
    const text = readFileSync(out, 'latin1');
    expect(text).toContain('XSETID');
    expect(text).not.toContain('ENTRIESADDED');
    expect(run.stdout).toContain('AOF for Redis 6.2\n');
  });
});
