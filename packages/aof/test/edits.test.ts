// Edits against real AOFs from the corpus: repair of truncated tails (the verdict of the result
// must be clean and the kept prefix byte-identical), FLUSHALL removal that takes out exactly the
// bytes the corpus metadata names, point-in-time truncation, and output safety.

import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { openAof, planRemove, planRepair, planTruncate, writeEditedAof } from '@redis-forensics/aof';
import { collect } from '@redis-forensics/testkit';

import type { AofCommandEvent, AofFileEndEvent } from '@redis-forensics/aof';

const CORPUS = fileURLToPath(new URL('../../../fixtures/corpus', import.meta.url));
const versions = readdirSync(CORPUS).filter((v) => statSync(join(CORPUS, v)).isDirectory()).sort();
const scratch = (): string => mkdtempSync(join(tmpdir(), 'rfx-edit-'));

function input(version: string, name: string): string {
  const dir = join(CORPUS, version);
  const f = readdirSync(dir).find((x) => x === `${name}.aof` || x === `${name}.aofdir`);
  if (f === undefined) throw new Error(`${version} has no ${name}`);
  return join(dir, f);
}

async function verdicts(path: string): Promise<AofFileEndEvent[]> {
  return (await collect(openAof(path))).filter((e): e is AofFileEndEvent => e.type === 'fileEnd');
}

const truncatedVersions = versions.filter((v) => readdirSync(join(CORPUS, v)).some((f) => f.startsWith('aof-truncated.')));

describe('repair', () => {
  it.each(truncatedVersions.flatMap((v) => [[v, 'aof-truncated'], [v, 'aof-truncated-multi']]))('%s %s: cut to validUpTo, result clean, prefix identical', async (version, name) => {
    const src = input(version, name);
    const before = await verdicts(src);
    const last = before.at(-1)!;
    expect(last.status).toBe('truncated');
    const r = await planRepair(src);
    expect(r.refusal).toBeNull();
    expect(r.cutTail).toMatchObject({ validUpTo: last.validUpTo, size: last.size });
    const out = join(scratch(), src.endsWith('.aof') ? 'out.aof' : 'out.aofdir');
    const res = await writeEditedAof(r.plan, { output: out });
    expect(res.bytesRemoved).toBe(last.size - last.validUpTo);
    const after = await verdicts(out);
    expect(after.every((e) => e.status === 'complete')).toBe(true);
    expect(after.at(-1)!.size).toBe(last.validUpTo);
    // The kept part is the input's prefix, byte for byte, and the input is untouched.
    const srcLast = src.endsWith('.aof') ? src : join(src, last.file);
    const outLast = src.endsWith('.aof') ? out : join(out, last.file);
    expect(readFileSync(outLast).equals(readFileSync(srcLast).subarray(0, last.validUpTo))).toBe(true);
    expect((await verdicts(src)).at(-1)!.status).toBe('truncated');
  });

  it('Output exists: refused without force, replaced with force', async () => {
    const src = input('7.4.1', 'aof-truncated');
    const r = await planRepair(src);
    const out = join(scratch(), 'out.aofdir');
    await writeEditedAof(r.plan, { output: out });
    await expect(writeEditedAof(r.plan, { output: out })).rejects.toMatchObject({ name: 'OutputExistsError' });
    await writeEditedAof(r.plan, { output: out, force: true });
    expect((await verdicts(out)).at(-1)!.status).toBe('complete');
  });

  it('In place with a backup: the file is cut, the backup holds the original', async () => {
    const dir = scratch();
    cpSync(input('6.2.16', 'aof-truncated'), join(dir, 'a.aof'));
    const original = readFileSync(join(dir, 'a.aof'));
    const r = await planRepair(join(dir, 'a.aof'));
    const res = await writeEditedAof(r.plan, { inPlace: true, backupSuffix: '.bak' });
    expect(res.backups).toEqual([join(dir, 'a.aof.bak')]);
    expect(readFileSync(join(dir, 'a.aof.bak')).equals(original)).toBe(true);
    expect(readFileSync(join(dir, 'a.aof')).equals(original.subarray(0, r.cutTail!.validUpTo))).toBe(true);
  });

  it('Mid-file corruption: refused; with salvage the bad region is skipped and reported', async () => {
    const dir = scratch();
    const src = readFileSync(input('6.2.16', 'aof-flushall'));
    // Overwrite a '$' length prefix in the middle with garbage.
    const at = src.indexOf(Buffer.from('$'), 10_000);
    const bad = Buffer.from(src);
    bad[at] = 0x21; // '!'
    writeFileSync(join(dir, 'bad.aof'), bad);
    const refused = await planRepair(join(dir, 'bad.aof'));
    expect(refused.refusal?.code).toBe('RESP_BAD_PREFIX');
    expect(refused.refusal?.offset).toBe(at);
    const salvaged = await planRepair(join(dir, 'bad.aof'), { salvage: true });
    expect(salvaged.refusal).toBeNull();
    expect(salvaged.skipped).toHaveLength(1);
    const s = salvaged.skipped[0]!;
    expect(s.offset).toBeLessThan(at);
    expect(s.end).toBeGreaterThan(at);
    expect(bad.subarray(s.end, s.end + 1).toString()).toBe('*');
    const out = join(dir, 'fixed.aof');
    await writeEditedAof(salvaged.plan, { output: out });
    expect((await verdicts(out)).at(-1)!.status).toBe('complete');
    expect(readFileSync(out).equals(Buffer.concat([bad.subarray(0, s.offset), bad.subarray(s.end)]))).toBe(true);
  });
});

describe('remove FLUSHALL', () => {
  it.each(versions)('%s aof-flushall: exactly the bytes of flushall_at are removed', async (version) => {
    const src = input(version, 'aof-flushall');
    const meta = JSON.parse(readFileSync(join(CORPUS, version, 'aof-flushall.meta.json'), 'utf8')) as { flushall_at: { file: string; offset: number; length: number }[] };
    const at = meta.flushall_at.at(-1)!;
    const isFlushall = (ev: AofCommandEvent): boolean => Buffer.from(ev.argv[0]!).toString().toUpperCase() === 'FLUSHALL';
    const r = await planRemove(src, isFlushall, 'last');
    expect(r.removed).toHaveLength(1);
    expect(r.removed[0]!.offset).toBe(at.offset);
    expect(r.removed[0]!.end - r.removed[0]!.offset).toBe(at.length);
    expect(r.commandsAfter).toBeGreaterThan(0);
    const out = join(scratch(), src.endsWith('.aof') ? 'out.aof' : 'out.aofdir');
    await writeEditedAof(r.plan, { output: out });
    const changed = join(CORPUS, version, at.file);
    const outFile = src.endsWith('.aof') ? out : join(out, at.file.split('/').at(-1)!);
    const orig = readFileSync(changed);
    expect(readFileSync(outFile).equals(Buffer.concat([orig.subarray(0, at.offset), orig.subarray(at.offset + at.length)]))).toBe(true);
    if (!src.endsWith('.aof')) {
      // Every other file of the directory, the manifest included, is byte-identical.
      for (const n of readdirSync(src)) if (!at.file.endsWith(n)) expect(readFileSync(join(out, n)).equals(readFileSync(join(src, n)))).toBe(true);
    }
  });
});

describe('remove inside MULTI', () => {
  const multiAof = (): string => {
    const dir = scratch();
    const cmd = (...a: string[]): string => `*${a.length}\r\n${a.map((x) => `$${Buffer.byteLength(x)}\r\n${x}\r\n`).join('')}`;
    const text = cmd('SET', 'a', '1') + cmd('MULTI') + cmd('FLUSHALL') + cmd('EXEC') + cmd('MULTI') + cmd('SET', 'b', '2') + cmd('FLUSHALL') + cmd('EXEC') + cmd('SET', 'c', '3');
    writeFileSync(join(dir, 'm.aof'), text);
    return join(dir, 'm.aof');
  };
  const flush = (ev: AofCommandEvent): boolean => Buffer.from(ev.argv[0]!).toString() === 'FLUSHALL';

  it('Only command of a block: MULTI and EXEC go too', async () => {
    const src = multiAof();
    const r = await planRemove(src, flush, 'first');
    expect(r.removed).toHaveLength(1);
    expect(r.removed[0]!.block).not.toBeNull();
    const out = `${src}.out`;
    await writeEditedAof(r.plan, { output: out });
    const text = readFileSync(out, 'latin1');
    expect(text.match(/MULTI/g)).toHaveLength(1);
    expect(text.match(/FLUSHALL/g)).toHaveLength(1);
    expect((await verdicts(out))[0]!.status).toBe('complete');
  });

  it('One of two commands of a block: the block stays, valid', async () => {
    const src = multiAof();
    const r = await planRemove(src, flush, 'last');
    expect(r.removed[0]!.block).toBeNull();
    const out = `${src}.out`;
    await writeEditedAof(r.plan, { output: out });
    const text = readFileSync(out, 'latin1');
    expect(text.match(/MULTI/g)).toHaveLength(2);
    expect(text.match(/FLUSHALL/g)).toHaveLength(1);
    const events = await collect(openAof(out));
    expect(events.filter((e) => e.type === 'command').map((e) => (e.type === 'command' ? Buffer.from(e.argv[0]!).toString() : ''))).toEqual(['SET', 'MULTI', 'FLUSHALL', 'EXEC', 'MULTI', 'SET', 'EXEC', 'SET']);
  });
});

describe('truncate', () => {
  it('7.4.1 aof-timestamp to a mid timestamp: cut at the first later #TS line', async () => {
    const src = input('7.4.1', 'aof-timestamp');
    const events = await collect(openAof(src));
    const stamps = events.filter((e) => e.type === 'annotation' && e.timestamp !== null) as { file: string; offset: number; timestamp: number }[];
    expect(stamps.length).toBeGreaterThan(2);
    const target = stamps[1]!;
    const t = await planTruncate(src, { toTimestamp: target.timestamp });
    const next = stamps.find((s) => s.timestamp > target.timestamp)!;
    expect(t.cutAt).toEqual({ file: next.file, offset: next.offset });
    const out = join(scratch(), 'out.aofdir');
    await writeEditedAof(t.plan, { output: out });
    const after = await collect(openAof(out));
    expect(after.filter((e) => e.type === 'command')).toHaveLength(t.commandsKept);
    expect(after.every((e) => e.type !== 'annotation' || e.timestamp === null || e.timestamp <= target.timestamp)).toBe(true);
  });

  it('To an index in the base file: later incr files are dropped from a new manifest', async () => {
    const src = input('7.4.1', 'aof-plain');
    const t = await planTruncate(src, { toIndex: 5 });
    expect(t.droppedFiles.map((p) => p.split('/').at(-1))).toEqual(['appendonly.aof.2.incr.aof']);
    const out = join(scratch(), 'out.aofdir');
    await writeEditedAof(t.plan, { output: out });
    expect(readFileSync(join(out, 'appendonly.aof.manifest'), 'latin1')).toBe('file appendonly.aof.2.base.aof seq 2 type b\n');
    const after = await collect(openAof(out));
    expect(after.filter((e) => e.type === 'command')).toHaveLength(5);
  });
});
