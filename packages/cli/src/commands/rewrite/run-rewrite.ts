// rfx rewrite: what BGREWRITEAOF does, without a server. The AOF is replayed into a keyspace (up
// to a point in time, if asked), and the smallest command stream that recreates that dataset is
// written: a plain AOF, a single file whose content is an RDB preamble, or a new appendonlydir
// (base + empty incr + manifest), as Redis 7's rewrite leaves it.
// Source of truth: redis/src/aof.c rewriteAppendOnlyFile, rewriteAppendOnlyFileRio,
// rewriteAppendOnlyFileBackground (aof-use-rdb-preamble), getNewBaseFileNameAndMarkPreAsHistory.

import { formatManifest } from '@redis-forensics/aof';
import { keyspaceToEvents } from '@redis-forensics/keyspace';
import { writeRdb } from '@redis-forensics/rdb';
import { writeDirAtomic } from '@redis-forensics/core';
import { rewriteAof } from '@redis-forensics/rewrite';

import { loadAofDataset, requiredRelease } from '../../dataset-input.js';
import { laterRelease, parseRedisRelease, redisTarget } from '../../redis-target.js';
import { withTargetWarnings } from '../../target-warnings.js';
import { UsageError } from '../../usage-error.js';
import { countBytes, writeOrCount } from '../../write-files.js';

import type { AofManifest } from '@redis-forensics/aof';
import type { Keyspace } from '@redis-forensics/keyspace';
import type { RdbWriteEvent } from '@redis-forensics/rdb';
import type { RewriteStats } from '@redis-forensics/rewrite';
import type { LoadedDataset } from '../../dataset-input.js';
import type { RedisRelease, RedisTarget } from '../../redis-target.js';
import type { ProgressReporter } from '../../render/progress.js';
import type { ReplayPoint } from '../../replay-point.js';
import type { OutputFile } from '@redis-forensics/core';

/** The AOF base name Redis uses by default (`appendfilename`). */
export const AOF_BASENAME = 'appendonly.aof';

/** What `rfx rewrite` does. */
export interface RewriteOptions {
  /** The AOF: a file, an appendonlydir, its manifest, or a file inside it. */
  path: string;
  /** Replay up to this point (see replay-point.ts). */
  point?: ReplayPoint | undefined;
  skipUnsupported?: boolean;
  /** Clock in ms (relative times in commands). */
  now: number;
  /** The release that wrote the input (default: its RDB part's `redis-ver`, else its layout). */
  sourceVersion?: string | undefined;
  /** The release the output is for (default: the input's). */
  redisVersion?: string | undefined;
  /** Write the dataset as an RDB preamble. */
  preamble: boolean;
  /** Write a new appendonlydir. */
  multiPart: boolean;
  progress?: ProgressReporter | undefined;
}

/** The replayed dataset and what will be written for it. */
export interface RewritePlan {
  path: string;
  dataset: LoadedDataset;
  target: RedisTarget;
  /** Whether the target came from --redis-version or from the input (raised to 7.0 for --multi-part, 4.0 for --preamble). */
  targetFrom: 'option' | 'input';
  preamble: boolean;
  multiPart: boolean;
  /** The input: commands in the files Redis loads and their bytes. */
  before: { commands: number; bytes: number; files: number };
  keys: number;
  dbs: number;
  functions: number;
}

/** One file of the output. */
export interface RewriteFile {
  /** Path (under the output directory for --multi-part), or just the name for a dry run. */
  path: string;
  kind: 'aof' | 'rdb-preamble' | 'base-aof' | 'base-rdb' | 'incr' | 'manifest';
  bytes: number;
  commands: number;
}

/** What was written (or, for a dry run, would be). */
export interface RewriteResult {
  /** null for a dry run. */
  output: string | null;
  files: RewriteFile[];
  /** The AOF files (not the manifest): commands and bytes. */
  after: { commands: number; bytes: number };
  /** What the rewrite could not express (module values, ...). */
  warnings: string[];
}

/**
 * The target --redis-version names, checked against --multi-part and --preamble.
 * @throws {@link UsageError}
 */
function explicitTarget(options: RewriteOptions): RedisTarget | undefined {
  if (options.redisVersion === undefined) return undefined;
  let target: RedisTarget;
  try {
    target = redisTarget(parseRedisRelease(options.redisVersion));
  } catch (e) {
    throw new UsageError(`--redis-version: ${(e as Error).message}`, '');
  }
  if (options.multiPart && !target.multiPart) throw new UsageError(`--multi-part writes an appendonlydir, which Redis loads from 7.0 on; --redis-version is ${options.redisVersion}`, '');
  if (options.preamble && target.preambleAux === null) throw new UsageError(`--preamble needs Redis 4.0 or later; --redis-version is ${options.redisVersion}`, '');
  return target;
}

/** The target: --redis-version, else the input's release (raised to what the output layout needs). */
function targetOf(options: RewriteOptions, dataset: LoadedDataset): { target: RedisTarget; from: 'option' | 'input' } {
  const explicit = explicitTarget(options);
  if (explicit !== undefined) return { target: explicit, from: 'option' };
  let release: RedisRelease;
  try {
    release = parseRedisRelease(dataset.serverVersion ?? '7.0.0');
  } catch {
    release = { major: 7, minor: 0, patch: 0 }; // a redis-ver that is not a version: assume the first multi-part release
  }
  // The oldest release the input's own can be raised to that holds the data (hash field TTLs in
  // an AOF whose layout only says "7.0 or later" make it 7.4).
  release = laterRelease(release, requiredRelease(dataset.keyspace));
  const below = (major: number, minor: number): boolean => release.major < major || (release.major === major && release.minor < minor);
  if (options.multiPart && below(7, 0)) release = { major: 7, minor: 0, patch: 0 };
  if (options.preamble && below(4, 0)) release = { major: 4, minor: 0, patch: 0 };
  if (below(2, 6)) release = { major: 2, minor: 6, patch: 0 };
  return { target: redisTarget(release), from: 'input' };
}

/**
 * Replay the AOF; nothing is written.
 * @throws {@link UsageError} for a bad point or target; FormatError for a corrupt AOF;
 *   UnsupportedCommandError; Node I/O errors
 */
export async function planRewrite(options: RewriteOptions): Promise<RewritePlan> {
  explicitTarget(options); // a bad target fails before the replay
  const dataset = await loadAofDataset(options.path, {
    point: options.point,
    skipUnsupported: options.skipUnsupported ?? false,
    now: options.now,
    sourceVersion: options.sourceVersion,
    progress: options.progress,
  });
  const { target, from } = targetOf(options, dataset);
  const aof = dataset.aof!;
  const ks = dataset.keyspace;
  return {
    path: options.path,
    dataset,
    target,
    targetFrom: from,
    preamble: options.preamble,
    multiPart: options.multiPart,
    before: { commands: aof.commandsInInput, bytes: dataset.bytes, files: aof.layout.files.length },
    keys: ks.size,
    dbs: ks.dbs.filter((d) => d.size > 0).length,
    functions: ks.functions.size,
  };
}

/**
 * The AUX fields of a preamble or base RDB, as the target writes them (rdbSaveInfoAuxFields with
 * `aof-base 1` from 7.0, `aof-preamble 1` in 4.0 .. 6.2).
 * @param target the release written for
 * @param ctime Unix seconds
 */
export function preambleAux(target: RedisTarget, ctime: number): RdbWriteEvent[] {
  const aux: [string, string][] = [
    ['redis-ver', target.version],
    ['redis-bits', '64'],
    ['ctime', String(ctime)],
    ['used-mem', '0'],
  ];
  if (target.preambleAux !== null) aux.push([target.preambleAux, '1']);
  return aux.map(([key, value]) => ({ type: 'aux', key, value }));
}

/** The dataset as an RDB preamble for `target`. */
function rdbChunks(ks: Keyspace, target: RedisTarget, now: number): AsyncGenerator<Uint8Array, void, undefined> {
  function* events(): Generator<RdbWriteEvent, void, undefined> {
    yield* preambleAux(target, Math.floor(now / 1000));
    yield* keyspaceToEvents(ks);
  }
  return writeRdb(events(), { version: target.rdbVersion });
}

/** The dataset as the rewrite's commands for `target`. */
function aofChunks(ks: Keyspace, target: RedisTarget, stats: RewriteStats, warnings: string[]): AsyncGenerator<Uint8Array, void, undefined> {
  const warn = (m: string): void => {
    warnings.push(m);
  };
  return rewriteAof(withTargetWarnings(keyspaceToEvents(ks), target, warn), { redisMajor: target.redisMajor, scoreStyle: target.scoreStyle, onWarning: warn }, stats);
}

/** The manifest of a freshly rewritten appendonlydir: base seq 1, one empty incr file seq 1. */
export function freshManifest(baseName: string, incrName: string): AofManifest {
  return {
    baseAofInfo: { fileName: baseName, fileSeq: 1, fileType: 'b' },
    incrAofList: [{ fileName: incrName, fileSeq: 1, fileType: 'i' }],
    historyAofList: [],
  };
}

/**
 * Write the rewrite (or, with `dryRun`, only produce and count it).
 * @param plan what {@link planRewrite} returned
 * @param options `output` (ignored for a dry run), `overwrite` (--force), `dryRun`, `now` (ctime of an RDB part)
 * @throws OutputExistsError without `overwrite`; FormatError RDB_UNREPRESENTABLE when the target
 *   cannot hold the data (hash field TTLs before 7.4, ...); Node I/O errors
 */
export async function writeRewrite(
  plan: RewritePlan,
  options: { output: string | undefined; overwrite: boolean; dryRun: boolean; now: number },
): Promise<RewriteResult> {
  const ks = plan.dataset.keyspace;
  const warnings: string[] = [];
  const stats: RewriteStats = { commands: 0, bytes: 0 };
  const dryRun = options.dryRun || options.output === undefined;
  const output = dryRun ? null : options.output!;
  if (!plan.multiPart) {
    const chunks = plan.preamble ? rdbChunks(ks, plan.target, options.now) : aofChunks(ks, plan.target, stats, warnings);
    const bytes = await writeOrCount(output ?? undefined, chunks, { dryRun, overwrite: options.overwrite });
    const file: RewriteFile = { path: output ?? '(dry run)', kind: plan.preamble ? 'rdb-preamble' : 'aof', bytes, commands: stats.commands };
    return { output, files: [file], after: { commands: stats.commands, bytes }, warnings };
  }
  const baseName = `${AOF_BASENAME}.1.base.${plan.preamble ? 'rdb' : 'aof'}`;
  const incrName = `${AOF_BASENAME}.1.incr.aof`;
  const manifestName = `${AOF_BASENAME}.manifest`;
  const manifest = formatManifest(freshManifest(baseName, incrName));
  const base = plan.preamble ? rdbChunks(ks, plan.target, options.now) : aofChunks(ks, plan.target, stats, warnings);
  const files: OutputFile[] = [
    { name: baseName, chunks: base },
    { name: incrName, chunks: [] },
    { name: manifestName, chunks: [manifest] },
  ];
  const sizes = output === null ? await Promise.all(files.map(async (f) => ({ path: f.name, bytes: await countBytes(f.chunks) }))) : await writeDirAtomic(output, files, options.overwrite);
  const kinds: RewriteFile['kind'][] = [plan.preamble ? 'base-rdb' : 'base-aof', 'incr', 'manifest'];
  const out: RewriteFile[] = sizes.map((s, i) => ({ path: s.path, kind: kinds[i]!, bytes: s.bytes, commands: i === 0 ? stats.commands : 0 }));
  return { output, files: out, after: { commands: stats.commands, bytes: out[0]!.bytes + out[1]!.bytes }, warnings };
}
