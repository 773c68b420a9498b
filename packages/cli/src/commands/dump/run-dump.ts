// rfx dump: stream every key of an RDB file, filtered, as JSONL or as RESP commands.

import { stat } from 'node:fs/promises';

import { openRdbBatches } from '@redis-forensics/rdb';

import { compileGlob } from '../../glob.js';
import { OutputSink } from '../../output-sink.js';
import { readerOptions } from '../../reader-options.js';
import { JsonlEncoder } from './jsonl-encoder.js';
import { RespEncoder } from './resp-encoder.js';

import type { RdbKeyEvent, RedisType } from '@redis-forensics/rdb';

/** Output formats of `rfx dump`. */
export const DUMP_FORMATS = ['jsonl', 'resp'] as const;
/** One of {@link DUMP_FORMATS}. */
export type DumpFormat = (typeof DUMP_FORMATS)[number];

/** What `rfx dump` does. */
export interface DumpOptions {
  /** Path of the RDB file. */
  file: string;
  /** Output format. Defaults to 'jsonl'. */
  format?: DumpFormat;
  /** Only keys of these databases. Defaults to all. */
  dbs?: readonly number[];
  /** Only keys matching this Redis glob (see {@link compileGlob}). Defaults to all. */
  match?: string | undefined;
  /** Only keys of these types (what `TYPE` prints). Defaults to all. */
  types?: readonly RedisType[];
  /** Reader part size in bytes (see ReadRdbOptions.partBytes). Defaults to the reader's 8 MiB. */
  partBytes?: number | undefined;
  /** Called after each event with the file position reached and the file size, in bytes. */
  onProgress?: ((position: number, totalBytes: number) => void) | undefined;
  /** Called for each key the chosen format cannot express (module values in RESP). */
  onWarning?: ((message: string) => void) | undefined;
}

/** What `rfx dump` did. */
export interface DumpReport {
  file: string;
  /** File size in bytes. */
  size: number;
  /** Keys in the file (up to the point reached). */
  keysRead: number;
  /** Keys written to the output. */
  keysWritten: number;
  /** Keys that passed the filters but could not be written (module values in RESP). */
  keysSkipped: number;
}

/**
 * Stream the keys of `options.file` to `out`, one JSON line or a few RESP commands per key, in
 * file order. Output is written in chunks as the file is read, waiting for `out` to drain, so
 * memory stays bounded whatever the file size. On bad input the output stops after the last
 * complete key and the error is thrown.
 * @param options file, format and filters, see {@link DumpOptions}
 * @param out where the output goes (stdout)
 * @returns counts of keys read, written and skipped
 * @throws {@link FormatError} for corrupt or truncated input (after flushing the complete keys);
 *   Node I/O errors (ENOENT, EACCES, EPIPE on `out`) untouched
 */
export async function runDump(options: DumpOptions, out: NodeJS.WritableStream): Promise<DumpReport> {
  const { size } = await stat(options.file);
  const format = options.format ?? 'jsonl';
  const dbs = new Set(options.dbs ?? []);
  const types = new Set(options.types ?? []);
  const match = options.match === undefined ? () => true : compileGlob(options.match);
  const keep = (ev: RdbKeyEvent): boolean =>
    (dbs.size === 0 || dbs.has(ev.db)) && (types.size === 0 || types.has(ev.redisType)) && match(ev.key);
  const filtered = dbs.size > 0 || types.size > 0 || options.match !== undefined;

  const report: DumpReport = { file: options.file, size, keysRead: 0, keysWritten: 0, keysSkipped: 0 };
  const sink = new OutputSink(out);
  const warn = options.onWarning ?? (() => {});
  const jsonl = format === 'jsonl' ? new JsonlEncoder(sink) : undefined;
  const resp = format === 'resp' ? new RespEncoder(sink, warn) : undefined;
  /** Whether the key whose parts are arriving is being written. */
  let keeping = false;
  try {
    for await (const batch of openRdbBatches(options.file, readerOptions(options.partBytes))) for (const ev of batch) {
      if (ev.type === 'key') {
        const first = ev.part === undefined || ev.part.index === 0;
        const last = ev.part === undefined || ev.part.last;
        if (first) keeping = keep(ev);
        if (last) report.keysRead++;
        if (keeping) {
          if (jsonl !== undefined) jsonl.key(ev, first, last);
          else if (!resp!.key(ev, first, last)) {
            keeping = false;
            report.keysSkipped++;
          }
          if (last && keeping) report.keysWritten++;
        }
        if (last) sink.markBoundary();
      } else if (ev.type === 'function' && resp !== undefined && !filtered) {
        resp.functionLoad(ev.code);
        sink.markBoundary();
      }
      options.onProgress?.(ev.end, size);
      await sink.flushIfFull();
    }
    await sink.flush();
  } catch (e) {
    // Keep the output well-formed: drop a half-written key, write out the complete ones.
    sink.discardAfterBoundary();
    await sink.flush().catch(() => {});
    throw e;
  } finally {
    sink.close();
  }
  return report;
}
