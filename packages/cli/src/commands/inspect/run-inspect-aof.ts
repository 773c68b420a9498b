// rfx inspect on an AOF: one pass over every file Redis loads, collecting the layout, the RDB
// part's summary (preamble or base), commands by name and by db, distinct keys, MULTI blocks,
// the #TS: time range and a per-minute histogram, FLUSHALL/FLUSHDB occurrences and each file's
// tail status (redis-check-aof's verdict).

import { Buffer } from 'node:buffer';
import { basename } from 'node:path';

import { aofFileNameOnDisk, commandKeys, isCommand, openAof, resolveAof } from '@redis-forensics/aof';

import { commandName } from '../../command-selector.js';
import { isoSeconds } from '../../time-spec.js';
import { RdbInspector } from './run-inspect.js';

import type { AofEvent, AofLayout, AofPartialCommand, AofTailStatus } from '@redis-forensics/aof';
import type { ReasonCode } from '@redis-forensics/core';
import type { InspectReport } from './run-inspect.js';

/** Distinct keys counted exactly up to this many; beyond it the report says "more than". */
export const DISTINCT_KEYS_LIMIT = 1_000_000;
/** FLUSHALL / FLUSHDB occurrences listed (all are counted). */
export const FLUSHES_LISTED = 1000;
/** Distinct command names counted by name; any further name is counted as "(other)". */
const COMMAND_NAMES_LIMIT = 10_000;

const MULTI = Uint8Array.from(Buffer.from('multi'));
const FLUSHALL = Uint8Array.from(Buffer.from('flushall'));
const FLUSHDB = Uint8Array.from(Buffer.from('flushdb'));

/** What `rfx inspect` reads from an AOF. */
export interface AofInspectOptions {
  /** A single AOF file, an appendonlydir, its manifest, or any file inside it. */
  path: string;
  /** Time of the run in Unix ms (for the RDB part's already-expired keys). */
  now: number;
  /** How many biggest keys of the RDB part to list. Defaults to 10. */
  top?: number | undefined;
  /** Distinct keys counted exactly up to this many. Defaults to {@link DISTINCT_KEYS_LIMIT}. */
  distinctKeysLimit?: number | undefined;
  /** The layout, when the caller already resolved it. */
  layout?: AofLayout | undefined;
  /** Called with every event (progress). */
  onEvent?: ((ev: AofEvent) => void) | undefined;
}

/** One file of the AOF: what it is and how it ends. */
export interface AofFileReport {
  /** Name as events carry it (the path for a single file, the name inside the appendonlydir). */
  file: string;
  path: string;
  /** Manifest type: base, incr, history; null for a single-file AOF. */
  type: 'base' | 'incr' | 'history' | null;
  seq: number | null;
  size: number;
  /** How it is laid out: RESP commands, an RDB image (+ RESP), or nothing. Null for history files (not read). */
  format: 'resp' | 'rdb-preamble' | 'rdb' | 'empty' | null;
  commands: number;
  annotations: number;
  status: AofTailStatus | null;
  /** redis-check-aof's ok_up_to, ok_up_to_line and diff. */
  validUpTo: number | null;
  okUpToLine: number | null;
  diff: number | null;
  error: { code: ReasonCode; offset: number; message: string } | null;
  partial: AofPartialCommand | null;
}

/** The RDB image at the start of a file (a preamble, or a `.base.rdb`). */
export interface AofRdbPart {
  file: string;
  /** Bytes of the image (where the RESP part starts). */
  bytes: number;
  /** False when the image is damaged (read up to the error). */
  complete: boolean;
  report: InspectReport;
}

/** A FLUSHALL or FLUSHDB in the log. */
export interface AofFlush {
  command: string;
  /** Its arguments (ASYNC / SYNC), as text. */
  args: string[];
  index: number;
  file: string;
  offset: number;
  length: number;
  db: number;
  /** Unix seconds of the last #TS: annotation before it, or null. */
  timestamp: number | null;
  time: string | null;
  inMulti: boolean;
}

/** The summary of an AOF. */
export interface AofInspectReport {
  kind: 'aof';
  path: string;
  layout: 'single' | 'multi-part';
  /** 'plain' (RESP only), 'preamble' (RDB image + RESP), 'multi-part'. */
  format: 'plain' | 'preamble' | 'multi-part';
  manifest: string | null;
  /** Bytes of the files Redis loads. */
  size: number;
  files: AofFileReport[];
  /** History files the manifest lists (Redis deletes them after a rewrite); present = on disk. */
  history: { file: string; seq: number; size: number | null }[];
  rdb: AofRdbPart[];
  commands: {
    total: number;
    /** By upper-case name, most frequent first. */
    byName: Record<string, number>;
    /** By the db they run in (tracked from SELECT). */
    byDb: Record<string, number>;
  };
  /** Distinct (db, key) pairs touched by commands, by Redis's key specs. */
  keys: { distinct: number; exact: boolean; limit: number };
  multi: { blocks: number; commandsInside: number; openAtEnd: { file: string; offset: number } | null };
  time: {
    annotations: number;
    /** Earliest and latest `#TS:` (Unix seconds and ISO). */
    firstTimestamp: number | null;
    lastTimestamp: number | null;
    first: string | null;
    last: string | null;
    commandsWithTime: number;
    commandsWithoutTime: number;
    /** Commands per minute by their `#TS:` time: [minute start ISO, count], minutes with commands only. */
    perMinute: [string, number][];
  };
  flushes: { total: number; listed: AofFlush[] };
  /** The worst tail status over the files. */
  status: AofTailStatus;
}

function fileType(t: 'b' | 'h' | 'i' | undefined): AofFileReport['type'] {
  return t === 'b' ? 'base' : t === 'i' ? 'incr' : t === 'h' ? 'history' : null;
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/**
 * Read every file of the AOF once and summarise it.
 * @param options path, time and limits, see {@link AofInspectOptions}
 * @returns the report (damage is reported in `files[].status`, not thrown)
 * @throws {@link FormatError} MANIFEST_* for a bad manifest or missing files; Node I/O errors
 */
export async function runInspectAof(options: AofInspectOptions): Promise<AofInspectReport> {
  const layout = options.layout ?? (await resolveAof(options.path));
  const limit = options.distinctKeysLimit ?? DISTINCT_KEYS_LIMIT;
  const files: AofFileReport[] = layout.files.map((f) => ({
    file: layout.kind === 'single' ? f.path : basename(f.path),
    path: f.path,
    type: fileType(f.info?.fileType),
    seq: f.info?.fileSeq ?? null,
    size: f.size,
    format: null,
    commands: 0,
    annotations: 0,
    status: null,
    validUpTo: null,
    okUpToLine: null,
    diff: null,
    error: null,
    partial: null,
  }));
  const byName = new Map<string, number>();
  const byDb = new Map<number, number>();
  const keys = new Set<string>();
  let keysExact = true;
  const perMinute = new Map<number, number>();
  const flushes: AofFlush[] = [];
  let flushTotal = 0;
  let total = 0;
  let annotations = 0;
  let firstTs: number | null = null;
  let lastTs: number | null = null;
  let withTime = 0;
  let blocks = 0;
  let inside = 0;
  let openAtEnd: { file: string; offset: number } | null = null;
  const rdb: AofRdbPart[] = [];
  let inspector: RdbInspector | null = null;
  let current = -1;

  const finishRdb = (): void => {
    const f = files[current];
    if (inspector === null || f === undefined) return;
    if (inspector.started) {
      const bytes = inspector.end ?? f.size;
      rdb.push({ file: f.file, bytes, complete: inspector.complete, report: inspector.report(f.file, bytes) });
    }
    inspector = null;
  };

  for await (const ev of openAof(options.path, {}, layout)) {
    options.onEvent?.(ev);
    switch (ev.type) {
      case 'file':
        current++;
        break;
      case 'rdb':
        inspector ??= new RdbInspector({ now: options.now, top: options.top });
        inspector.add(ev.event);
        break;
      case 'annotation': {
        files[current]!.annotations++;
        if (ev.timestamp === null) break;
        annotations++;
        if (firstTs === null || ev.timestamp < firstTs) firstTs = ev.timestamp;
        if (lastTs === null || ev.timestamp > lastTs) lastTs = ev.timestamp;
        break;
      }
      case 'command': {
        total++;
        files[current]!.commands++;
        let name = commandName(ev.argv);
        if (!byName.has(name) && byName.size >= COMMAND_NAMES_LIMIT) name = '(other)';
        byName.set(name, (byName.get(name) ?? 0) + 1);
        byDb.set(ev.db, (byDb.get(ev.db) ?? 0) + 1);
        if (keysExact) {
          for (const k of commandKeys(ev.argv)) {
            keys.add(`${ev.db}\u0000${latin1(k)}`);
            if (keys.size > limit) {
              keysExact = false;
              keys.clear();
              break;
            }
          }
        }
        if (ev.time !== null) {
          withTime++;
          const minute = Math.floor(ev.time / 60) * 60;
          perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
        }
        if (isCommand(ev.argv[0], MULTI)) blocks++;
        else if (ev.inMulti) inside++;
        if (isCommand(ev.argv[0], FLUSHALL) || isCommand(ev.argv[0], FLUSHDB)) {
          flushTotal++;
          if (flushes.length < FLUSHES_LISTED) {
            flushes.push({
              command: commandName(ev.argv),
              args: ev.argv.slice(1).map(latin1),
              index: ev.index,
              file: ev.file,
              offset: ev.offset,
              length: ev.end - ev.offset,
              db: ev.db,
              timestamp: ev.time,
              time: ev.time === null ? null : isoSeconds(ev.time),
              inMulti: ev.inMulti,
            });
          }
        }
        break;
      }
      case 'fileEnd': {
        const f = files[current]!;
        const rdbFile = inspector !== null && inspector.started;
        finishRdb();
        f.format = ev.size === 0 ? 'empty' : rdbFile ? (f.commands > 0 || f.annotations > 0 ? 'rdb-preamble' : 'rdb') : 'resp';
        f.status = ev.status;
        f.validUpTo = ev.validUpTo;
        f.okUpToLine = ev.okUpToLine;
        f.diff = ev.diff;
        f.error = ev.error === null ? null : { code: ev.error.code, offset: ev.error.offset, message: ev.error.message };
        f.partial = ev.partial === null ? null : { ...ev.partial, name: ev.partial.name?.slice() ?? null, key: ev.partial.key?.slice() ?? null };
        if (ev.openMultiAt !== null) openAtEnd = { file: ev.file, offset: ev.openMultiAt };
        break;
      }
      default:
        break;
    }
  }

  const rank: Record<AofTailStatus, number> = { complete: 0, truncated: 1, corrupt: 2 };
  const status = files.reduce<AofTailStatus>((worst, f) => (f.status !== null && rank[f.status] > rank[worst] ? f.status : worst), 'complete');
  const format = layout.kind === 'multi-part' ? 'multi-part' : files[0]?.format === 'rdb-preamble' || files[0]?.format === 'rdb' ? 'preamble' : 'plain';
  return {
    kind: 'aof',
    path: options.path,
    layout: layout.kind,
    format,
    manifest: layout.kind === 'multi-part' ? layout.manifestPath : null,
    size: layout.files.reduce((sum, f) => sum + f.size, 0),
    files,
    history:
      layout.kind === 'multi-part'
        ? layout.manifest.historyAofList.map((h) => ({
            file: h.fileName,
            seq: h.fileSeq,
            size: layout.history.find((x) => basename(x.path) === aofFileNameOnDisk(h.fileName))?.size ?? null,
          }))
        : [],
    rdb,
    commands: {
      total,
      byName: Object.fromEntries([...byName].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
      byDb: Object.fromEntries([...byDb].sort((a, b) => a[0] - b[0]).map(([db, n]) => [String(db), n])),
    },
    keys: { distinct: keysExact ? keys.size : limit, exact: keysExact, limit },
    multi: { blocks, commandsInside: inside, openAtEnd },
    time: {
      annotations,
      firstTimestamp: firstTs,
      lastTimestamp: lastTs,
      first: firstTs === null ? null : isoSeconds(firstTs),
      last: lastTs === null ? null : isoSeconds(lastTs),
      commandsWithTime: withTime,
      commandsWithoutTime: total - withTime,
      perMinute: [...perMinute].sort((a, b) => a[0] - b[0]).map(([m, n]) => [isoSeconds(m), n]),
    },
    flushes: { total: flushTotal, listed: flushes },
    status,
  };
}
