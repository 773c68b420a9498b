// rfx convert: one dataset from one persistence format to another.
// - AOF (any layout) -> RDB, AOF or JSONL: the AOF is replayed into a keyspace (up to a point in
//   time, if asked), which is then written out.
// - RDB -> RDB of another version and RDB -> AOF stream the reader's events straight into the RDB
//   writer or the AOF rewrite, holding one key at a time, never a keyspace; the source's AUX fields
//   are dropped so the writer puts the target's own.
// - RDB -> JSONL is `rfx dump` (the same encoder, so the bytes are identical).

import { PassThrough } from 'node:stream';

import { keyspaceToEvents } from '@redis-forensics/keyspace';
import { openRdb, writeRdb } from '@redis-forensics/rdb';
import { rewriteAof } from '@redis-forensics/rewrite';

import { byInputKind, loadAofDataset, rdbInputEvents, requiredRelease } from '../../dataset-input.js';
import { OutputSink } from '../../output-sink.js';
import { laterRelease, parseRedisRelease, redisTarget, releaseForRdbVersion } from '../../redis-target.js';
import { withTargetWarnings } from '../../target-warnings.js';
import { UsageError } from '../../usage-error.js';
import { writeOrCount } from '../../write-files.js';
import { JsonlEncoder } from '../dump/jsonl-encoder.js';
import { runDump } from '../dump/run-dump.js';

import type { Keyspace } from '@redis-forensics/keyspace';
import type { RdbEvent, RdbWriteEvent, RdbWriteLoss } from '@redis-forensics/rdb';
import type { RewriteStats } from '@redis-forensics/rewrite';
import type { LoadedDataset } from '../../dataset-input.js';
import type { RedisRelease, RedisTarget } from '../../redis-target.js';
import type { ProgressReporter } from '../../render/progress.js';
import type { ReplayPoint } from '../../replay-point.js';

/** Output formats of `rfx convert`. */
export const CONVERT_FORMATS = ['rdb', 'aof', 'jsonl'] as const;
/** One of {@link CONVERT_FORMATS}. */
export type ConvertFormat = (typeof CONVERT_FORMATS)[number];

/** The RDB versions the writer knows. */
export const RDB_WRITE_VERSIONS = [6, 7, 8, 9, 10, 11, 12] as const;

/** What `rfx convert` does. */
export interface ConvertOptions {
  /** RDB file, or AOF in any layout. */
  input: string;
  /** Output file; undefined for a dry run. */
  output: string | undefined;
  to: ConvertFormat;
  /** RDB version to write (--to rdb). Defaults to the version the target release writes. */
  rdbVersion?: number | undefined;
  /** The Redis release the output is for. Defaults to the input's. */
  redisVersion?: string | undefined;
  /** Leave out (and list) what the target RDB version cannot hold. */
  lossy?: boolean;
  /** AOF input: replay up to this point. */
  point?: ReplayPoint | undefined;
  skipUnsupported?: boolean;
  /** AOF input: the release that wrote it. */
  sourceVersion?: string | undefined;
  now: number;
  overwrite?: boolean;
  dryRun?: boolean;
  progress?: ProgressReporter | undefined;
  /** Reader part size in bytes (testing). */
  partBytes?: number | undefined;
  /** Called for each thing left out (RDB output). */
  onLoss?: ((loss: RdbWriteLoss) => void) | undefined;
  /** Called for what the AOF rewrite cannot express (module values). */
  onWarning?: ((message: string) => void) | undefined;
}

/** What `rfx convert` did. */
export interface ConvertReport {
  input: string;
  /** null for a dry run. */
  output: string | null;
  inputKind: 'rdb' | 'aof';
  to: ConvertFormat;
  /** The input's RDB version (or that of an AOF's RDB part), when it has one. */
  sourceRdbVersion: number | null;
  /** Set for an AOF input: the replay. */
  dataset: LoadedDataset | null;
  /** RDB and AOF output: the release written for. */
  target: RedisTarget | null;
  /** RDB output: the version written. */
  rdbVersion: number | null;
  /** Keys read from the input. */
  keysRead: number;
  /** AOF output: commands written. */
  commands: number;
  bytes: number;
  losses: RdbWriteLoss[];
  warnings: string[];
}

const utf8 = new TextDecoder();

/** The header and AUX fields of an RDB file (read as far as the first other event). */
async function rdbHead(path: string): Promise<{ version: number; redisVer: string | null }> {
  let version = 0;
  let redisVer: string | null = null;
  for await (const ev of openRdb(path)) {
    if (ev.type === 'header') version = ev.version;
    else if (ev.type === 'aux') {
      if (utf8.decode(ev.key) === 'redis-ver') redisVer = utf8.decode(ev.value);
    } else break;
  }
  return { version, redisVer };
}

function explicitTarget(options: ConvertOptions): RedisTarget | undefined {
  if (options.redisVersion === undefined) return undefined;
  try {
    return redisTarget(parseRedisRelease(options.redisVersion));
  } catch (e) {
    throw new UsageError(`--redis-version: ${(e as Error).message}`, '');
  }
}

/**
 * The target release: --redis-version, else the source's, raised to what the data needs when a
 * keyspace is known (at least 2.6, the oldest the writers target).
 */
function targetFor(options: ConvertOptions, sourceVersion: string | null, ks?: Keyspace): RedisTarget {
  const explicit = explicitTarget(options);
  if (explicit !== undefined) return explicit;
  let r: RedisRelease;
  try {
    r = parseRedisRelease(sourceVersion ?? '7.0.0');
  } catch {
    r = { major: 7, minor: 0, patch: 0 };
  }
  if (ks !== undefined) r = laterRelease(r, requiredRelease(ks));
  return redisTarget(laterRelease(r, { major: 2, minor: 6, patch: 0 }));
}

/** Key events counted once per key (the last part). */
function countKeys(ev: RdbEvent | RdbWriteEvent, counter: { keys: number }): void {
  if (ev.type === 'key' && (ev.part === undefined || ev.part.last)) counter.keys++;
}

/** Run `produce` into a PassThrough while `writeOrCount` consumes it; the first failure wins. */
async function throughStream(produce: (out: PassThrough) => Promise<void>, options: ConvertOptions): Promise<number> {
  const pass = new PassThrough();
  const writing = writeOrCount(options.output, pass, { dryRun: options.dryRun === true, overwrite: options.overwrite === true });
  const producing = produce(pass).then(
    () => {
      pass.end();
    },
    (e: unknown) => {
      pass.destroy(e as Error);
      throw e;
    },
  );
  const [p, w] = await Promise.allSettled([producing, writing]);
  if (p.status === 'rejected') throw p.reason;
  if (w.status === 'rejected') throw w.reason;
  return w.value;
}

/**
 * Convert `options.input` to `options.to` and write it atomically to `options.output` (or only
 * count the bytes for a dry run).
 * @returns what was read, written and left out
 * @throws {@link UsageError} for a point on an RDB input or a bad target; FormatError for bad input
 *   and RDB_UNREPRESENTABLE (without `lossy`) naming the key; UnsupportedCommandError;
 *   OutputExistsError without `overwrite`; Node I/O errors
 */
export async function runConvert(options: ConvertOptions): Promise<ConvertReport> {
  explicitTarget(options); // a bad --redis-version fails before any work
  return byInputKind(
    options.input,
    () => convertRdb(options),
    () => convertAof(options),
  );
}

async function convertRdb(options: ConvertOptions): Promise<ConvertReport> {
  if (options.point !== undefined) throw new UsageError(`--until-index, --until-offset and --until-timestamp replay an AOF; ${options.input} is an RDB file`, '');
  const head = await rdbHead(options.input);
  const report = baseReport(options, 'rdb', head.version);
  const counter = { keys: 0 };
  const losses = report.losses;
  const onLoss = (loss: RdbWriteLoss): void => {
    losses.push(loss);
    options.onLoss?.(loss);
  };
  if (options.to === 'jsonl') {
    report.bytes = await throughStream(async (out) => {
      const dump = await runDump({ file: options.input, format: 'jsonl', partBytes: options.partBytes, onProgress: (p, t) => options.progress?.update(p, t) }, out);
      counter.keys = dump.keysRead;
    }, options);
  } else {
    const target = targetFor(options, head.redisVer ?? releaseForRdbVersion(head.version));
    report.target = target;
    async function* events(): AsyncGenerator<RdbEvent, void, undefined> {
      for await (const ev of rdbInputEvents(options.input, options)) {
        countKeys(ev, counter);
        // The source's AUX fields describe the source; the writer puts the target's own.
        if (ev.type !== 'aux') yield ev;
      }
    }
    if (options.to === 'rdb') {
      const version = options.rdbVersion ?? (options.redisVersion !== undefined ? target.rdbVersion : Math.max(6, Math.min(12, head.version)));
      report.rdbVersion = version;
      report.bytes = await writeOrCount(
        options.output,
        writeRdb(events(), { version, lossy: options.lossy === true, onLoss, ...(options.redisVersion !== undefined ? { redisVersion: target.version } : {}) }),
        { dryRun: options.dryRun === true, overwrite: options.overwrite === true },
      );
    } else {
      const stats: RewriteStats = { commands: 0, bytes: 0 };
      const rw = rewriteOptions(target, report, options);
      report.bytes = await writeOrCount(options.output, rewriteAof(withTargetWarnings(events(), target, rw.onWarning), rw, stats), {
        dryRun: options.dryRun === true,
        overwrite: options.overwrite === true,
      });
      report.commands = stats.commands;
    }
  }
  report.keysRead = counter.keys;
  return report;
}

async function convertAof(options: ConvertOptions): Promise<ConvertReport> {
  const dataset = await loadAofDataset(options.input, {
    point: options.point,
    skipUnsupported: options.skipUnsupported ?? false,
    now: options.now,
    sourceVersion: options.sourceVersion,
    progress: options.progress,
  });
  options.progress?.stop();
  const report = baseReport(options, 'aof', dataset.rdbVersion);
  report.dataset = dataset;
  const ks = dataset.keyspace;
  report.keysRead = ks.size;
  const io = { dryRun: options.dryRun === true, overwrite: options.overwrite === true };
  if (options.to === 'jsonl') {
    report.bytes = await throughStream(async (out) => {
      const sink = new OutputSink(out);
      const encoder = new JsonlEncoder(sink);
      try {
        for (const ev of keyspaceToEvents(ks)) {
          if (ev.type !== 'key') continue;
          encoder.key(ev, true, true);
          sink.markBoundary();
          await sink.flushIfFull();
        }
        await sink.flush();
      } finally {
        sink.close();
      }
    }, options);
    return report;
  }
  const target = targetFor(options, dataset.serverVersion, ks);
  report.target = target;
  if (options.to === 'rdb') {
    const version = options.rdbVersion ?? target.rdbVersion;
    report.rdbVersion = version;
    const onLoss = (loss: RdbWriteLoss): void => {
      report.losses.push(loss);
      options.onLoss?.(loss);
    };
    report.bytes = await writeOrCount(
      options.output,
      writeRdb(keyspaceToEvents(ks), { version, lossy: options.lossy === true, onLoss, ...(options.redisVersion !== undefined ? { redisVersion: target.version } : {}) }),
      io,
    );
    return report;
  }
  const stats: RewriteStats = { commands: 0, bytes: 0 };
  const rw = rewriteOptions(target, report, options);
  report.bytes = await writeOrCount(options.output, rewriteAof(withTargetWarnings(keyspaceToEvents(ks), target, rw.onWarning), rw, stats), io);
  report.commands = stats.commands;
  return report;
}

function rewriteOptions(target: RedisTarget, report: ConvertReport, options: ConvertOptions): { redisMajor: number; scoreStyle: RedisTarget['scoreStyle']; onWarning: (m: string) => void } {
  return {
    redisMajor: target.redisMajor,
    scoreStyle: target.scoreStyle,
    onWarning: (m) => {
      report.warnings.push(m);
      options.onWarning?.(m);
    },
  };
}

function baseReport(options: ConvertOptions, inputKind: 'rdb' | 'aof', sourceRdbVersion: number | null): ConvertReport {
  return {
    input: options.input,
    output: options.dryRun === true ? null : (options.output ?? null),
    inputKind,
    to: options.to,
    sourceRdbVersion,
    dataset: null,
    target: null,
    rdbVersion: null,
    keysRead: 0,
    commands: 0,
    bytes: 0,
    losses: [],
    warnings: [],
  };
}
