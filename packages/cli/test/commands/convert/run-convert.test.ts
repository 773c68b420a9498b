import { Buffer } from 'node:buffer';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { corpusAof, removeScratch, scratchDir } from '../../aof-corpus.js';
import { canonicalFromDump, corpusFile, expectedKeys } from '../../corpus.js';
import { corpusDigest, fileDigest } from '../../dataset-oracle.js';
import { runCli } from '../../run-cli.js';

import type { CanonicalKey, DumpLine } from '../../corpus.js';

function dumpLines(text: string): DumpLine[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as DumpLine);
}

/** Every key of a dump, canonical (streams at the detail RDB 9 holds: no 7.0 counters). */
function canonicalKeys(lines: DumpLine[], detail: 'full' | '6'): Map<string, CanonicalKey> {
  const out = new Map<string, CanonicalKey>();
  for (const l of lines) {
    const k = canonicalFromDump(l, detail);
    out.set(`${k.db}:${k.key}`, k);
  }
  return out;
}

describe('rfx convert', () => {
  afterAll(removeScratch);

  it('RDB -> RDB 9 of 7.0.15 rdb-full: needs --lossy for the function libraries; read back, every key equals the source', async () => {
    const src = corpusFile('7.0.15', 'rdb-full.rdb');
    const out = join(scratchDir(), 'v9.rdb');
    const strict = await runCli(['convert', src, '--to', 'rdb', '--rdb-version', '9', '-o', out]);
    expect(strict.exitCode).toBe(65);
    expect(strict.stderr).toContain('RDB_UNREPRESENTABLE');
    expect(strict.stderr).toMatch(/function library "corpuslib2?": functions need RDB 10 \(Redis 7\.0\); the target is RDB 9/);
    expect(strict.stderr).toContain('pass --lossy to leave out what the target version cannot hold');
    expect(existsSync(out)).toBe(false);

    const run = await runCli(['convert', src, '--to', 'rdb', '--rdb-version', '9', '--lossy', '-o', out]);
    expect(run.exitCode).toBe(0);
    const lines = run.stderr.split('\n').filter((l) => l !== '');
    expect(lines.filter((l) => !l.includes('lost the metadata of')).sort()).toEqual([
      'rfx convert: left out: function library "corpuslib": functions need RDB 10 (Redis 7.0); the target is RDB 9',
      'rfx convert: left out: function library "corpuslib2": functions need RDB 10 (Redis 7.0); the target is RDB 9',
    ]);
    // Type 15 has no entries-added or max-deleted-id: every stream whose values (as the server
    // reported them in XINFO STREAM FULL) differ from what a loader derives is listed, with them.
    const streams = readFileSync(corpusFile('7.0.15', 'rdb-full.expected.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"stream"'));
    const changed = streams.flatMap((l) => {
      const o = JSON.parse(l) as { key: string; xinfo_full: unknown[] };
      const info = new Map<unknown, unknown>();
      for (let i = 0; i < o.xinfo_full.length; i += 2) info.set(o.xinfo_full[i], o.xinfo_full[i + 1]);
      const added = info.get('entries-added');
      const maxDeleted = info.get('max-deleted-entry-id');
      return added !== info.get('length') || maxDeleted !== '0-0' ? [[Buffer.from(o.key, 'base64').toString(), `${maxDeleted}`, `entries-added ${added}`]] : [];
    });
    expect(changed.length).toBeGreaterThan(0);
    const metadata = lines.filter((l) => l.includes('lost the metadata of'));
    expect(metadata).toHaveLength(changed.length);
    for (const [name, maxDeleted, added] of changed) {
      const line = metadata.find((l) => l.includes(`"${name!}"`)) ?? '';
      expect(line).toContain(`max-deleted-id ${maxDeleted!}`);
      expect(line).toContain(added);
    }
    expect(readFileSync(out).subarray(0, 9).toString('latin1')).toBe('REDIS0009');
    expect((await runCli(['check', out])).exitCode).toBe(0);
    // Our reader reads it back equal to the source, key by key (dump of each, canonical).
    const before = canonicalKeys(dumpLines((await runCli(['dump', src])).stdout), '6');
    const after = canonicalKeys(dumpLines((await runCli(['dump', out])).stdout), '6');
    expect(after.size).toBe(expectedKeys('7.0.15', 'rdb-full').size);
    expect(after).toEqual(before);
    // rfx diff agrees: the keys are equal; only the two libraries are gone.
    const diff = await runCli(['diff', src, out, '--json']);
    expect(diff.exitCode).toBe(1);
    expect(diff.stdout).toBe('{"function":"corpuslib","change":"removed"}\n{"function":"corpuslib2","change":"removed"}\n');
    expect(await fileDigest(out, 'rdb', '7.0.15')).toBe(corpusDigest('7.0.15', 'rdb-full'));
  });

  it('RDB 12 with hash field TTLs -> RDB 11: exit 65 naming the key; --lossy: exit 0, the loss listed, the fields kept without TTL', async () => {
    const src = corpusFile('7.4.1', 'rdb-full.rdb');
    const out = join(scratchDir(), 'v11.rdb');
    const strict = await runCli(['convert', src, '--to', 'rdb', '--rdb-version', '11', '-o', out]);
    expect(strict.exitCode).toBe(65);
    expect(strict.stderr).toContain('key "hash:hfe_small": hash field TTLs (4 of 6 fields have one) need RDB 12 (Redis 7.4); the target is RDB 11');
    expect(existsSync(out)).toBe(false);

    const run = await runCli(['convert', src, '--to', 'rdb', '--rdb-version', '11', '--lossy', '-o', out]);
    expect(run.exitCode).toBe(0);
    const lost = run.stderr.split('\n').filter((l) => l !== '');
    expect(lost).toContain('rfx convert: lost the field TTLs of: db 0 "hash:hfe_small": hash field TTLs (4 of 6 fields have one) need RDB 12 (Redis 7.4); the target is RDB 11');
    expect(lost.map((l) => /"(hash:[^"]+)"/.exec(l)![1]).sort()).toEqual(['hash:hfe_all', 'hash:hfe_large', 'hash:hfe_large_val', 'hash:hfe_small']);
    expect(run.stdout).toContain('RDB version 11 (Redis 7.2 and later load it), 1,111 keys');
    expect(run.stdout).toContain('left out: 4 things the target cannot hold (listed on stderr)');
    const back = dumpLines((await runCli(['dump', out, '--match', 'hash:hfe_small'])).stdout);
    expect(back[0]!.value).toEqual([
      ['c', '3'],
      ['b', '2'],
      ['a', '1'],
      ['f_after', '1'],
      ['d', '4'],
      ['e', '5'],
    ]);
    const diff = await runCli(['diff', src, out, '--json', '--max-elements', '100']);
    expect(diff.exitCode).toBe(1);
    const changed = dumpLines(diff.stdout) as unknown as { key: string; elements: { op: string; expireAt: [number | null, number | null] }[] }[];
    expect(changed.map((c) => c.key).sort()).toEqual(['hash:hfe_all', 'hash:hfe_large', 'hash:hfe_large_val', 'hash:hfe_small']);
    for (const c of changed) for (const e of c.elements) expect(e.expireAt[1]).toBeNull();
  });

  it('RDB -> AOF, then diff against the RDB: equal (exit 0); the AOF replays to the server\'s digest', async () => {
    const src = corpusFile('7.0.15', 'rdb-full.rdb');
    const out = join(scratchDir(), 'full.aof');
    const run = await runCli(['convert', src, '--to', 'aof', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/wrote .*full\.aof: AOF for Redis 7\.0\.15, [\d,]+ commands/);
    const diff = await runCli(['diff', src, out]);
    expect(diff.stdout).toContain('equal: the same 10,106 keys and 2 function libraries, with the same values and TTLs');
    expect(diff.exitCode).toBe(0);
    expect(await fileDigest(out, 'aof', '7.0.15')).toBe(corpusDigest('7.0.15', 'rdb-full'));
    // Redis 7.0 forms: %.17g scores (fpconv_dtoa came with 7.2), XSETID with ENTRIESADDED.
    expect(readFileSync(out, 'latin1')).toContain('ENTRIESADDED');
  });

  it('AOF (7.0.15 aof-plain.aofdir) -> RDB, then diff with the AOF: equal; every key is the server\'s', async () => {
    const c = corpusAof('7.0.15', 'aof-plain');
    const out = join(scratchDir(), 'plain.rdb');
    const run = await runCli(['convert', c.path, '--to', 'rdb', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('RDB version 10 (Redis 7.0 and later load it), 106 keys');
    expect((await runCli(['check', out])).exitCode).toBe(0);
    const diff = await runCli(['diff', c.path, out]);
    expect(diff.exitCode).toBe(0);
    expect(await fileDigest(out, 'rdb', '7.0.15')).toBe(corpusDigest('7.0.15', 'aof-plain'));
    const expected = expectedKeys('7.0.15', 'aof-plain');
    const got = canonicalKeys(dumpLines((await runCli(['dump', out])).stdout), 'full');
    expect(got.size).toBe(expected.size);
    for (const [id, k] of got) {
      const e = expected.get(id)!;
      expect(e, id).toBeDefined();
      expect({ ...k, expireApprox: e.expireApprox, stream: e.stream === null ? null : k.stream }, id).toEqual(e);
    }
  });

  it('--to jsonl of an RDB file: byte for byte what rfx dump prints', async () => {
    for (const [version, name] of [
      ['7.4.1', 'rdb-full'],
      ['5.0.14', 'rdb-module'],
    ] as const) {
      const src = corpusFile(version, `${name}.rdb`);
      const out = join(scratchDir(), 'keys.jsonl');
      const run = await runCli(['convert', src, '--to', 'jsonl', '-o', out]);
      expect(run.exitCode).toBe(0);
      expect(readFileSync(out).equals((await runCli(['dump', src])).stdoutBytes)).toBe(true);
    }
  });

  it('--to jsonl of an AOF: the replayed keys, in dump\'s format, equal the server\'s', async () => {
    const c = corpusAof('7.4.1', 'aof-timestamp');
    const out = join(scratchDir(), 'keys.jsonl');
    const run = await runCli(['convert', c.path, '--to', 'jsonl', '-o', out]);
    expect(run.exitCode).toBe(0);
    const expected = expectedKeys('7.4.1', 'aof-timestamp');
    const got = canonicalKeys(dumpLines(readFileSync(out, 'utf8')), 'full');
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, k] of got) {
      const e = expected.get(id)!;
      expect({ ...k, expireApprox: e.expireApprox, stream: e.stream === null ? null : k.stream }, id).toEqual(e);
    }
  });

  it('AOF -> AOF with --until-index; --dry-run writes nothing', async () => {
    const c = corpusAof('7.0.15', 'aof-timestamp');
    const out = join(scratchDir(), 'cut.aof');
    const dry = await runCli(['convert', c.path, '--to', 'aof', '--until-index', '200', '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/dry run: AOF for Redis 7\.0, [\d,]+ commands, [\d,]+ bytes .*; nothing written/);
    const run = await runCli(['convert', c.path, '--to', 'aof', '--until-index', '200', '-o', out]);
    expect(run.exitCode).toBe(0);
    expect((await runCli(['diff', c.path, out, '--a-until-index', '200'])).exitCode).toBe(0);
  });

  it('--to aof for a Redis that lacks some commands: one warning per library and key on stderr, the AOF still written', async () => {
    const run = await runCli(['convert', corpusFile('7.4.1', 'rdb-full.rdb'), '--to', 'aof', '--redis-version', '6.2', '--dry-run']);
    expect(run.exitCode).toBe(0);
    const warnings = run.stderr.split('\n').filter((l) => l !== '');
    expect(warnings).toContain('rfx convert: warning: function library "corpuslib": function libraries (FUNCTION LOAD) need Redis 7.0; the target is Redis 6.2, which stops loading the AOF there');
    expect(warnings).toContain('rfx convert: warning: key "hash:hfe_small" in db 0: hash field TTLs (HPEXPIREAT) need Redis 7.4; the target is Redis 6.2, which stops loading the AOF there');
    expect(warnings).toHaveLength(6);
  });

  it('Usage: --until-* with an RDB input, --lossy without --to rdb, bad --rdb-version (exit 64); existing output (exit 73)', async () => {
    const src = corpusFile('7.4.1', 'rdb-full.rdb');
    const until = await runCli(['convert', src, '--to', 'aof', '--until-index', '3', '--dry-run']);
    expect(until.exitCode).toBe(64);
    expect(until.stderr).toContain('replay an AOF; ');
    expect((await runCli(['convert', src, '--to', 'aof', '--lossy', '--dry-run'])).exitCode).toBe(64);
    expect((await runCli(['convert', src, '--to', 'rdb', '--rdb-version', '5', '--dry-run'])).exitCode).toBe(64);
    expect((await runCli(['convert', src, '-o', join(scratchDir(), 'x')])).exitCode).toBe(64); // no --to
    const dir = scratchDir();
    const out = join(dir, 'exists.rdb');
    writeFileSync(out, 'keep');
    const exists = await runCli(['convert', src, '--to', 'rdb', '-o', out]);
    expect(exists.exitCode).toBe(73);
    expect(readFileSync(out, 'utf8')).toBe('keep');
    expect((await runCli(['convert', src, '--to', 'rdb', '-o', out, '--force'])).exitCode).toBe(0);
    expect(Buffer.compare(readFileSync(out).subarray(0, 9), Buffer.from('REDIS0012'))).toBe(0);
  });
});
