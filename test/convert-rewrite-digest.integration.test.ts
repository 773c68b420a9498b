// Issue 4 "Done means", refereed by the installed redis-server (Debian's 7.0.15 on CI): every
// output of `rfx rewrite` and `rfx convert` is loaded by the real server through its own load path
// (a fresh server per output: --appendonly yes on the written file/appendonlydir, or --dbfilename
// on the written RDB) and must hold the dataset the ORIGINAL held, by DEBUG DIGEST.
//
// Inputs
// - every corpus AOF (fixtures/corpus/<version>/aof-*.aof and aof-*.aofdir) and every corpus RDB
//   whose dataset the installed server can hold. Exclusion rule, by content of the writing
//   server's own view (<case>.expected.jsonl): a key with hash field TTLs (`field_expire_at_ms`,
//   Redis 7.4+) or of a module type (no module is loaded here) excludes the case. Nothing else
//   does: newer-server cases without such keys (7.2.6, Valkey 8, the small 7.4/8.0 datasets) are
//   in, their RDB-holding outputs written with `--redis-version <installed>` because the installed
//   server cannot read RDB 11/12. Each excluded case gets a test that rfx itself refuses (or warns)
//   when asked to write it for the installed server.
// - generated workloads: written by the installed server itself with appendonly on (the full
//   dataset + BGREWRITEAOF to an RDB base + a random dataset on top; random datasets with a RESP
//   base in between), so their AOF dirs are real server output too.
//
// The oracle of a dataset is always a real server's:
// - the corpus `<case>.digest` (DEBUG DIGEST of the server that loaded the original; for
//   aof-flushall the file as it is, i.e. after the FLUSHALL; for aof-truncated* what the server
//   kept after dropping the partial tail) when the installed server digests the same way. DEBUG
//   DIGEST mixes zset scores as text: `%.17g` up to 7.0, fpconv_dtoa from 7.2 (debug.c
//   xorObjectDigest), so a 7.2+ digest is comparable only when every score prints alike in both;
//   otherwise (the full datasets of 7.2.6 and Valkey 8) the check is key by key against
//   `<case>.expected.jsonl`: same keys, types, PEXPIRETIME, values (scores as doubles, where the
//   oracle's text cannot tell -0 from 0) and DEBUG DIGEST-VALUE of every non-zset key;
// - for generated workloads, DEBUG DIGEST of a fresh server that loaded the workload's AOF.
// One thing no command stream can carry into a 7.0 server: the sign of a -0 score in a zset it
// keeps as a listpack (after `ZADD z -0 m` on 7.0, ZRANGE shows 0 and DEBUG DIGEST-VALUE equals
// that of `ZADD z 0 m`: integral scores go into the listpack as integers; 2.4-6.2 kept "-0", so
// their zset:small_scores has it, and an RDB carries it into 7.0). A RESP-only output (rewrite, rewrite --multi-part,
// convert --to aof) whose digest differs is therefore refereed by Redis's own BGREWRITEAOF of the
// same dataset: it passes only if its digest is exactly that rewrite's and every key that rewrite
// changes is such a listpack zset. A -0 in a skiplist zset CAN be carried (ZADD into a skiplist
// keeps it), so losing it is an rfx bug (KNOWN_BUGS).
// The replay is told which release wrote the AOF (`--source-version`), as the user would: a 3.2
// server keeps the commands of an unfinished MULTI, 4.0+ drop them (aof-truncated-multi).
//
// Steps (one test each, so that a known bug marks exactly one test `it.fails`):
// AOF input:  rewrite | rewrite --preamble | rewrite --multi-part | rewrite --multi-part --preamble
//             | convert --to rdb (redis-check-rdb, then load) | that RDB -> convert --to aof
//             | convert --to rdb --rdb-version 9
// RDB input:  convert --to aof | convert --to rdb | convert --to rdb --rdb-version 9
// The RDB 9 step reads the output back with readRdb and compares it key by key with the
// default-version output (types, TTLs, values; stream fields type 15 cannot hold are as its loader
// derives them, FORMAT.md 3.7), checks the 6.x-era structure (REDIS0009, no FUNCTION2, only type
// bytes 5.0-6.2 write: ziplist hashes/zsets, quicklist of ziplists, STREAM_LISTPACKS, no
// `aof-base` AUX, a 5.x/6.x redis-ver), that the functions are the only things --lossy reports
// (and that without --lossy rfx refuses exactly when there are functions), then has
// redis-check-rdb check it and the server load it with the original's digest.

import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from '@redis-forensics/cli';
import {
  openRdb,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_ZIPLIST,
} from '@redis-forensics/rdb';
import {
  aofLoadProblems,
  compareVersions,
  datasetSpecArb,
  expectedKeyObject,
  findRedisTool,
  loadedFromAof,
  parseServerScore,
  readServerView,
  redisServerVersion,
  rewriteAofAndWait,
  runCommands,
  runRedisCheckRdb,
  serverDigest,
  serverTestsSkipped,
  startRedisServer,
  startRedisServerOnAof,
  withServer,
  writeFullDataset,
  writeRandomDataset,
} from '@redis-forensics/testkit';

import type { CliIo } from '@redis-forensics/cli';
import type { RdbKeyEvent, StreamMeta } from '@redis-forensics/rdb';
import type { RedisServerHandle, ServerView } from '@redis-forensics/testkit';

const CORPUS = fileURLToPath(new URL('../fixtures/corpus', import.meta.url));

/**
 * Known rfx bugs, by `<case id> :: <step id>`: those tests run as `it.fails`, so the file stays
 * green while the bug is open and turns red the day it is fixed. Each entry names the bug.
 */
const KNOWN_BUGS: Readonly<Record<string, string>> = {};

// ---------------------------------------------------------------------------------------------
// rfx in-process, as packages/cli/test/run-cli.ts runs it (main(argv, io) with captured output),
// with the real clock: the server that loads the output judges TTLs by the real clock too.

class CaptureStream extends Writable {
  readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer | string, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk));
    callback();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

interface RfxRun {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function rfx(argv: string[], now: number = Date.now()): Promise<RfxRun> {
  const stdout = new CaptureStream();
  const stderr = new CaptureStream();
  const io: CliIo = { stdout, stderr, isTTY: false, stderrIsTTY: false, colorLevel: 0, env: {}, now: () => now, columns: 100, stdinIsTTY: false };
  const exitCode = await main(argv, io);
  return { argv, exitCode, stdout: stdout.text(), stderr: stderr.text() };
}

/** Run rfx and require exit 0. */
async function rfxOk(argv: string[], now?: number): Promise<RfxRun> {
  const run = await rfx(argv, now);
  expect(run.exitCode, `rfx ${argv.join(' ')} exited ${run.exitCode}\n${run.stdout}${run.stderr}`).toBe(0);
  return run;
}

// ---------------------------------------------------------------------------------------------
// Scratch space and servers.

let scratchRoot: string | undefined;
let scratchSeq = 0;
/** A fresh empty directory under this file's scratch root (removed in afterAll). */
function scratch(label: string): string {
  scratchRoot ??= mkdtempSync(join(tmpdir(), 'rfx-digest-'));
  const dir = join(scratchRoot, `${String(++scratchSeq).padStart(4, '0')}-${label.replace(/[^\w.-]+/g, '_')}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The installed redis-server's version ('0.0.0' when it is missing: starting it then fails with the install hint). */
const INSTALLED: string = findRedisTool('redis-server') === undefined ? '0.0.0' : redisServerVersion();

// ---------------------------------------------------------------------------------------------
// Oracles.

/** C's `%.17g`, the score text of DEBUG DIGEST up to 7.0 (and of ZRANGE replies up to 7.0). */
function formatG17(d: number): string {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const [mantissa, expText] = d.toExponential(16).split('e') as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 17) return `${mantissa.replace(/\.?0+$/, '')}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const fixed = d.toFixed(16 - exp);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** The Redis release whose semantics a corpus folder's server has (Valkey 8 is Redis 7.2.4 to clients). */
function corpusRelease(folder: string): string {
  if (folder.startsWith('valkey-')) return '7.2.4';
  if (folder === '7.4-rc2') return '7.4.0';
  if (folder === '8.0-m01') return '8.0.0';
  return folder;
}

/** How DEBUG DIGEST of a release prints zset scores (debug.c xorObjectDigest). */
const digestScoreStyle = (release: string): 'g17' | 'fpconv' => (compareVersions(release, '7.2.0') >= 0 ? 'fpconv' : 'g17');

/** One key as the oracle knows it, in a form both sides can be put in. */
interface OracleKey {
  id: string;
  type: string;
  expireAt: number | null;
  /** The oracle's TTL came from PTTL at read time (before 7.0): compare with a few seconds' slack. */
  expireApprox: boolean;
  /** JSON of the value (zset scores as `%.17g` of the double, -0 as 0). */
  value: string;
  /** DEBUG DIGEST-VALUE, when comparable with the installed server's. */
  digestValue: string | null;
}

/** What a loaded output must hold. */
interface Oracle {
  /** Where it comes from, for messages. */
  source: string;
  /** DEBUG DIGEST the installed server must show, or null when only the key-by-key check applies. */
  digest: string | null;
  keys: Map<string, OracleKey>;
}

/** A line of a corpus `*.expected.jsonl` (key lines only). */
interface ExpectedLine {
  db: number;
  key: string;
  type: string;
  expire_at_ms: number | null;
  expire_approx?: boolean;
  value: unknown;
  digest_value?: string;
  field_expire_at_ms?: Record<string, number>;
}

function readExpected(path: string): ExpectedLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ExpectedLine & { functions?: unknown })
    .filter((o) => o.functions === undefined && typeof o.key === 'string');
}

const CORE_TYPES = new Set(['string', 'list', 'set', 'zset', 'hash', 'stream']);

/** Why the installed server cannot hold a dataset (the exclusion rule), or null. */
function unloadableReason(lines: readonly ExpectedLine[]): string | null {
  const hfe = lines.filter((l) => l.field_expire_at_ms !== undefined && Object.keys(l.field_expire_at_ms).length > 0);
  if (hfe.length > 0) return `${hfe.length} hashes with field TTLs (Redis 7.4+)`;
  const modules = [...new Set(lines.filter((l) => !CORE_TYPES.has(l.type)).map((l) => l.type))];
  if (modules.length > 0) return `module types ${modules.join(', ')}`;
  return null;
}

function canonicalValue(type: string, value: unknown): string {
  if (type !== 'zset') return JSON.stringify(value);
  return JSON.stringify((value as [string, string][]).map(([m, s]) => [m, formatG17(parseServerScore(s) || 0)]));
}

function oracleKeyOf(line: ExpectedLine, digestComparable: boolean): OracleKey {
  return {
    id: `db ${line.db} key ${JSON.stringify(Buffer.from(line.key, 'base64').toString('latin1'))}`,
    type: line.type,
    expireAt: line.expire_at_ms,
    expireApprox: line.expire_approx === true,
    value: canonicalValue(line.type, line.value),
    digestValue: line.digest_value !== undefined && (digestComparable || line.type !== 'zset') ? line.digest_value : null,
  };
}

/** The oracle of a corpus case: its digest when the installed server digests alike, else key by key. */
function corpusOracle(folder: string, name: string): Oracle {
  const lines = readExpected(join(CORPUS, folder, `${name}.expected.jsonl`));
  const digest = readFileSync(join(CORPUS, folder, `${name}.digest`), 'utf8').trim();
  const writerStyle = digestScoreStyle(corpusRelease(folder));
  const sameStyle = writerStyle === digestScoreStyle(INSTALLED);
  // The expected files print scores the way the writer's DEBUG DIGEST does (%.17g up to 7.0,
  // fpconv_dtoa from 7.2); a g17 server digests a fpconv writer's dataset alike iff every score prints alike.
  const alike =
    sameStyle ||
    (writerStyle === 'fpconv' &&
      lines.every((l) => l.type !== 'zset' || (l.value as [string, string][]).every(([, s]) => formatG17(parseServerScore(s)) === s)));
  const keys = new Map<string, OracleKey>();
  for (const l of lines) keys.set(`${l.db}:${l.key}`, oracleKeyOf(l, alike));
  return {
    source: alike ? `${folder}/${name}.digest` : `${folder}/${name}.expected.jsonl, key by key (its ${writerStyle} score digest is not comparable)`,
    digest: alike ? digest : null,
    keys,
  };
}

/** Differences between what a server holds and the oracle (at most `limit`). */
function diffAgainstOracle(view: ServerView, oracle: Oracle, limit: number = 25): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const k of view.keys) {
    const o = expectedKeyObject(k) as unknown as ExpectedLine;
    const id = `${k.db}:${o.key}`;
    seen.add(id);
    const want = oracle.keys.get(id);
    const got = oracleKeyOf({ ...o, expire_at_ms: k.expireAt }, true);
    if (want === undefined) {
      out.push(`${got.id}: not in the original (${got.type})`);
      continue;
    }
    if (got.type !== want.type) out.push(`${want.id}: type ${got.type}, the original's ${want.type}`);
    else if (got.value !== want.value) out.push(`${want.id}: value ${got.value.slice(0, 300)}, the original's ${want.value.slice(0, 300)}`);
    else if (want.digestValue !== null && got.digestValue !== want.digestValue) out.push(`${want.id}: DEBUG DIGEST-VALUE ${got.digestValue}, the original's ${want.digestValue}`);
    const ttlOk =
      want.expireAt === null || got.expireAt === null ? want.expireAt === got.expireAt : want.expireApprox ? Math.abs(want.expireAt - got.expireAt) <= 5_000 : want.expireAt === got.expireAt;
    if (!ttlOk) out.push(`${want.id}: expire at ${got.expireAt}, the original's ${want.expireAt}`);
  }
  for (const [id, want] of oracle.keys) if (!seen.has(id)) out.push(`${want.id}: missing (${want.type})`);
  return out.slice(0, limit);
}

/**
 * The loaded dataset must be the original's: DEBUG DIGEST, or key by key when digests are not
 * comparable. A RESP-only output passes `referee`: when its digest differs, it must then equal the
 * digest of Redis's own rewrite of the dataset, which must differ from the original in zsets only.
 */
async function expectOriginal(server: RedisServerHandle, oracle: Oracle, what: string, referee?: () => Promise<Referee>): Promise<void> {
  if (oracle.digest !== null) {
    const digest = await serverDigest(server);
    if (digest === oracle.digest) return;
    let refereeNote = '';
    if (referee !== undefined) {
      const ref = await referee();
      // Excused only: what no command stream can carry into this server (the sign of a zero score
      // in a zset it keeps as a listpack), and only when Redis's own rewrite loses exactly as much.
      const inherent = ref.changed.length > 0 && ref.changed.every((k) => k.type === 'zset' && (k.encoding === 'listpack' || k.encoding === 'ziplist'));
      if (ref.digest !== oracle.digest && inherent && digest === ref.digest) return;
      refereeNote = `; Redis's own rewrite of the same dataset loads with ${ref.digest} (keys it changes: ${ref.changed.map((k) => `${k.id} (${k.type}, ${k.encoding})`).join(', ') || 'none'})`;
    }
    const diffs = diffAgainstOracle(await readServerView(server.client, { digest: true }), oracle);
    expect.fail(`${what}: DEBUG DIGEST ${digest}, the original's (${oracle.source}) is ${oracle.digest}${refereeNote}; key by key:\n  ${diffs.join('\n  ') || '(no difference the oracle file can show)'}`);
  }
  const diffs = diffAgainstOracle(await readServerView(server.client, { digest: true }), oracle);
  expect(diffs, `${what} vs ${oracle.source}`).toEqual([]);
}

/** Load a single-file AOF (plain or with an RDB preamble) as a legacy appendonly.aof. */
async function expectAofFileLoads(path: string, oracle: Oracle, what: string, referee?: () => Promise<Referee>): Promise<void> {
  const dir = scratch('load-aof');
  cpSync(path, join(dir, 'appendonly.aof'));
  await expectAofDirLoads(dir, oracle, what, referee);
}

/** Load `<dir>/appendonlydir` or `<dir>/appendonly.aof` with --appendonly yes (aof-load-truncated no). */
async function expectAofDirLoads(dir: string, oracle: Oracle, what: string, referee?: () => Promise<Referee>): Promise<void> {
  await withServer(
    () => startRedisServerOnAof(dir),
    async (s) => {
      const log = s.log();
      expect(loadedFromAof(log), `${what}: the server did not say it loaded the AOF:\n${log}`).toBe(true);
      expect(aofLoadProblems(log), `${what}: the server complained while loading`).toEqual([]);
      await expectOriginal(s, oracle, what, referee);
    },
  );
}

/** What Redis's own AOF rewrite (no preamble) of a dataset gives when loaded back. */
interface Referee {
  digest: string;
  /** Keys whose DEBUG DIGEST-VALUE the round trip through Redis's own RESP rewrite changed, with their encoding before it. */
  changed: { id: string; type: string; encoding: string }[];
}

function digestValues(view: ServerView): Map<string, { id: string; type: string; encoding: string; digest: string }> {
  const m = new Map<string, { id: string; type: string; encoding: string; digest: string }>();
  for (const k of view.keys) {
    m.set(`${k.db}:${k.key.toString('hex')}`, { id: `db ${k.db} key ${JSON.stringify(k.key.toString('latin1'))}`, type: k.type, encoding: k.encoding, digest: k.digestValue ?? '' });
  }
  return m;
}

async function persistenceInfo(s: RedisServerHandle): Promise<string> {
  return ((await s.call('INFO', 'persistence')) as Buffer).toString('latin1');
}

/**
 * Redis's own BGREWRITEAOF as the referee of a RESP-only output: some datasets cannot be written as
 * commands for the installed server at all (7.0 keeps a ZADD score of -0 in a listpack as 0, so a
 * -0 that 6.2 kept in a small zset becomes 0 through any ZADD; Redis's own rewrite loses it the
 * same way; see the file comment for which losses are excused). The dataset is put in a server
 * by loading the RDB of `convert --to rdb` (which must show the original's digest: its own test
 * checks that), rewritten by Redis (CONFIG SET appendonly yes, aof-use-rdb-preamble no), and
 * loaded back from that AOF with DEBUG LOADAOF.
 */
function redisRewriteReferee(c: DatasetCase): Promise<Referee> {
  let p = referees.get(c.id);
  if (p === undefined) {
    p = (async () => {
      const dir = scratch('referee');
      cpSync(await rdbForServer(c), join(dir, 'dump.rdb'));
      return withServer(
        () => startRedisServer({ config: [['dir', dir], ['dbfilename', 'dump.rdb'], ['aof-use-rdb-preamble', 'no'], ['auto-aof-rewrite-percentage', 0]] }),
        async (s) => {
          const loaded = await serverDigest(s);
          if (loaded !== c.oracle().digest) throw new Error(`${c.id}: no referee: the RDB of convert --to rdb loads with ${loaded}, not the original's ${c.oracle().digest}`);
          const before = digestValues(await readServerView(s.client, { digest: true }));
          await s.call('CONFIG', 'SET', 'appendonly', 'yes');
          const deadline = Date.now() + 60_000;
          for (;;) {
            const info = await persistenceInfo(s);
            if (/aof_enabled:1/.test(info) && /aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) {
              expect(info).toMatch(/aof_last_bgrewrite_status:ok/);
              break;
            }
            if (Date.now() > deadline) throw new Error(`Redis's rewrite did not finish:\n${info}`);
            await new Promise((r) => setTimeout(r, 20));
          }
          expect(readdirSync(join(dir, 'appendonlydir')).some((f) => f.endsWith('.base.aof')), 'Redis wrote a RESP base').toBe(true);
          await s.call('DEBUG', 'LOADAOF');
          const after = digestValues(await readServerView(s.client, { digest: true }));
          const changed: Referee['changed'] = [];
          for (const [k, v] of before) if (after.get(k)?.digest !== v.digest) changed.push({ id: v.id, type: v.type, encoding: v.encoding });
          for (const [k, v] of after) if (!before.has(k)) changed.push({ id: v.id, type: v.type, encoding: 'new' });
          return { digest: await serverDigest(s), changed };
        },
      );
    })();
    referees.set(c.id, p);
  }
  return p;
}

const referees = new Map<string, Promise<Referee>>();

/** redis-check-rdb passes, then a server loads the RDB (--dbfilename) with the original's dataset. */
async function expectRdbLoads(path: string, oracle: Oracle, what: string): Promise<void> {
  const check = await runRedisCheckRdb(path);
  expect(check.ok, `${what}: redis-check-rdb rejects it:\n${check.output}`).toBe(true);
  const dir = scratch('load-rdb');
  cpSync(path, join(dir, 'dump.rdb'));
  await withServer(
    () => startRedisServer({ config: [['dir', dir], ['dbfilename', 'dump.rdb']] }),
    async (s) => {
      expect(s.log(), `${what}: the server did not load the RDB`).toMatch(/DB loaded from disk/);
      await expectOriginal(s, oracle, what);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// RDB read-back: whole keys in a comparable form, and the 6.x-era structure of RDB 9.

interface RdbReadBack {
  version: number;
  magic: string;
  aux: Map<string, string>;
  functions: string[];
  opcodes: Set<string>;
  rdbTypes: Map<number, number>;
  keys: Map<string, string>;
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const idText = (id: { ms: bigint; seq: bigint }): string => `${id.ms}-${id.seq}`;

interface OpenKey {
  head: RdbKeyEvent;
  parts: RdbKeyEvent['value'][];
}

/**
 * A stream's metadata as a type-15 (RDB 9) loader knows it: first id from the data, no
 * max-deleted id, entries-added = length, entries-read unknown, no active-time (FORMAT.md 3.7).
 */
function asType15(meta: StreamMeta, firstLive: string): unknown {
  return {
    length: meta.length,
    lastId: idText(meta.lastId),
    firstId: firstLive,
    maxDeletedId: '0-0',
    entriesAdded: meta.length,
    groups: meta.groups.map((g) => ({
      name: hex(g.name),
      lastId: idText(g.lastId),
      entriesRead: null,
      pending: g.pending.map((p) => [idText(p.id), p.deliveryTime, p.deliveryCount, p.consumer === null ? null : hex(p.consumer)]),
      consumers: g.consumers.map((c) => [hex(c.name), c.seenTime, null, c.pending.map(idText)]),
    })),
  };
}

function streamMetaJson(meta: StreamMeta): unknown {
  return {
    length: meta.length,
    lastId: idText(meta.lastId),
    firstId: idText(meta.firstId),
    maxDeletedId: idText(meta.maxDeletedId),
    entriesAdded: meta.entriesAdded,
    groups: meta.groups.map((g) => ({
      name: hex(g.name),
      lastId: idText(g.lastId),
      entriesRead: g.entriesRead,
      pending: g.pending.map((p) => [idText(p.id), p.deliveryTime, p.deliveryCount, p.consumer === null ? null : hex(p.consumer)]),
      consumers: g.consumers.map((c) => [hex(c.name), c.seenTime, c.activeTime, c.pending.map(idText)]),
    })),
  };
}

/** A whole key as JSON; streams' metadata as a type-15 loader would know it when `type15`. */
function keyJson(head: RdbKeyEvent, parts: RdbKeyEvent['value'][], type15: boolean): string {
  const all = <T>(pick: (v: RdbKeyEvent['value']) => T[]): T[] => parts.flatMap(pick);
  let value: unknown;
  switch (head.value.kind) {
    case 'string':
      value = hex((parts[0] as { value: Uint8Array }).value);
      break;
    case 'list':
      value = all((v) => (v.kind === 'list' ? v.elements.map(hex) : []));
      break;
    case 'set':
      value = all((v) => (v.kind === 'set' ? v.members.map(hex) : [])).sort();
      break;
    case 'zset':
      value = all((v) => (v.kind === 'zset' ? v.entries.map((e) => [hex(e.member), formatG17(e.score)]) : [])).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
      break;
    case 'hash':
      value = all((v) => (v.kind === 'hash' ? v.entries.map((e) => [hex(e.field), hex(e.value), e.expireAt]) : [])).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
      break;
    case 'stream': {
      const entries = all((v) => (v.kind === 'stream' ? v.entries.map((e) => [idText(e.id), e.fields.map(hex)] as [string, string[]]) : []));
      const meta = parts.map((v) => (v.kind === 'stream' ? v.meta : null)).filter((m) => m !== null).at(-1) ?? null;
      value = { entries, meta: meta === null ? null : type15 ? asType15(meta, entries[0]?.[0] ?? '0-0') : streamMetaJson(meta) };
      break;
    }
    case 'module':
      value = { module: head.value.module.moduleName, payload: hex((parts[0] as { module: { payload: Uint8Array } }).module.payload) };
      break;
  }
  return JSON.stringify({ type: head.redisType, expireAt: head.expireAt, lruIdle: head.lruIdle, lfuFreq: head.lfuFreq, value });
}

/** Read an RDB file back with our parser; `type15` puts streams in the form a type-15 loader knows. */
async function readBack(path: string, type15: boolean): Promise<RdbReadBack> {
  const out: RdbReadBack = { version: 0, magic: '', aux: new Map(), functions: [], opcodes: new Set(), rdbTypes: new Map(), keys: new Map() };
  let open: OpenKey | undefined;
  for await (const ev of openRdb(path)) {
    out.opcodes.add(ev.type);
    if (ev.type === 'header') {
      out.version = ev.version;
      out.magic = ev.magic;
    } else if (ev.type === 'aux') out.aux.set(Buffer.from(ev.key).toString('latin1'), Buffer.from(ev.value).toString('latin1'));
    else if (ev.type === 'function') out.functions.push(ev.libraryName ?? '?');
    else if (ev.type === 'key') {
      // Parts of one key arrive together; their byte arrays may be views into the reader's
      // buffers, so each part is copied before the next event is pulled.
      if (ev.part === undefined || ev.part.index === 0) {
        open = { head: { ...ev, key: ev.key.slice() }, parts: [] };
        out.rdbTypes.set(ev.rdbType, (out.rdbTypes.get(ev.rdbType) ?? 0) + 1);
      }
      open!.parts.push(copyValue(ev.value));
      if (ev.part === undefined || ev.part.last) {
        out.keys.set(`${open!.head.db}:${hex(open!.head.key)}`, keyJson(open!.head, open!.parts, type15));
        open = undefined;
      }
    }
  }
  return out;
}

/** A deep copy of a value's byte arrays (the reader may reuse its buffers). */
function copyValue(v: RdbKeyEvent['value']): RdbKeyEvent['value'] {
  const c = (b: Uint8Array): Uint8Array => b.slice();
  switch (v.kind) {
    case 'string': return { kind: 'string', value: c(v.value) };
    case 'list': return { kind: 'list', elements: v.elements.map(c) };
    case 'set': return { kind: 'set', members: v.members.map(c) };
    case 'zset': return { kind: 'zset', entries: v.entries.map((e) => ({ member: c(e.member), score: e.score })) };
    case 'hash': return { kind: 'hash', entries: v.entries.map((e) => ({ field: c(e.field), value: c(e.value), expireAt: e.expireAt })) };
    case 'stream': return { kind: 'stream', entries: v.entries.map((e) => ({ id: e.id, fields: e.fields.map(c) })), meta: v.meta };
    case 'module': return { kind: 'module', module: { ...v.module, payload: c(v.module.payload) } };
  }
}

/** The type bytes Redis 5.0-6.2 write (rdbSaveObjectType): hash-table, intset, ziplist and quicklist-v1 forms, STREAM_LISTPACKS. */
const RDB9_WRITTEN_TYPES = new Set<number>([
  RDB_TYPE_STRING,
  RDB_TYPE_SET,
  RDB_TYPE_HASH,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_ZSET_ZIPLIST,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_STREAM_LISTPACKS,
]);

/** AUX fields Redis 5.0-6.2 write in a standalone RDB (rdbSaveInfoAuxFields). */
const RDB9_AUX = new Set(['redis-ver', 'redis-bits', 'ctime', 'used-mem', 'repl-stream-db', 'repl-id', 'repl-offset', 'aof-preamble']);

/** Where two JSON texts first differ, with some context. */
function whereDiffer(a: string, b: string, nameA: string, nameB: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 120);
  return `at char ${i}: ${nameA} ...${a.slice(from, i + 120)}...\n    ${nameB} ...${b.slice(from, i + 120)}...`;
}

/** Libraries named in `left out: function library "<name>"` lines of rfx convert. */
function reportedFunctionLosses(stderr: string): string[] {
  return [...stderr.matchAll(/left out: function library "([^"]*)"/g)].map((m) => m[1]!);
}

/**
 * Every "left out" / "lost" line of rfx convert, except stream metadata an RDB 9 stream has no
 * room for (reported, never refused: the stream itself is kept; the key-by-key comparison below
 * checks the rest of the stream).
 */
function reportedLosses(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /left out|lost the/.test(l) && !/stream metadata an RDB 9 stream has no room for/.test(l));
}

/**
 * `--rdb-version 9` against the default-version output: refused without --lossy exactly when there
 * are functions, only the functions reported with it, the same keys key by key, the 6.x-era
 * structure, and redis-check-rdb and the server accept it with the original's dataset.
 */
async function checkRdb9(input: string, extraArgs: string[], defaultRdb: string, oracle: Oracle, what: string, now: number): Promise<void> {
  const def = await readBack(defaultRdb, false);
  const dir = scratch('rdb9');
  const out = join(dir, 'v9.rdb');
  const strict = await rfx(['convert', input, '--to', 'rdb', '--rdb-version', '9', ...extraArgs, '-o', out, '--yes'], now);
  let lossy: RfxRun | undefined;
  if (def.functions.length > 0) {
    expect(strict.exitCode, `${what}: without --lossy, functions must stop RDB 9 output\n${strict.stdout}${strict.stderr}`).toBe(65);
    expect(strict.stderr).toMatch(/RDB_UNREPRESENTABLE.*functions need RDB 10/);
    expect(existsSync(out), `${what}: a refused conversion must not leave ${out}`).toBe(false);
    lossy = await rfxOk(['convert', input, '--to', 'rdb', '--rdb-version', '9', '--lossy', ...extraArgs, '-o', out, '--yes'], now);
    expect(reportedFunctionLosses(lossy.stderr).sort(), `${what}: --lossy must report exactly the function libraries`).toEqual([...def.functions].sort());
    expect(reportedLosses(lossy.stderr).length, `${what}: only functions may be left out:\n${lossy.stderr}`).toBe(def.functions.length);
  } else {
    expect(strict.exitCode, `${what}: rfx convert --rdb-version 9\n${strict.stdout}${strict.stderr}`).toBe(0);
    expect(reportedLosses(strict.stderr), `${what}: nothing may be left out`).toEqual([]);
  }

  const v9 = await readBack(out, true);
  // 6.x-era structure (FORMAT.md 1.2-1.6, 3.7, 4.1, 4.5).
  expect(v9.magic, what).toBe('REDIS');
  expect(v9.version, what).toBe(9);
  expect(v9.functions, `${what}: FUNCTION2 records in RDB 9`).toEqual([]);
  expect(v9.opcodes.has('slotInfo'), `${what}: SLOT_INFO in RDB 9`).toBe(false);
  const badTypes = [...v9.rdbTypes.keys()].filter((t) => !RDB9_WRITTEN_TYPES.has(t));
  expect(badTypes, `${what}: type bytes 5.0-6.2 never write`).toEqual([]);
  expect([...v9.aux.keys()].filter((k) => !RDB9_AUX.has(k)), `${what}: AUX fields 5.0-6.2 never write (aof-base is 7.0+)`).toEqual([]);
  expect(v9.aux.get('redis-ver') ?? '', `${what}: redis-ver of an RDB 9 file`).toMatch(/^[56]\./);

  // Key by key: the default-version output, with stream fields type 15 cannot hold as its loader derives them.
  const want = new Map<string, string>();
  const defType15 = await readBack(defaultRdb, true);
  for (const [k, v] of defType15.keys) want.set(k, v);
  const diffs: string[] = [];
  for (const [k, v] of want) {
    const got = v9.keys.get(k);
    if (got === undefined) diffs.push(`${k}: missing from RDB 9`);
    else if (got !== v) diffs.push(`${k}: ${whereDiffer(got, v, 'RDB 9', 'default')}`);
  }
  for (const k of v9.keys.keys()) if (!want.has(k)) diffs.push(`${k}: only in RDB 9`);
  expect(diffs.slice(0, 20), `${what}: RDB 9 read back vs the default-version output (${def.version})`).toEqual([]);

  await expectRdbLoads(out, oracle, `${what} (RDB 9)`);
}

// ---------------------------------------------------------------------------------------------
// The cases.

interface DatasetCase {
  /** `<folder>/<file>` or `generated/<name>`. */
  id: string;
  kind: 'aof' | 'rdb';
  /** The release that wrote it (what --source-version says for an AOF). */
  release: string;
  /** Why it is left out, or null. */
  excluded: string | null;
  /** The input (built in beforeAll for generated workloads). */
  path: () => string;
  oracle: () => Oracle;
}

function corpusCases(): DatasetCase[] {
  const out: DatasetCase[] = [];
  for (const folder of readdirSync(CORPUS).sort()) {
    if (!statSync(join(CORPUS, folder)).isDirectory()) continue;
    for (const file of readdirSync(join(CORPUS, folder)).sort()) {
      const m = /^((?:aof|rdb)-[\w-]+)\.(aof|aofdir|rdb)$/.exec(file);
      if (m === null) continue;
      const name = m[1]!;
      const lines = readExpected(join(CORPUS, folder, `${name}.expected.jsonl`));
      let oracle: Oracle | undefined;
      out.push({
        id: `${folder}/${file}`,
        kind: m[2] === 'rdb' ? 'rdb' : 'aof',
        release: corpusRelease(folder),
        excluded: unloadableReason(lines),
        path: () => join(CORPUS, folder, file),
        oracle: () => (oracle ??= corpusOracle(folder, name)),
      });
    }
  }
  return out;
}

/** Arguments that make RDB-holding output loadable by the installed server when the input is newer. */
function targetArgs(c: DatasetCase): string[] {
  return compareVersions(c.release, INSTALLED) > 0 ? ['--redis-version', INSTALLED] : [];
}

function sourceArgs(c: DatasetCase): string[] {
  return c.kind === 'aof' ? ['--source-version', c.release] : [];
}

/**
 * One clock per case: AOF replays stamp consumers' seen-time with the load time (as Redis does), so
 * the default-version and RDB 9 outputs of one case must be made at the same `now`.
 */
const clocks = new Map<string, number>();
function caseNow(c: DatasetCase): number {
  let now = clocks.get(c.id);
  if (now === undefined) {
    now = Date.now();
    clocks.set(c.id, now);
  }
  return now;
}

const memo = new Map<string, Promise<string>>();
function once(key: string, make: () => Promise<string>): Promise<string> {
  let p = memo.get(key);
  if (p === undefined) {
    p = make();
    memo.set(key, p);
  }
  return p;
}

/** `rfx convert IN --to rdb` for the installed server (the step's RDB, reused by RDB -> AOF). */
function rdbForServer(c: DatasetCase): Promise<string> {
  return once(`server-rdb ${c.id}`, async () => {
    const out = join(scratch('to-rdb'), 'x.rdb');
    await rfxOk(['convert', c.path(), '--to', 'rdb', ...sourceArgs(c), ...targetArgs(c), '-o', out, '--yes'], caseNow(c));
    return out;
  });
}

/** `rfx convert IN --to rdb` with no target: the default-version output. */
function defaultRdb(c: DatasetCase): Promise<string> {
  if (targetArgs(c).length === 0) return rdbForServer(c);
  return once(`default-rdb ${c.id}`, async () => {
    const out = join(scratch('default-rdb'), 'default.rdb');
    await rfxOk(['convert', c.path(), '--to', 'rdb', ...sourceArgs(c), '-o', out, '--yes'], caseNow(c));
    return out;
  });
}

interface Step {
  /** Short name, the key of {@link KNOWN_BUGS} with the case id. */
  id: string;
  title: string;
  run: (c: DatasetCase) => Promise<void>;
}

const AOF_STEPS: Step[] = [
  {
    id: 'rewrite',
    title: 'rewrite: the plain AOF loads with the original\'s digest',
    run: async (c) => {
      const out = join(scratch('rewrite'), 'appendonly.aof');
      await rfxOk(['rewrite', c.path(), ...sourceArgs(c), '-o', out, '--yes'], caseNow(c));
      await expectAofFileLoads(out, c.oracle(), `${c.id} rewrite`, () => redisRewriteReferee(c));
    },
  },
  {
    id: 'rewrite --preamble',
    title: 'rewrite --preamble: the AOF with an RDB preamble loads with the original\'s digest',
    run: async (c) => {
      const out = join(scratch('rewrite-preamble'), 'appendonly.aof');
      await rfxOk(['rewrite', c.path(), '--preamble', ...sourceArgs(c), ...targetArgs(c), '-o', out, '--yes'], caseNow(c));
      expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('REDIS');
      await expectAofFileLoads(out, c.oracle(), `${c.id} rewrite --preamble`);
    },
  },
  {
    id: 'rewrite --multi-part',
    title: 'rewrite --multi-part: the new appendonlydir loads with the original\'s digest',
    run: async (c) => {
      const dir = scratch('rewrite-multi');
      await rfxOk(['rewrite', c.path(), '--multi-part', ...sourceArgs(c), '-o', join(dir, 'appendonlydir'), '--yes'], caseNow(c));
      await expectAofDirLoads(dir, c.oracle(), `${c.id} rewrite --multi-part`, () => redisRewriteReferee(c));
    },
  },
  {
    id: 'rewrite --multi-part --preamble',
    title: 'rewrite --multi-part --preamble: the appendonlydir with an RDB base loads with the original\'s digest',
    run: async (c) => {
      const dir = scratch('rewrite-multi-preamble');
      await rfxOk(['rewrite', c.path(), '--multi-part', '--preamble', ...sourceArgs(c), ...targetArgs(c), '-o', join(dir, 'appendonlydir'), '--yes'], caseNow(c));
      expect(readdirSync(join(dir, 'appendonlydir')).some((f) => f.endsWith('.base.rdb'))).toBe(true);
      await expectAofDirLoads(dir, c.oracle(), `${c.id} rewrite --multi-part --preamble`);
    },
  },
  {
    id: 'convert --to rdb',
    title: 'convert --to rdb: redis-check-rdb passes and the server loads it with the original\'s digest',
    run: async (c) => {
      await expectRdbLoads(await rdbForServer(c), c.oracle(), `${c.id} convert --to rdb`);
    },
  },
  {
    id: 'convert --to rdb | convert --to aof',
    title: 'convert --to rdb, then that RDB --to aof: the AOF loads with the original\'s digest',
    run: async (c) => {
      const out = join(scratch('rdb-to-aof'), 'appendonly.aof');
      await rfxOk(['convert', await rdbForServer(c), '--to', 'aof', '-o', out, '--yes'], caseNow(c));
      await expectAofFileLoads(out, c.oracle(), `${c.id} convert --to rdb | convert --to aof`, () => redisRewriteReferee(c));
    },
  },
  {
    id: 'convert --to rdb --rdb-version 9',
    title: 'convert --to rdb --rdb-version 9: read back key by key as the default version, 6.x structure, loads with the original\'s digest',
    run: async (c) => {
      await checkRdb9(c.path(), sourceArgs(c), await defaultRdb(c), c.oracle(), `${c.id} --rdb-version 9`, caseNow(c));
    },
  },
];

const RDB_STEPS: Step[] = [
  {
    id: 'convert --to aof',
    title: 'convert --to aof: the AOF loads with the original\'s digest',
    run: async (c) => {
      const out = join(scratch('rdb-aof'), 'appendonly.aof');
      await rfxOk(['convert', c.path(), '--to', 'aof', ...targetArgs(c), '-o', out, '--yes'], caseNow(c));
      await expectAofFileLoads(out, c.oracle(), `${c.id} convert --to aof`, () => redisRewriteReferee(c));
    },
  },
  {
    id: 'convert --to rdb',
    title: 'convert --to rdb: redis-check-rdb passes and the server loads it with the original\'s digest',
    run: async (c) => {
      await expectRdbLoads(await rdbForServer(c), c.oracle(), `${c.id} convert --to rdb`);
    },
  },
  {
    id: 'convert --to rdb --rdb-version 9',
    title: 'convert --to rdb --rdb-version 9: read back key by key as the default version, 6.x structure, loads with the original\'s digest',
    run: async (c) => {
      await checkRdb9(c.path(), [], await defaultRdb(c), c.oracle(), `${c.id} --rdb-version 9`, caseNow(c));
    },
  },
];

function stepTests(cases: readonly DatasetCase[]): void {
  for (const c of cases) {
    describe(c.id, () => {
      for (const step of c.kind === 'aof' ? AOF_STEPS : RDB_STEPS) {
        const bug = KNOWN_BUGS[`${c.id} :: ${step.id}`];
        if (bug !== undefined) it.fails(`${step.title} [known bug: ${bug}]`, () => step.run(c));
        else it(step.title, () => step.run(c));
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Generated workloads, written by the installed server with appendonly on.

const Y2100_MS = 4102444800000;

/** Start a server with AOF on, run `write`, and keep a copy of its appendonlydir. */
async function recordWorkload(name: string, preamble: boolean, write: (s: RedisServerHandle) => Promise<void>): Promise<string> {
  const dir = scratch(`workload-${name}`);
  await withServer(
    () =>
      startRedisServer({
        config: [['appendonly', 'yes'], ['appendfsync', 'always'], ['aof-use-rdb-preamble', preamble ? 'yes' : 'no'], ['auto-aof-rewrite-percentage', 0]],
      }),
    async (s) => {
      await write(s);
      cpSync(join(s.dir, 'appendonlydir'), join(dir, 'appendonlydir'), { recursive: true });
    },
  );
  return join(dir, 'appendonlydir');
}

/** The oracle of a workload: what a fresh server holds after loading (a copy of) its AOF. */
async function workloadOracle(aofDir: string, name: string): Promise<Oracle> {
  const dir = scratch(`oracle-${name}`);
  cpSync(aofDir, join(dir, 'appendonlydir'), { recursive: true });
  return withServer(
    () => startRedisServerOnAof(dir),
    async (s) => {
      expect(loadedFromAof(s.log()), s.log()).toBe(true);
      const view = await readServerView(s.client, { digest: true });
      const keys = new Map<string, OracleKey>();
      for (const k of view.keys) {
        const o = expectedKeyObject(k) as unknown as ExpectedLine;
        keys.set(`${k.db}:${o.key}`, oracleKeyOf({ ...o, expire_at_ms: k.expireAt }, true));
      }
      expect(keys.size, `${name}: the workload must not be empty`).toBeGreaterThan(20);
      return { source: `generated/${name} loaded by redis-server ${s.version}`, digest: await serverDigest(s), keys };
    },
  );
}

/** A random dataset (datasetSpecArb, fast-check seed) moved to dbs from `firstDb`. */
async function writeRandomAt(s: RedisServerHandle, seed: number, firstDb: number): Promise<void> {
  const spec = fc.sample(fc.noBias(datasetSpecArb({ maxKeys: 60, maxDb: 3 })), { seed, numRuns: 1 })[0]!;
  await writeRandomDataset(s.client, { ...spec, keys: spec.keys.map((k) => ({ ...k, db: k.db + firstDb })) });
}

const WORKLOADS: { name: string; preamble: boolean; write: (s: RedisServerHandle) => Promise<void> }[] = [
  {
    // Every type and encoding 7.0 makes (PLAIN quicklist nodes, -0 and denormal scores, streams with
    // groups/PELs/consumers, functions, TTLs), rewritten into an RDB base, then random keys on top.
    name: 'full-dataset-rdb-base-then-random',
    preamble: true,
    write: async (s) => {
      await writeFullDataset(s.client, { bulkKeys: 300, seed: 4 });
      await rewriteAofAndWait(s);
      await writeRandomAt(s, 20261121, 2);
      await runCommands(s.client, [['SELECT', 0], ['DEL', 'string:short'], ['PEXPIREAT', 'list:small', Y2100_MS + 7], ['SELECT', 0]]);
    },
  },
  {
    // Random datasets only, with a RESP base in between and a FLUSHDB after it.
    name: 'random-resp-base-then-random',
    preamble: false,
    write: async (s) => {
      await writeRandomAt(s, 7, 0);
      await writeRandomAt(s, 99, 4);
      await rewriteAofAndWait(s);
      await writeRandomAt(s, 1337, 8);
      await runCommands(s.client, [['SELECT', 5], ['FLUSHDB'], ['SELECT', 0]]);
    },
  },
];

// ---------------------------------------------------------------------------------------------

const ALL = corpusCases();
const INCLUDED = ALL.filter((c) => c.excluded === null);
const EXCLUDED = ALL.filter((c) => c.excluded !== null);

if (serverTestsSkipped()) {
  console.warn('!!! RFX_SKIP_SERVER_TESTS=1: rfx rewrite/convert outputs of the corpus and generated workloads were NOT loaded into redis-server, nor checked by redis-check-rdb');
  describe.skip('rfx rewrite / convert: DEBUG DIGEST of every output (skipped: RFX_SKIP_SERVER_TESTS=1, no redis-server)', () => {
    it('Not run', () => {});
  });
} else {
  afterAll(() => {
    if (scratchRoot !== undefined) rmSync(scratchRoot, { recursive: true, force: true });
  });

  describe('rfx rewrite / convert of the corpus: the installed redis-server loads every output with the original\'s DEBUG DIGEST', () => {
    it('The exclusion rule leaves out only datasets with hash field TTLs or module types, and keeps loadable newer-server cases', () => {
      expect(EXCLUDED.every((c) => /field TTLs|module types/.test(c.excluded!))).toBe(true);
      // Newer servers' cases the installed server can hold are in.
      for (const id of ['7.2.6/aof-plain.aofdir', '7.2.6/aof-preamble.aofdir', 'valkey-8.0.1/aof-timestamp.aofdir', '7.4.1/aof-flushall.aofdir', '8.0-m01/aof-truncated-multi.aofdir', '7.2.6/rdb-full.rdb', '7.4.1/rdb-cluster.rdb']) {
        expect(INCLUDED.map((c) => c.id)).toContain(id);
      }
    });

    it('Oracles: the corpus digest wherever the installed server digests scores alike; key by key only for the 7.2+ full datasets', () => {
      const perKey = INCLUDED.filter((c) => c.oracle().digest === null).map((c) => c.id);
      if (digestScoreStyle(INSTALLED) === 'g17') {
        expect(perKey.sort()).toEqual(
          ['7.2.6', 'valkey-8.0.1'].flatMap((v) => [`${v}/aof-plain.aofdir`, `${v}/aof-preamble.aofdir`, `${v}/aof-timestamp.aofdir`, `${v}/rdb-full.rdb`]).sort(),
        );
      }
      for (const c of INCLUDED) expect(c.oracle().keys.size, c.id).toBeGreaterThan(0);
    });

    stepTests(INCLUDED);

    describe('excluded cases: rfx refuses (or warns) when asked to write them for the installed server', () => {
      for (const c of EXCLUDED) {
        it(`${c.id} (${c.excluded})`, async () => {
          const dir = scratch('excluded');
          if (/field TTLs/.test(c.excluded!)) {
            const run = await rfx(['convert', c.path(), '--to', 'rdb', ...sourceArgs(c), '--redis-version', INSTALLED, '-o', join(dir, 'x.rdb'), '--yes']);
            expect(run.exitCode, run.stderr).toBe(65);
            expect(run.stderr).toMatch(/RDB_UNREPRESENTABLE.*hash field TTLs/);
          } else {
            const run = await rfxOk(['convert', c.path(), '--to', 'aof', '-o', join(dir, 'x.aof'), '--yes']);
            expect(run.stderr).toMatch(/module value of type \S+ cannot be recreated with commands/);
          }
        });
      }
    });
  });

  describe('rfx rewrite / convert of generated workloads (written by the installed redis-server)', () => {
    const built = new Map<string, { path: string; oracle: Oracle }>();
    beforeAll(async () => {
      for (const w of WORKLOADS) {
        const path = await recordWorkload(w.name, w.preamble, w.write);
        built.set(w.name, { path, oracle: await workloadOracle(path, w.name) });
      }
    }, 120_000);

    stepTests(
      WORKLOADS.map((w) => ({
        id: `generated/${w.name}`,
        kind: 'aof' as const,
        release: INSTALLED,
        excluded: null,
        path: () => built.get(w.name)!.path,
        oracle: () => built.get(w.name)!.oracle,
      })),
    );
  });
}
