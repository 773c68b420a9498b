// A dataset from any input, for the commands that work on data rather than on bytes (rewrite,
// convert, diff): an RDB file is loaded as it is; an AOF (any layout) is replayed as Redis loads
// it - its RDB part, then every command - optionally up to a point in time. Redis's loading rules
// are kept: a truncated tail of the last file is dropped (aof-load-truncated yes), a truncated
// non-last file or a corrupt file stops the load (EX_DATAERR), and an unsupported command stops
// the replay unless it is skipped.

import { stat } from 'node:fs/promises';
import { basename } from 'node:path';

import { openAof, openAofBatches, resolveAof } from '@redis-forensics/aof';
import { HashValue, Keyspace, loadRdbIntoKeyspace, replayAof, StreamValue } from '@redis-forensics/keyspace';
import { openRdbBatches, RDB_TYPE_STREAM_LISTPACKS } from '@redis-forensics/rdb';

import { aofProgress } from './aof-progress.js';
import { detectInputKind, isRespTail } from './input-kind.js';
import { readerOptions } from './reader-options.js';
import { releaseForRdbVersion } from './redis-target.js';
import { resolveReplayPoint } from './replay-point.js';

import type { AofEvent, AofLayout } from '@redis-forensics/aof';
import type { DiscardedTransaction, ReplayCommandError, ReplayUntil, UnsupportedCommandError } from '@redis-forensics/keyspace';
import type { RdbEvent } from '@redis-forensics/rdb';
import type { RedisRelease } from './redis-target.js';
import type { ProgressReporter } from './render/progress.js';
import type { ReplayPoint } from './replay-point.js';

/** Databases of the keyspaces rfx builds: room for any SELECT a real server accepted. */
export const KEYSPACE_DATABASES = 256;

/**
 * Thrown by {@link rdbInputEvents} when the "RDB file" turns out to be an RDB preamble followed by
 * RESP commands: the input is an AOF after all (callers start over with the AOF path).
 */
export class RespTailError extends Error {
  override readonly name = 'RespTailError';
  constructor(path: string) {
    super(`${path} is an AOF with an RDB preamble (RESP commands follow the RDB image)`);
  }
}

/** What kind of input a path is, as {@link detectInputKind} decides. */
export type DatasetKind = 'rdb' | 'aof';

/** Options of {@link rdbInputEvents}. */
export interface RdbInputOptions {
  /** Reader part size in bytes (testing). */
  partBytes?: number | undefined;
  progress?: ProgressReporter | undefined;
}

/**
 * The events of an RDB file, with progress; throws {@link RespTailError} at its end when RESP
 * commands follow the checksum (an AOF preamble).
 * @throws {@link RespTailError}; FormatError for bad content; Node I/O errors
 */
export async function* rdbInputEvents(path: string, options: RdbInputOptions = {}): AsyncGenerator<RdbEvent, void, undefined> {
  const { size } = await stat(path);
  for await (const batch of openRdbBatches(path, readerOptions(options.partBytes))) {
    for (const ev of batch) {
      options.progress?.update(ev.end, size);
      if (ev.type === 'eof' && ev.end < size && (await isRespTail(path, ev.end))) throw new RespTailError(path);
      yield ev;
    }
  }
}

/**
 * Run `asRdb` when `path` looks like an RDB file, else (or when it turns out to be an AOF with a
 * preamble) `asAof`.
 * @returns what the chosen function returned
 */
export async function byInputKind<T>(path: string, asRdb: () => Promise<T>, asAof: () => Promise<T>): Promise<T> {
  if ((await detectInputKind(path)) === 'rdb') {
    try {
      return await asRdb();
    } catch (e) {
      if (!(e instanceof RespTailError)) throw e;
    }
  }
  return asAof();
}

/** What replaying an AOF came to. */
export interface AofReplaySummary {
  layout: AofLayout;
  /** Commands in the files Redis loads (all of them, also after the point), MULTI/EXEC included. */
  commandsInInput: number;
  /** Commands replayed. */
  commandsReplayed: number;
  /** Keys loaded from the RDB part (preamble or base .rdb). */
  rdbKeys: number;
  /** Commands Redis would have rejected (they changed nothing). */
  errors: ReplayCommandError[];
  /** Commands skipped with --skip-unsupported. */
  skipped: UnsupportedCommandError[];
  /** MULTI blocks without EXEC, dropped as Redis drops them. */
  discardedTransactions: DiscardedTransaction[];
  /** The point asked for, or null. */
  point: ReplayPoint | null;
  /** Where the replay stopped because of the point (null: it ran to the end). */
  stoppedAt: { file: string; offset: number; index: number | null } | null;
  /** The last file's truncated tail, left out as Redis leaves it out (aof-load-truncated yes). */
  truncatedTail: { file: string; validUpTo: number; size: number } | null;
}

/** A dataset read from a file. */
export interface LoadedDataset {
  path: string;
  kind: DatasetKind;
  /** Bytes of the input: the RDB file, or every file an AOF loads. */
  bytes: number;
  keyspace: Keyspace;
  /** The RDB's version (or that of the AOF's RDB part), or null. */
  rdbVersion: number | null;
  /** The release the replay followed (and the data came from, as far as known). */
  serverVersion: string | null;
  /** Where {@link serverVersion} came from. */
  serverVersionFrom: 'option' | 'redis-ver' | 'rdb-version' | 'layout' | null;
  /** Set for an AOF. */
  aof: AofReplaySummary | null;
  /**
   * Whether the input holds a stream's 7.0 counters (entries-added, max-deleted-id, a group's
   * entries-read) for a key: not for RDB < 10 (stream type 15) nor AOFs of Redis < 7.0.
   */
  streamCountersKnown(db: number, key: string): boolean;
}

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** Replay an AOF up to this point. Usage error for an RDB input. */
  point?: ReplayPoint | undefined;
  /** The point's option name, for messages (`--until-offset`, `--a-until-offset`). */
  pointOption?: string;
  /** Skip (and list) commands the replay cannot apply instead of stopping. */
  skipUnsupported?: boolean;
  /** Clock for relative times in commands (ms). */
  now: number;
  /** The release that wrote the AOF (else from its RDB part or its layout). */
  sourceVersion?: string | undefined;
  progress?: ProgressReporter | undefined;
  /** Reader part size in bytes (testing). */
  partBytes?: number | undefined;
}

const utf8 = new TextDecoder();
const keyId = (db: number, key: Uint8Array): string => `${db}:${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1')}`;

function atLeast7(version: string | null): boolean {
  if (version === null) return true;
  const major = Number.parseInt(version, 10);
  return Number.isNaN(major) || major >= 7;
}

/**
 * Load an RDB file into a keyspace (every key kept, expired or not: the file's content).
 * @throws {@link RespTailError} when it is an AOF with a preamble; FormatError; Node I/O errors
 */
export async function loadRdbDataset(path: string, options: Pick<LoadDatasetOptions, 'progress' | 'partBytes'> = {}): Promise<LoadedDataset> {
  const { size } = await stat(path);
  options.progress?.holdsData();
  const keyspace = new Keyspace({ databases: KEYSPACE_DATABASES });
  let rdbVersion: number | null = null;
  let redisVer: string | null = null;
  const type15 = new Set<string>();
  async function* events(): AsyncGenerator<RdbEvent, void, undefined> {
    for await (const ev of rdbInputEvents(path, options)) {
      if (ev.type === 'header') rdbVersion = ev.version;
      else if (ev.type === 'aux' && utf8.decode(ev.key) === 'redis-ver') redisVer = utf8.decode(ev.value);
      else if (ev.type === 'key' && ev.rdbType === RDB_TYPE_STREAM_LISTPACKS) type15.add(keyId(ev.db, ev.key));
      yield ev;
    }
  }
  await loadRdbIntoKeyspace(keyspace, events());
  const serverVersion = redisVer ?? (rdbVersion === null ? null : releaseForRdbVersion(rdbVersion));
  return {
    path,
    kind: 'rdb',
    bytes: size,
    keyspace,
    rdbVersion,
    serverVersion,
    serverVersionFrom: redisVer !== null ? 'redis-ver' : serverVersion !== null ? 'rdb-version' : null,
    aof: null,
    streamCountersKnown: (db, key) => (rdbVersion ?? 0) >= 10 && !type15.has(`${db}:${key}`),
  };
}

/**
 * The `redis-ver` AUX field and version of an AOF's RDB part (a preamble or a base .rdb), read
 * from the first file only as far as its AUX fields.
 */
async function sniffRdbPart(path: string, layout: AofLayout): Promise<{ rdbVersion: number | null; redisVer: string | null }> {
  let rdbVersion: number | null = null;
  let redisVer: string | null = null;
  for await (const ev of openAof(path, {}, layout)) {
    if (ev.type === 'file' || ev.type === 'annotation') continue;
    if (ev.type !== 'rdb') break;
    const e = ev.event;
    if (e.type === 'header') rdbVersion = e.version;
    else if (e.type === 'aux') {
      if (utf8.decode(e.key) === 'redis-ver') redisVer = utf8.decode(e.value);
    } else break;
  }
  return { rdbVersion, redisVer };
}

/**
 * Replay an AOF (any layout) into a keyspace, as Redis loads it.
 * @throws {@link UsageError} for a bad point; FormatError when a file is corrupt or a non-last
 *   file is truncated (Redis refuses such an AOF), MANIFEST_*; UnsupportedCommandError (unless
 *   `skipUnsupported`); Node I/O errors
 */
export async function loadAofDataset(path: string, options: LoadDatasetOptions): Promise<LoadedDataset> {
  const layout = await resolveAof(path);
  const point = options.point === undefined ? null : resolveReplayPoint(options.point, layout, options.pointOption);
  const sniffed = layout.files.length > 0 ? await sniffRdbPart(path, layout) : { rdbVersion: null, redisVer: null };
  let serverVersion: string;
  let serverVersionFrom: LoadedDataset['serverVersionFrom'];
  if (options.sourceVersion !== undefined) [serverVersion, serverVersionFrom] = [options.sourceVersion, 'option'];
  else if (sniffed.redisVer !== null) [serverVersion, serverVersionFrom] = [sniffed.redisVer, 'redis-ver'];
  else if (sniffed.rdbVersion !== null && releaseForRdbVersion(sniffed.rdbVersion) !== null) {
    [serverVersion, serverVersionFrom] = [releaseForRdbVersion(sniffed.rdbVersion)!, 'rdb-version'];
  } else [serverVersion, serverVersionFrom] = [layout.kind === 'multi-part' ? '7.0.0' : '6.2.0', 'layout'];

  const keyspace = new Keyspace({ databases: KEYSPACE_DATABASES });
  const type15 = new Set<string>();
  const summary: AofReplaySummary = {
    layout,
    commandsInInput: 0,
    commandsReplayed: 0,
    rdbKeys: 0,
    errors: [],
    skipped: [],
    discardedTransactions: [],
    point,
    stoppedAt: null,
    truncatedTail: null,
  };
  options.progress?.holdsData();
  const progress = options.progress === undefined ? undefined : aofProgress(layout, options.progress);
  const source = openAofBatches(path, {}, layout);
  let replaying = true;
  let pointFileEnded = false;
  let lastFile = false;
  const observe = (ev: AofEvent): void => {
    progress?.(ev);
    if (ev.type === 'command') summary.commandsInInput++;
    else if (ev.type === 'file') lastFile = ev.last;
    else if (ev.type === 'rdb' && ev.event.type === 'key' && ev.event.rdbType === RDB_TYPE_STREAM_LISTPACKS) type15.add(keyId(ev.event.db, ev.event.key));
    else if (ev.type === 'fileEnd' && replaying && ev.status !== 'complete') {
      const name = basename(ev.file);
      // Redis loads a truncated last file up to its last complete command; anything else stops it.
      if (ev.status === 'truncated' && lastFile) summary.truncatedTail = { file: name, validUpTo: ev.validUpTo, size: ev.size };
      else if (ev.error !== null) throw ev.error.withContext({ file: name });
    }
  };
  // The replay takes whole batches (one async hop each) and shows us each event before replaying
  // it; `seen` counts how far into the current batch it got, so the rest is observed afterwards.
  let batch: AofEvent[] = [];
  let seen = 0;
  async function* batches(): AsyncGenerator<AofEvent[], void, undefined> {
    for (;;) {
      const r = await source.next();
      if (r.done === true) return;
      batch = r.value;
      seen = 0;
      yield batch;
    }
  }
  const onEvent = (ev: AofEvent): boolean => {
    seen++;
    observe(ev);
    if (point !== null && 'offset' in point) {
      // An offset point past the last command of its file: every later file is left out too.
      if (ev.type === 'fileEnd' && basename(ev.file) === basename(point.file!)) pointFileEnded = true;
      else if (ev.type === 'file' && pointFileEnded) {
        summary.stoppedAt = { file: basename(ev.file), offset: 0, index: null };
        return false;
      }
    }
    return true;
  };
  const until: ReplayUntil | undefined =
    point === null ? undefined : 'index' in point ? { index: point.index } : 'timestamp' in point ? { timestamp: point.timestamp } : { offset: point.offset, file: point.file! };
  try {
    const report = await replayAof(batches(), {
      keyspace,
      now: options.now,
      serverVersion,
      onEvent: (ev) => onEvent(ev as AofEvent),
      ...(until === undefined ? {} : { until }),
      ...(options.skipUnsupported === true ? { skipUnsupported: true } : {}),
    });
    replaying = false;
    summary.commandsReplayed = report.commands;
    summary.rdbKeys = report.rdb.keys;
    summary.errors = report.errors;
    summary.skipped = report.skipped;
    summary.discardedTransactions = report.discardedTransactions;
    if (report.stoppedAt !== null) summary.stoppedAt = { ...report.stoppedAt, file: basename(report.stoppedAt.file) };
    // The rest of the input still counts in "before".
    for (let i = seen; i < batch.length; i++) observe(batch[i]!);
    for (;;) {
      const r = await source.next();
      if (r.done === true) break;
      for (const ev of r.value) observe(ev);
    }
  } finally {
    replaying = false;
    await source.return(undefined);
  }
  return {
    path,
    kind: 'aof',
    bytes: layout.files.reduce((sum, f) => sum + f.size, 0),
    keyspace,
    rdbVersion: sniffed.rdbVersion,
    serverVersion,
    serverVersionFrom,
    aof: summary,
    streamCountersKnown: (db, key) => atLeast7(serverVersion) && !type15.has(`${db}:${key}`),
  };
}

/**
 * Load any input: an RDB file as it is, an AOF replayed (see {@link loadAofDataset}).
 * @throws {@link UsageError} when a point is given for an RDB input; as the loaders
 */
export async function loadDataset(path: string, options: LoadDatasetOptions, pointUsage: () => Error): Promise<LoadedDataset> {
  return byInputKind(
    path,
    async () => {
      if (options.point !== undefined) throw pointUsage();
      return loadRdbDataset(path, options);
    },
    () => loadAofDataset(path, options),
  );
}

/**
 * The oldest release that can hold everything in a keyspace: 7.4 for hash field TTLs, 7.0 for
 * function libraries, 5.0 for streams, else 2.6 (the oldest the writers target).
 * @param ks the dataset
 */
export function requiredRelease(ks: Keyspace): RedisRelease {
  let need: RedisRelease = { major: 2, minor: 6, patch: 0 };
  if (ks.functions.size > 0) need = { major: 7, minor: 0, patch: 0 };
  for (const db of ks.dbs) {
    for (const v of db.dict.values()) {
      if (v instanceof HashValue && v.expires !== null) return { major: 7, minor: 4, patch: 0 };
      if (v instanceof StreamValue && need.major < 5) need = { major: 5, minor: 0, patch: 0 };
    }
  }
  return need;
}
