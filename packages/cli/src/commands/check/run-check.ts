// rfx check: read the whole RDB file with every check on, as redis-check-rdb does, and report
// either the counts or the first error with the bytes around it.
// Source of truth for the verdicts: redis/src/redis-check-rdb.c redis_check_rdb.

import { stat } from 'node:fs/promises';

import { FormatError } from '@redis-forensics/core';
import { openRdbBatches } from '@redis-forensics/rdb';

import { FingerprintSet, keyFingerprint } from '../../duplicate-keys.js';
import { KeyStats } from '../../key-stats.js';
import { readWindow } from '../../read-window.js';
import { readerOptions } from '../../reader-options.js';

import type { Phase, ReasonCode } from '@redis-forensics/core';
import type { RdbEofEvent } from '@redis-forensics/rdb';

/** Bytes shown before and after an error's offset. */
export const CHECK_CONTEXT_BYTES = 32;

/** What `rfx check` checks. */
export interface CheckOptions {
  /** Path of the RDB file. */
  file: string;
  /** Time of the run in Unix ms, for already-expired keys. */
  now: number;
  /** Reader part size in bytes. Defaults to the reader's 8 MiB. */
  partBytes?: number | undefined;
  /** Called after each event with the file position reached and the file size, in bytes. */
  onProgress?: ((position: number, totalBytes: number) => void) | undefined;
  /**
   * Also look for keys stored twice in one database (redis-server refuses such files). Costs
   * about 12 bytes of memory per key, and a second pass when a fingerprint repeats. Defaults to false.
   */
  duplicateKeys?: boolean | undefined;
}

/** The first error found, as data. */
export interface CheckError {
  code: ReasonCode;
  /** Absolute byte offset of the offending bytes (for EOF: where the missing bytes would start). */
  offset: number;
  phase: Phase | null;
  /** The key being read, when known. */
  key: Uint8Array | null;
  detail: string;
  /** The full one-line message: `CODE at offset N (0xHEX) while PHASE, key "K": detail`. */
  message: string;
  /** What the reason code means (REASON_CODES). */
  explanation: string;
}

/** The verdict of `rfx check`. */
export interface CheckReport {
  ok: boolean;
  file: string;
  /** File size in bytes. */
  size: number;
  magic: 'REDIS' | 'VALKEY' | null;
  version: number | null;
  /** Keys read (all of them when ok, those before the error otherwise). */
  keys: number;
  /** Keys with a TTL. */
  expires: number;
  /** Keys whose TTL had passed at the time of the run. */
  alreadyExpired: number;
  /** Keys per type (what `TYPE` prints). */
  types: Record<string, number>;
  /** Keys per database. */
  databases: Record<string, number>;
  /** Checksum verdict: 'match', 'disabled' (stored 0), 'absent' (RDB < 5); null when not reached. */
  checksum: RdbEofEvent['checksum'] | null;
  /** Bytes after the checksum trailer (redis ignores them; they often mean a bad copy). */
  trailingBytes: number;
  warnings: string[];
  error: CheckError | null;
  /** The file's bytes around `error.offset`: `CHECK_CONTEXT_BYTES` before to as many after. */
  around: { offset: number; bytes: Uint8Array } | null;
  /** Whether duplicate keys were looked for (see {@link CheckOptions.duplicateKeys}). */
  duplicateKeysChecked: boolean;
}

/**
 * Read and validate the whole file: structure, every encoding, limits, duplicates and the CRC64.
 * Bad content is reported, not thrown; the report then holds the first error, the counts up to
 * it and the bytes around it.
 * @param options file and time, see {@link CheckOptions}
 * @returns the verdict
 * @throws Node I/O errors (ENOENT, EACCES, EIO, ...) untouched
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const { size } = await stat(options.file);
  const stats = new KeyStats({ now: options.now, topCount: 0 });
  const report: CheckReport = {
    ok: false,
    file: options.file,
    size,
    magic: null,
    version: null,
    keys: 0,
    expires: 0,
    alreadyExpired: 0,
    types: {},
    databases: {},
    checksum: null,
    trailingBytes: 0,
    warnings: [],
    error: null,
    around: null,
    duplicateKeysChecked: options.duplicateKeys === true,
  };
  const fingerprints = options.duplicateKeys === true ? new FingerprintSet() : undefined;
  const suspects: string[] = [];
  try {
    for await (const batch of openRdbBatches(options.file, readerOptions(options.partBytes))) for (const ev of batch) {
      if (ev.type === 'header') {
        report.magic = ev.magic;
        report.version = ev.version;
      } else if (ev.type === 'key') {
        stats.add(ev);
        if (fingerprints !== undefined && (ev.part === undefined || ev.part.index === 0)) {
          const [h, l] = keyFingerprint(ev.db, ev.key);
          if (!fingerprints.add(h, l)) suspects.push(`${h}:${l}`);
        }
      } else if (ev.type === 'eof') {
        report.checksum = ev.checksum;
        report.trailingBytes = size - ev.end;
      }
      options.onProgress?.(ev.end, size);
    }
    if (suspects.length > 0) await confirmDuplicates(options, new Set(suspects));
    report.ok = true;
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    report.error = {
      code: e.code,
      offset: e.offset,
      phase: e.phase ?? null,
      key: e.key === undefined ? null : new Uint8Array(e.key),
      detail: e.detail,
      message: e.message,
      explanation: e.explanation,
    };
    const start = Math.max(0, e.offset - CHECK_CONTEXT_BYTES);
    report.around = {
      offset: start,
      bytes: await readWindow(options.file, start, e.offset - start + CHECK_CONTEXT_BYTES),
    };
  }
  const totals = stats.totals();
  report.keys = totals.keys;
  report.expires = totals.expires;
  report.alreadyExpired = totals.alreadyExpired;
  for (const [type, t] of Object.entries(totals.byType)) report.types[type] = t.keys;
  for (const db of stats.databases()) report.databases[String(db.db)] = db.keys;
  if (report.trailingBytes > 0) {
    report.warnings.push(
      `RDB_TRAILING_BYTES: ${report.trailingBytes} bytes after the end of the RDB (offset ${size - report.trailingBytes}); Redis ignores them`,
    );
  }
  return report;
}

/**
 * Second pass over the file, keeping only the keys whose fingerprint repeated: the first exact
 * repeat of (db, key) is thrown as RDB_DUPLICATE_KEY at the second record's offset.
 * @throws {@link FormatError} RDB_DUPLICATE_KEY; other FormatErrors cannot occur (the first pass passed)
 */
async function confirmDuplicates(options: CheckOptions, suspects: Set<string>): Promise<void> {
  const seen = new Set<string>();
  for await (const batch of openRdbBatches(options.file, readerOptions(options.partBytes))) {
    for (const ev of batch) {
      if (ev.type !== 'key' || (ev.part !== undefined && ev.part.index > 0)) continue;
      const [h, l] = keyFingerprint(ev.db, ev.key);
      if (!suspects.has(`${h}:${l}`)) continue;
      const id = `${ev.db}:${Buffer.from(ev.key.buffer, ev.key.byteOffset, ev.key.byteLength).toString('latin1')}`;
      if (seen.has(id)) {
        throw new FormatError('RDB_DUPLICATE_KEY', ev.offset, `key already stored earlier in db ${ev.db}; redis-server refuses to load the file`, {
          phase: 'read-key',
          key: new Uint8Array(ev.key),
        });
      }
      seen.add(id);
    }
  }
}
