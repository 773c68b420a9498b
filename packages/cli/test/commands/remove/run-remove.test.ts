import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runRemove } from '../../../src/commands/remove/run-remove.js';
import { compileGlob } from '../../../src/glob.js';
import { copyAof, corpusAof, removeScratch, scanAof } from '../../aof-corpus.js';
import { runCli } from '../../run-cli.js';

import type { ScannedCommand } from '../../aof-corpus.js';

const name = (s: ScannedCommand): string => s.argv[0]!.toString('latin1').toUpperCase();

/** The bytes of `path` (a file, or one file of a dir) without the given spans. */
function without(bytes: Buffer, spans: { offset: number; end: number }[]): Buffer {
  const parts: Buffer[] = [];
  let p = 0;
  for (const s of [...spans].sort((a, b) => a.offset - b.offset)) {
    parts.push(bytes.subarray(p, s.offset));
    p = s.end;
  }
  parts.push(bytes.subarray(p));
  return Buffer.concat(parts);
}

function filesOf(path: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (!statSync(path).isDirectory()) out.set('', readFileSync(path));
  else for (const f of readdirSync(path).sort()) out.set(f, readFileSync(join(path, f)));
  return out;
}

/**
 * Remove with `args`, then require: the output equals the input minus exactly `spans` (per file),
 * every other file byte-identical, and rfx check passes on it.
 */
async function expectRemoved(input: string, args: string[], spans: { file: string; offset: number; end: number }[]): Promise<string> {
  const out = join(copyAof(input), '..', statSync(input).isDirectory() ? 'out.aofdir' : 'out.aof');
  const run = await runCli(['remove', input, ...args, '-o', out]);
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  const before = filesOf(input);
  const after = filesOf(out);
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [f, bytes] of before) {
    expect(after.get(f)!.equals(without(bytes, spans.filter((s) => s.file === f)))).toBe(true);
  }
  expect((await runCli(['check', out])).exitCode).toBe(0);
  return run.stdout;
}

describe('rfx remove', () => {
  afterAll(removeScratch);

  const ts = corpusAof('7.4.1', 'aof-timestamp');
  const all = scanAof(ts.path);
  const flush = corpusAof('6.2.16', 'aof-flushall');
  const flushAll = scanAof(flush.path);

  it('--command NAME: the last one by default, --first, --all', async () => {
    const sets = flushAll.filter((s) => name(s) === 'SET');
    await expectRemoved(flush.path, ['--command', 'set'], [sets.at(-1)!]);
    await expectRemoved(flush.path, ['--command', 'SET', '--first'], [sets[0]!]);
    const out = await expectRemoved(flush.path, ['--command', 'Set', '--all'], sets);
    expect(out).toContain(`remove ${sets.length} commands (`);
  });

  it('--index N: exactly that command', async () => {
    const target = all[1270]!;
    const out = await expectRemoved(ts.path, ['--index', '1270'], [target]);
    expect(out).toContain(`│ 1270 │ ${target.file} │`);
  });

  it('--offset N with --file: the command covering that byte of that file', async () => {
    const target = all.find((s) => s.file === 'appendonly.aof.2.incr.aof' && name(s) === 'LTRIM')!;
    await expectRemoved(ts.path, ['--offset', String(target.offset + 3), '--file', 'appendonly.aof.2.incr.aof'], [target]);
    const single = flushAll[5]!;
    await expectRemoved(flush.path, ['--offset', String(single.offset)], [single]);
  });

  it('--offset without --file in a multi-part AOF: usage error naming the files, exit 64', async () => {
    const run = await runCli(['remove', ts.path, '--offset', '100', '--dry-run']);
    expect(run.exitCode).toBe(64);
    expect(run.stderr).toContain('--offset needs --file in a multi-part AOF (offsets are per file): one of appendonly.aof.2.base.aof, appendonly.aof.2.incr.aof');
  });

  it('--match GLOB --all: every command with a matching key', async () => {
    const match = compileGlob('s:*');
    const expected = flushAll.filter((s) => s.argv.slice(1).some((a) => match(a)));
    expect(expected.length).toBeGreaterThan(3);
    await expectRemoved(flush.path, ['--match', 's:*', '--all'], expected);
  });

  it('--since/--until --all: commands in a #TS time window', async () => {
    const t = 1795246927;
    const expected = all.filter((s) => s.time !== null && s.time >= t);
    expect(expected.length).toBeGreaterThan(0);
    await expectRemoved(ts.path, ['--since', '2026-11-21T07:42:07Z', '--all'], expected);
    const until = all.filter((s) => s.time !== null && s.time <= 1795246925 && name(s) === 'SELECT');
    await expectRemoved(ts.path, ['--until', '1795246925', '--command', 'select', '--all'], until);
  });

  it('Selectors combine with AND', async () => {
    const expected = all.filter((s) => name(s) === 'SET' && s.db === 0 && s.file === 'appendonly.aof.2.incr.aof');
    await expectRemoved(ts.path, ['--command', 'set', '--file', 'appendonly.aof.2.incr.aof', '--all'], expected);
  });

  it('A command alone in MULTI/EXEC: the whole block goes, and --dry-run says so', async () => {
    // In aof-timestamp the block at 1291..1294 holds XCLAIM and XGROUP; removing both empties it.
    const block = all.slice(1291, 1295);
    expect(block.map(name)).toEqual(['MULTI', 'XCLAIM', 'XGROUP', 'EXEC']);
    const report = await runRemove({ path: ts.path, selector: { commands: ['multi'] }, which: 'first' });
    const first = all.find((s) => name(s) === 'MULTI')!;
    expect(report.removed[0]!.block).toEqual({ offset: first.offset, length: all[first.index + 4]!.end - first.offset });
    const run = await runCli(['remove', ts.path, '--index', '1292', '--index', '1293', '--dry-run']);
    expect(run.exitCode).toBe(64); // --index is a single value
    const dry = await runCli(['remove', ts.path, '--since', '0', '--file', 'appendonly.aof.2.incr.aof', '--match', 'stream:main', '--command', 'xclaim', '--command', 'xgroup', '--all', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain(`whole block at ${block[0]!.offset} (${block[3]!.end - block[0]!.offset} bytes)`);
    expect(dry.stdout).toContain('dry run: nothing written');
  });

  it('--dry-run: lists index, file, offset, length, command, key; writes nothing', async () => {
    const out = join(copyAof(flush.path), '..', 'dry.aof');
    const run = await runCli(['remove', flush.path, '--command', 'rpush', '--all', '--dry-run', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(existsSync(out)).toBe(false);
    expect(run.stdout.replaceAll(flush.path, '<file>')).toMatchInlineSnapshot(`
      "remove 3 commands (3,145 bytes) from aof-flushall.aof; 2 commands after the last one stay
      ┌────┬──────────────────┬────────┬────────┬─────────┬─────────────┬────┬────────────┬────────────┐
      │  # │ file             │ offset │ length │ command │ key         │ db │ time (UTC) │ MULTI/EXEC │
      ├────┼──────────────────┼────────┼────────┼─────────┼─────────────┼────┼────────────┼────────────┤
      │ 11 │ aof-flushall.aof │  21510 │    178 │ RPUSH   │ "s:list"    │  0 │ -          │ -          │
      │ 12 │ aof-flushall.aof │  21688 │   2922 │ RPUSH   │ "s:biglist" │  0 │ -          │ -          │
      │ 27 │ aof-flushall.aof │  25213 │     45 │ RPUSH   │ "s:list"    │  0 │ -          │ -          │
      └────┴──────────────────┴────────┴────────┴─────────┴─────────────┴────┴────────────┴────────────┘
      every other byte stays as it is
      dry run: nothing written
      "
    `);
  });

  it('No selector: usage error, exit 64; no match: nothing written, exit 0', async () => {
    const none = await runCli(['remove', flush.path, '--all', '--dry-run']);
    expect(none.exitCode).toBe(64);
    expect(none.stderr).toContain('Name what to remove');
    const nomatch = await runCli(['remove', flush.path, '--command', 'nosuchcommand', '-o', '/nonexistent/x']);
    expect(nomatch.exitCode).toBe(0);
    expect(nomatch.stdout).toBe(`no command matches: nothing to remove in ${flush.path}; nothing written\n`);
    expect((await runCli(['remove', flush.path, '--command', 'set', '--first', '--last', '--dry-run'])).exitCode).toBe(64);
  });
});
