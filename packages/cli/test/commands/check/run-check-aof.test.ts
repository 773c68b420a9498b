import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runCheckAof } from '../../../src/commands/check/run-check-aof.js';
import { copyAof, corpusAof, corpusAofCases, lastAnalyzedLine, removeScratch } from '../../aof-corpus.js';
import { runCli } from '../../run-cli.js';

/** Every file of a path with its bytes, to prove that nothing was written. */
function snapshot(path: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!statSync(path).isDirectory()) out.set(path, readFileSync(path));
  else for (const f of readdirSync(path)) out.set(f, readFileSync(join(path, f)));
  return out;
}

describe('rfx check on AOFs', () => {
  afterAll(removeScratch);

  const cases = corpusAofCases();

  it('Corpus: AOF cases of every layout are present', () => {
    expect(cases.filter((c) => c.multiPart).length).toBeGreaterThan(10);
    expect(cases.filter((c) => c.name === 'aof-truncated' || c.name === 'aof-truncated-multi').length).toBeGreaterThan(10);
  });

  it.each(cases.map((c) => [`${c.version}/${c.name}`, c] as const))(
    '%s: exit 0 when complete, 65 when truncated; the AOF analyzed line equals redis-check-aof\'s',
    async (_label, c) => {
      const run = await runCli(['check', c.path]);
      const truncated = c.name.startsWith('aof-truncated');
      expect(run.stderr).toBe('');
      expect(run.exitCode).toBe(truncated ? 65 : 0);
      expect(run.stdout.startsWith(truncated ? 'TRUNCATED ' : 'OK ')).toBe(true);
      const ours = lastAnalyzedLine(run.stdout.split('\n'));
      const theirs = lastAnalyzedLine(c.meta.check.tail);
      expect(ours).not.toBeNull();
      // Some versions' corpus tool rejected newer RDB bases and printed no verdict line.
      if (theirs === null) return;
      expect(ours!.size).toBe(theirs.size);
      expect(ours!.okUpTo).toBe(theirs.okUpTo);
      expect(ours!.diff).toBe(theirs.diff);
      if (theirs.line !== null) expect(ours!.line).toBe(theirs.line);
      if (theirs.filename !== null) expect(ours!.filename).toBe(theirs.filename);
    },
  );

  it('Truncated single file: reason code, partial command, hexdump to the end of the file, the fix', async () => {
    const c = corpusAof('6.2.16', 'aof-truncated');
    const run = await runCli(['check', c.path]);
    expect(run.exitCode).toBe(65);
    expect(run.stdout.replaceAll(c.path, '<file>')).toMatchInlineSnapshot(`
      "TRUNCATED <file>: single-file AOF, 25,148 bytes (24.6 KiB), 23 complete commands
      AOF analyzed: size=25148, ok_up_to=25079, ok_up_to_line=836, diff=69
      time range: none (no #TS annotations)

      truncated <file>: 23 complete commands, valid up to byte 25,079 of 25,148
      AOF_UNEXPECTED_EOF at offset 25148 (0x623c) while read-command: file ends inside RPUSH that starts at 25079 (69 bytes present)
      AOF_UNEXPECTED_EOF: AOF ends in the middle of a command (rfx explain AOF_UNEXPECTED_EOF)
      partial command: "RPUSH" key "s:list" at offset 25079 (69 bytes present)

      000061f0:                                     35 0d 0a 52              5..R
      00006200: 50 55 53 48 0d 0a 24 36 0d 0a 73 3a 6c 69 73 74  PUSH..$6..s:list
      00006210: 0d 0a 24 36 35 0d 0a 6c 61 73 74 2d 63 6f 6d 6d  ..$65..last-comm
      00006220: 61 6e 64 2d 77 69 6c 6c 2d 62 65 2d 63 75 74 2d  and-will-be-cut-
      00006230: 74 74 74 74 74 74 74 74 74 74 74 74              tttttttttttt
                                                    ^ end of file

      Redis loads this AOF anyway and drops the incomplete tail (aof-load-truncated yes, the default). To cut it: rfx repair <file> -o <out> (removes the last 69 bytes, like redis-check-aof --fix).
      "
    `);
  });

  it('Truncated inside MULTI (multi-part): ok_up_to stops before the MULTI, which is named', async () => {
    const c = corpusAof('7.4.1', 'aof-truncated-multi');
    const run = await runCli(['check', c.path]);
    expect(run.exitCode).toBe(65);
    expect(run.stdout).toContain('AOF analyzed: filename=appendonly.aof.1.base.aof, size=0, ok_up_to=0, ok_up_to_line=1, diff=0\n');
    expect(run.stdout).toContain('truncated appendonly.aof.1.incr.aof (incr, seq 1): ');
    expect(run.stdout).toContain('unfinished transaction: the MULTI at offset 25056 has no EXEC');
    expect(run.stdout).toContain('partial command: "RPUSH" key "s:list" at offset 25179 (83 bytes present)');
  });

  it('Time range: from the #TS annotations', async () => {
    const run = await runCli(['check', corpusAof('7.4.1', 'aof-timestamp').path]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('time range: 2026-11-21T07:42:05Z to 2026-11-21T07:42:07Z (3 #TS annotations)\n');
  });

  it('Read-only copy: checked without writing anything', async () => {
    for (const c of [corpusAof('7.4.1', 'aof-truncated'), corpusAof('6.2.16', 'aof-truncated')]) {
      const copy = copyAof(c.path);
      const before = snapshot(copy);
      const files = statSync(copy).isDirectory() ? readdirSync(copy).map((f) => join(copy, f)) : [copy];
      for (const f of files) chmodSync(f, 0o444);
      if (statSync(copy).isDirectory()) chmodSync(copy, 0o555);
      const run = await runCli(['check', copy]);
      expect(run.exitCode).toBe(65);
      expect(snapshot(copy)).toEqual(before);
      if (statSync(copy).isDirectory()) chmodSync(copy, 0o755);
    }
  });

  it('Corruption mid-file: CORRUPT, the reason code and the bad byte marked', async () => {
    const copy = copyAof(corpusAof('6.2.16', 'aof-flushall').path);
    const bytes = readFileSync(copy);
    const at = bytes.indexOf('$8\r\nFLUSHALL');
    bytes[at] = 0x21; // '!' where a '$' bulk length prefix belongs
    writeFileSync(copy, bytes);
    const report = await runCheckAof({ path: copy });
    expect(report.ok).toBe(false);
    expect(report.status).toBe('corrupt');
    const f = report.files[0]!;
    expect(f.error?.code).toBe('RESP_BAD_PREFIX');
    expect(f.around?.mark).toBe(at);
    const run = await runCli(['check', copy]);
    expect(run.exitCode).toBe(65);
    expect(run.stdout).toMatch(/^CORRUPT /);
    expect(run.stdout).toContain('RESP_BAD_PREFIX at offset ');
    expect(run.stdout).toContain('--salvage');
  });

  it('--json: one object with every file\'s verdict and the bytes around the error as hex', async () => {
    const run = await runCli(['check', corpusAof('7.4.1', 'aof-truncated').path, '--json']);
    expect(run.exitCode).toBe(65);
    const o = JSON.parse(run.stdout) as { ok: boolean; layout: string; files: { file: string; okUpTo: number; okUpToLine: number; diff: number; status: string; partial: { name: string; key: string }; around: { hex: string } }[] };
    expect(o.ok).toBe(false);
    expect(o.layout).toBe('multi-part');
    expect(o.files.map((f) => [f.file, f.status, f.okUpTo, f.okUpToLine, f.diff])).toEqual([
      ['appendonly.aof.1.base.aof', 'complete', 0, 1, 0],
      ['appendonly.aof.1.incr.aof', 'truncated', 25079, 836, 69],
    ]);
    expect(o.files[1]!.partial).toMatchObject({ name: 'RPUSH', key: 's:list' });
    expect(o.files[1]!.around.hex).toMatch(/^[0-9a-f]+$/);
  });

  it('Entry points: the manifest and a file inside the dir check the same AOF', async () => {
    const c = corpusAof('7.4.1', 'aof-truncated');
    const a = await runCli(['check', c.path]);
    const b = await runCli(['check', join(c.path, 'appendonly.aof.manifest')]);
    const d = await runCli(['check', join(c.path, 'appendonly.aof.1.base.aof')]);
    const strip = (s: string): string => s.split('\n').filter((l) => l.startsWith('AOF analyzed')).join('\n');
    expect(strip(b.stdout)).toBe(strip(a.stdout));
    expect(strip(d.stdout)).toBe(strip(a.stdout));
    expect(b.exitCode).toBe(65);
  });

  it('Missing AOF: exit 66', async () => {
    const run = await runCli(['check', join(copyAof(corpusAof('6.2.16', 'aof-plain').path), '..', 'missing.aof')]);
    expect(run.exitCode).toBe(66);
  });
});
