import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { copyAof, corpusAof, corpusAofCases, removeScratch, scratchDir } from '../../aof-corpus.js';
import { runCli } from '../../run-cli.js';

function filesOf(path: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!statSync(path).isDirectory()) out.set(basename(path), readFileSync(path));
  else for (const f of readdirSync(path).sort()) out.set(f, readFileSync(join(path, f)));
  return out;
}

const flushCases = corpusAofCases().filter((c) => c.name === 'aof-flushall');

/** A multi-part AOF rewritten after a FLUSHALL: a base with data and no FLUSHALL, an empty incr, a history file. */
function rewrittenDir(withHistoryOnDisk: boolean): string {
  const dir = join(scratchDir(), 'appendonlydir');
  mkdirSync(dir);
  writeFileSync(join(dir, 'appendonly.aof.2.base.aof'), '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$9\r\nafter:new\r\n$1\r\n1\r\n');
  writeFileSync(join(dir, 'appendonly.aof.2.incr.aof'), '');
  if (withHistoryOnDisk) writeFileSync(join(dir, 'appendonly.aof.1.incr.aof'), '*1\r\n$8\r\nFLUSHALL\r\n');
  writeFileSync(
    join(dir, 'appendonly.aof.manifest'),
    'file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.incr.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n',
  );
  return dir;
}

describe('rfx undo-flushall', () => {
  afterAll(removeScratch);

  it('Corpus: every version has an aof-flushall case with its FLUSHALL located', () => {
    expect(flushCases.length).toBeGreaterThanOrEqual(12);
    for (const c of flushCases) expect(c.meta.flushall_at).toHaveLength(1);
  });

  it.each(flushCases.map((c) => [c.version, c] as const))('%s: the output is the input minus exactly the flushall_at bytes', async (_v, c) => {
    const at = c.meta.flushall_at![0]!;
    const target = basename(at.file);
    const out = join(copyAof(c.path), '..', c.multiPart ? 'out.aofdir' : 'out.aof');
    const run = await runCli(['undo-flushall', c.path, '-o', out]);
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`in ${target} at offset ${at.offset.toLocaleString('en-US')} `);
    expect(run.stdout).toContain(`remove ${at.length} bytes:`);
    const before = filesOf(c.path);
    const after = filesOf(out);
    expect([...after.keys()].map((k) => (c.multiPart ? k : target))).toEqual([...before.keys()]);
    for (const [f, bytes] of before) {
      const got = c.multiPart ? after.get(f)! : after.get('out.aof')!;
      const want = f === target ? Buffer.concat([bytes.subarray(0, at.offset), bytes.subarray(at.offset + at.length)]) : bytes;
      expect(got.equals(want)).toBe(true);
    }
    expect((await runCli(['check', out])).exitCode).toBe(0);
  });

  it('--dry-run: when and where the FLUSHALL ran, how many commands follow, nothing written', async () => {
    const c = corpusAof('7.4.1', 'aof-flushall');
    const out = join(copyAof(c.path), '..', 'dry.aofdir');
    const run = await runCli(['undo-flushall', c.path, '--dry-run', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(run.stdout).toMatchInlineSnapshot(`
      "the last FLUSHALL ran at an unknown time (no #TS annotation before it; aof-timestamp-enabled was off), in appendonly.aof.1.incr.aof at offset 25,138 (command #25, db 0)
      4 commands after it stay; without the flush they apply on top of the data from before it
      remove 18 bytes:
      ┌────┬───────────────────────────┬────────┬────────┬──────────┬─────┬────┬────────────┬────────────┐
      │  # │ file                      │ offset │ length │ command  │ key │ db │ time (UTC) │ MULTI/EXEC │
      ├────┼───────────────────────────┼────────┼────────┼──────────┼─────┼────┼────────────┼────────────┤
      │ 25 │ appendonly.aof.1.incr.aof │  25138 │     18 │ FLUSHALL │     │  0 │ -          │ -          │
      └────┴───────────────────────────┴────────┴────────┴──────────┴─────┴────┴────────────┴────────────┘
      dry run: nothing written
      "
    `);
  });

  it('No FLUSHALL at all: says so, exit 0, nothing written', async () => {
    const c = corpusAof('6.2.16', 'aof-plain');
    const out = join(copyAof(c.path), '..', 'none.aof');
    const run = await runCli(['undo-flushall', c.path, '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`no FLUSHALL in ${c.path}: nothing to undo; nothing written`);
    expect(existsSync(out)).toBe(false);
  });

  it('Rewritten after the flush (base without FLUSHALL, empty incr, history file): the plain explanation, exit 65', async () => {
    const dir = rewrittenDir(true);
    const out = join(dir, '..', 'out');
    const run = await runCli(['undo-flushall', dir, '-o', out]);
    expect(run.exitCode).toBe(65);
    expect(existsSync(out)).toBe(false);
    expect(run.stdout.replaceAll(dir, '<dir>')).toMatchInlineSnapshot(`
      "no FLUSHALL in the files Redis loads from <dir>, but this AOF was rewritten:
        its base file appendonly.aof.2.base.aof (seq 2, 58 bytes) was written by an AOF rewrite (BGREWRITEAOF or auto-aof-rewrite).
        A rewrite writes the dataset as it is at that moment. If a FLUSHALL ran before the rewrite, the keys it deleted are not in the base file,
        and no command in this AOF can bring them back: the data from before the flush is not in this AOF.
        The manifest lists 1 history file (the AOF before the rewrite):
          appendonly.aof.1.incr.aof (seq 1): on disk, 18 bytes
        The history files may still hold the flush and the data before it: copy one out of the directory and look at the copy
        (cp <dir>/appendonly.aof.1.incr.aof /tmp/ && rfx log /tmp/appendonly.aof.1.incr.aof --command FLUSHALL), or restore a backup made before the flush.
      "
    `);
  });

  it('Rewritten, history file no longer on disk: points to backups, exit 65', async () => {
    const run = await runCli(['undo-flushall', rewrittenDir(false), '--dry-run']);
    expect(run.exitCode).toBe(65);
    expect(run.stdout).toContain('appendonly.aof.1.incr.aof (seq 1): not on disk');
    expect(run.stdout).toContain('Restore an RDB or AOF backup');
  });

  it('--include-flushdb: the last FLUSHDB goes when it is later than every FLUSHALL', async () => {
    const path = copyAof(corpusAof('6.2.16', 'aof-flushall').path);
    const extra = '*2\r\n$6\r\nSELECT\r\n$1\r\n3\r\n*1\r\n$7\r\nFLUSHDB\r\n';
    const size = readFileSync(path).length;
    writeFileSync(path, Buffer.concat([readFileSync(path), Buffer.from(extra)]));
    const plain = await runCli(['undo-flushall', path, '--dry-run']);
    expect(plain.stdout).toContain('the last FLUSHALL ran');
    const withDb = await runCli(['undo-flushall', path, '--include-flushdb', '--dry-run']);
    expect(withDb.exitCode).toBe(0);
    expect(withDb.stdout).toContain(`the last FLUSHDB ran at an unknown time (no #TS annotation before it; aof-timestamp-enabled was off), in ${basename(path)} at offset ${(size + 23).toLocaleString('en-US')} (command #31, db 3)`);
    expect(withDb.stdout).toContain('1 earlier FLUSHALL or FLUSHDB stay');
  });
});
