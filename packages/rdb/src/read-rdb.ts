// readRdb: an async generator of typed events over any AsyncIterable<Uint8Array>.
// Source of truth: redis/src/rdb.c rdbLoadRioWithLoadingCtx (opcodes) and rdbLoadObject (values),
// redis/src/redis-check-rdb.c (phases, "doing").
//
// Design: every unit (an opcode with its payload, a key record's header, one collection element,
// one stream node) is parsed synchronously from a ByteWindow. When the window runs out mid-unit the
// window throws NEED_MORE, the driver pulls more chunks and the unit is parsed again from its start;
// units never mutate parser state before they complete. Large collections are emitted in parts of
// about `partBytes`, so a 4 GB list never sits in memory at once.

import { ByteFeeder, Crc64, FormatError, NEED_MORE } from '@redis-forensics/core';

import { RdbParser } from './rdb-parser.js';

import type { RdbEvent, RdbKeyEvent } from './events.js';

/** Options of {@link readRdb}. */
export interface ReadRdbOptions {
  /** File name, carried in errors. Defaults to none. */
  file?: string | undefined;
  /** Total size in bytes when known: lengths larger than what is left are rejected early. Defaults to unknown. */
  fileSize?: number | undefined;
  /** Largest string accepted, in bytes (Redis's proto-max-bulk-len). Defaults to 512 MiB. */
  maxStringBytes?: number;
  /** Largest element count accepted for one collection. Defaults to 2^32 - 1. */
  maxElementCount?: number;
  /**
   * Emit a collection in parts once about this many bytes of it have been read. Defaults to 8 MiB;
   * `Infinity` never splits.
   */
  partBytes?: number;
  /**
   * Emit a collection in parts once this many elements have been read, whatever their size: each
   * element costs ~100 bytes of JS objects, so a part of tiny elements must stay short or the
   * heap grows far beyond the bytes read. Defaults to 8192; `Infinity` never splits.
   */
  partElements?: number;
  /** Compare the CRC64 trailer with the computed one. Defaults to true. */
  verifyChecksum?: boolean;
  /**
   * Deep validation, like `sanitize-dump-payload yes`: duplicate members and fields, stream PEL
   * ownership. Container structure (headers, backlens, counts) is always checked. Defaults to true.
   */
  deep?: boolean;
  /** Aborts reading at the next refill. Defaults to none. */
  signal?: AbortSignal | undefined;
}

/**
 * Read an RDB file as a stream of typed events: header, aux, selectDb, resizeDb, slotInfo,
 * function, moduleAux, key (data-level values; large collections in parts, see
 * {@link RdbKeyEvent}) and eof. Every event carries its absolute byte span. Memory stays bounded
 * by one input chunk plus the largest single string (at most `maxStringBytes`) plus `partBytes`.
 * The generator stops after the checksum without reading further.
 * @param source any async iterable of byte chunks: `fs.createReadStream(path)`, stdin, a test feed
 * @param options limits and checks, see {@link ReadRdbOptions}
 * @throws {@link FormatError} for any corrupt, truncated or unsupported input, with the reason code,
 *   absolute offset, phase (redis-check-rdb's "doing") and the key being read
 * @see redis/src/rdb.c rdbLoadRioWithLoadingCtx, rdbLoadObject
 */
export async function* readRdb(
  source: AsyncIterable<Uint8Array>,
  options: ReadRdbOptions = {},
): AsyncGenerator<RdbEvent, void, undefined> {
  for await (const batch of readRdbBatches(source, options)) {
    for (const ev of batch) yield ev;
  }
}

/** Largest number of events in one batch of {@link readRdbBatches}. */
const MAX_BATCH = 1024;

/**
 * {@link readRdb} with events delivered in arrays: one array per stretch of input that could be
 * parsed without waiting for more bytes (at most 1024 events). Same events, same order, same
 * errors; it saves the per-event cost of an async generator, which is what dominates on files
 * with millions of small keys. Events already delivered stay valid. An error is thrown after the
 * events before it have been delivered.
 * @see readRdb
 */
export async function* readRdbBatches(
  source: AsyncIterable<Uint8Array>,
  options: ReadRdbOptions = {},
): AsyncGenerator<RdbEvent[], void, undefined> {
  const feeder = new ByteFeeder(source, { signal: options.signal });
  try {
    yield* readRdbFromFeeder(feeder, options);
  } finally {
    await feeder.close();
  }
}

/**
 * Read one RDB from the current position of `feeder` (an AOF preamble, an RDB inside another
 * stream) and stop right after its checksum, leaving the feeder there. Offsets are absolute in the
 * feeder's stream. The caller owns (and closes) the feeder.
 * @see readRdbBatches
 */
export async function* readRdbFromFeeder(
  feeder: ByteFeeder,
  options: ReadRdbOptions = {},
): AsyncGenerator<RdbEvent[], void, undefined> {
  const crc = new Crc64();
  feeder.attachConsumer((b) => crc.update(b));
  const w = feeder.window;
  const parser = new RdbParser(w, options);
  parser.start = w.position;
  parser.computeCrc = () => {
    feeder.drainTo(w.position);
    feeder.detachConsumer();
    return crc.digest();
  };
  let batch: RdbEvent[] = [];
  while (!parser.done) {
    const unitStart = w.position;
    let ev: RdbEvent | undefined;
    try {
      ev = parser.step();
    } catch (e) {
      if (e === NEED_MORE) {
        if (batch.length > 0) {
          yield batch;
          batch = [];
        }
        const ok = await feeder.refill(NEED_MORE.end, unitStart);
        if (!ok) {
          const end = w.base + w.buf.length;
          throw new FormatError('RDB_UNEXPECTED_EOF', end, unitStart === end ? 'file ends here' : `file ends ${NEED_MORE.end - end} bytes before the structure that starts at ${unitStart} is complete`, {
            file: options.file,
            phase: parser.phase,
            key: parser.currentKey,
          });
        }
        continue;
      }
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      if (e instanceof FormatError) {
        throw e.withContext({ file: options.file, phase: parser.phase, key: parser.currentKey });
      }
      throw e;
    }
    if (ev !== undefined) {
      batch.push(ev);
      if (batch.length >= MAX_BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
