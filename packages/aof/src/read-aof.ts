// readAof: one AOF file (plain RESP, or an RDB preamble followed by RESP) as a stream of events.
// validUpTo follows redis/src/redis-check-aof.c checkSingleAof: the position before the first
// record that is not complete, never inside an open MULTI; annotations count as records.

import { ByteFeeder, FormatError, NEED_MORE } from '@redis-forensics/core';
import { readRdbFromFeeder } from '@redis-forensics/rdb';
import { readRespRecord } from '@redis-forensics/resp';

import { flattenBatches } from './flatten-batches.js';

import type { ByteWindow } from '@redis-forensics/core';
import type { RespLimits } from '@redis-forensics/resp';
import type { AofEvent, AofPartialCommand, AofTailStatus } from './events.js';

/** Options of {@link readAof}. */
export interface ReadAofOptions {
  /** The file's name, carried in events and errors. Defaults to "-". */
  file?: string;
  /** Largest bulk accepted (Redis's proto-max-bulk-len), in bytes. Defaults to 512 MiB. */
  maxBulkBytes?: number;
  /** Largest argument count accepted. Defaults to 16 Mi. */
  maxArgs?: number;
  /**
   * Keep going after corruption: skip to the next `*<n>\r\n$` command start and report the
   * skipped region as a `skipped` event. Defaults to false (stop at the first corruption).
   */
  salvage?: boolean;
  /** File metadata for the `file` event (multi-part AOFs). Defaults to a single-file AOF. */
  fileType?: 'b' | 'i' | null;
  fileSeq?: number | null;
  /** Whether this is the last file loaded. Defaults to true. */
  last?: boolean;
  /** Index of the first command (commands are numbered across files). Defaults to 0. */
  firstIndex?: number;
  /** Time of the latest `#TS:` annotation before this file. Defaults to null. */
  time?: number | null;
  /**
   * redis-check-aof's line counter at the start of this file: it is global across the files of
   * a multi-part AOF. Defaults to 1.
   */
  firstLine?: number;
  signal?: AbortSignal | undefined;
}

const MULTI = Uint8Array.from([0x6d, 0x75, 0x6c, 0x74, 0x69]); // "multi"
const EXEC = Uint8Array.from([0x65, 0x78, 0x65, 0x63]); // "exec"
const SELECT = Uint8Array.from([0x73, 0x65, 0x6c, 0x65, 0x63, 0x74]); // "select"

/** Case-insensitive comparison of a command name with a lowercase ASCII word. */
export function isCommand(name: Uint8Array | undefined, lower: Uint8Array): boolean {
  if (name === undefined || name.length !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((name[i]! | 0x20) !== lower[i]) return false;
  return true;
}

function parseTimestamp(line: Uint8Array): number | null {
  // "#TS:<digits>\r\n", strtol semantics like redis-check-aof (digits then \r).
  if (line.length < 6 || line[0] !== 0x23 || line[1] !== 0x54 || line[2] !== 0x53 || line[3] !== 0x3a) return null;
  let v = 0;
  let i = 4;
  let digits = 0;
  for (; i < line.length && line[i]! >= 0x30 && line[i]! <= 0x39; i++, digits++) v = v * 10 + (line[i]! - 0x30);
  if (digits === 0 || line[i] !== 0x0d) return null;
  return v;
}

function asciiInt(b: Uint8Array | undefined): number {
  if (b === undefined) return NaN;
  const s = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
  return /^-?\d+$/.test(s) ? Number(s) : NaN;
}

/**
 * Decode as much of a truncated command as is present: its name, first key, and the number of
 * CRLFs redis-check-aof would have consumed in it.
 */
function describePartial(bytes: Uint8Array, offset: number): { partial: AofPartialCommand; lines: number } {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let lines = 0;
  let p = 0;
  const args: Uint8Array[] = [];
  const m = /^\*(\d+)\r\n/.exec(text.subarray(0, 32).toString('latin1'));
  if (m !== null) {
    lines++;
    p = m[0].length;
    const argc = Number(m[1]);
    for (let i = 0; i < argc; i++) {
      const lm = /^\$(\d+)\r\n/.exec(text.subarray(p, p + 32).toString('latin1'));
      if (lm === null) break;
      lines++;
      const len = Number(lm[1]);
      const start = p + lm[0].length;
      if (start + len + 2 > bytes.length) {
        if (start + len <= bytes.length) args.push(bytes.subarray(start, start + len));
        break;
      }
      args.push(bytes.subarray(start, start + len));
      lines++;
      p = start + len + 2;
    }
  }
  return { partial: { offset, bytes: bytes.length, name: args[0] ?? null, key: args[1] ?? null }, lines };
}

/** Find the next `*<digits>\r\n$` at or after `from` in the window (salvage resync point). */
function findResync(w: ByteWindow, from: number): number {
  const buf = w.buf;
  for (let i = from - w.base + 1; i < buf.length; i++) {
    if (buf[i] !== 0x2a) continue;
    let j = i + 1;
    while (j < buf.length && buf[j]! >= 0x30 && buf[j]! <= 0x39) j++;
    if (j > i + 1 && buf[j] === 0x0d && buf[j + 1] === 0x0a && buf[j + 2] === 0x24) return w.base + i;
  }
  return -1;
}

/**
 * Most events in one batch (a batch also ends wherever the reader has to wait for input). Small
 * enough that few events are alive at a young-generation GC: on bench/run-aof-bench.ts's 1 GiB AOF,
 * openAof took 3.3-3.4 s with 4096 and 2.9-3.0 s with 512.
 */
const MAX_BATCH = 512;

/**
 * Read one AOF file. Yields `file`, then the preamble's `rdb` events when the file starts with
 * "REDIS"/"VALKEY", then `annotation` and `command` events, then one `fileEnd` with the tail
 * status. Damage is reported as data (`fileEnd.status`), not thrown: a truncated tail and
 * corruption both end the stream normally.
 * @param source the file's bytes as any async iterable of chunks
 * @throws only for I/O errors of the source
 * @see redis/src/redis-check-aof.c checkSingleAof, processRESP, processAnnotations
 */
export function readAof(source: AsyncIterable<Uint8Array>, options: ReadAofOptions = {}): AsyncGenerator<AofEvent, void, undefined> {
  return flattenBatches(readAofBatches(source, options));
}

/**
 * {@link readAof}'s events in batches: each batch is what could be decoded from the bytes at hand
 * (at most {@link MAX_BATCH} events), handed over before the reader waits for more input, so an
 * I/O error is thrown only after every event before it.
 */
export async function* readAofBatches(
  source: AsyncIterable<Uint8Array>,
  options: ReadAofOptions = {},
): AsyncGenerator<AofEvent[], void, undefined> {
  const file = options.file ?? '-';
  const limits: RespLimits = {
    maxBulkBytes: options.maxBulkBytes ?? 512 * 1024 * 1024,
    maxArgs: options.maxArgs ?? 16 * 1024 * 1024,
  };
  const feeder = new ByteFeeder(source, { signal: options.signal });
  const w = feeder.window;
  let index = options.firstIndex ?? 0;
  const firstIndex = index;
  let time = options.time ?? null;
  let db = 0;
  let line = options.firstLine ?? 1;
  let validUpTo = 0;
  let multiAt: number | null = null;
  let status: AofTailStatus = 'complete';
  let error: FormatError | null = null;
  let partial: AofPartialCommand | null = null;
  let out: AofEvent[] = [];
  yield [{ type: 'file', file, fileType: options.fileType ?? null, fileSeq: options.fileSeq ?? null, last: options.last ?? true }];
  try {
    // RDB preamble: "REDIS" (or Valkey 9's "VALKEY") at offset 0, at least 8 bytes in the file.
    await feeder.refill(8, 0);
    const head = Buffer.from(w.buf.subarray(0, 6)).toString('latin1');
    if (w.buf.length >= 8 && (head.startsWith('REDIS') || head === 'VALKEY')) {
      try {
        for await (const batch of readRdbFromFeeder(feeder, { file, signal: options.signal })) {
          yield batch.map((event): AofEvent => ({ type: 'rdb', file, event }));
        }
        validUpTo = w.position;
      } catch (e) {
        if (!(e instanceof FormatError)) throw e;
        status = 'corrupt';
        error = e;
      }
    }
    while (status === 'complete') {
      if (multiAt === null) validUpTo = w.position;
      const unitStart = w.position;
      let rec;
      try {
        rec = readRespRecord(w, limits);
      } catch (e) {
        if (e === NEED_MORE) {
          const needed = NEED_MORE.end;
          if (out.length > 0) {
            yield out;
            out = [];
          }
          const more = await feeder.refill(needed, unitStart);
          if (more) continue;
          const rest = w.buf.subarray(unitStart - w.base);
          if (rest.length === 0) break; // clean end of file
          if (rest[0] === 0x23) {
            // An annotation cut before its LF: fgets hands it over anyway (redis-check-aof and
            // the server both accept it), so it counts as complete.
            w.seek(unitStart + rest.length);
            out.push({ type: 'annotation', file, offset: unitStart, end: unitStart + rest.length, line: rest, timestamp: parseTimestamp(rest) });
            continue;
          }
          status = 'truncated';
          const d = describePartial(rest, unitStart);
          partial = d.partial;
          line += d.lines;
          const name = d.partial.name === null ? 'a command' : `${Buffer.from(d.partial.name).toString('latin1')}`;
          error = new FormatError('AOF_UNEXPECTED_EOF', unitStart + rest.length, `file ends inside ${name} that starts at ${unitStart} (${rest.length} bytes present)`, { file, phase: 'read-command' });
          break;
        }
        if (!(e instanceof FormatError)) throw e;
        const err = e.withContext({ file, phase: 'read-command' });
        if (options.salvage) {
          // Resync at the next command start; pull more input until one is found or the file ends.
          let next = findResync(w, unitStart);
          if (next < 0 && out.length > 0) {
            yield out;
            out = [];
          }
          while (next < 0 && !feeder.sourceEnded) {
            await feeder.refill(w.base + w.buf.length + 1, unitStart);
            next = findResync(w, unitStart);
          }
          const end = next < 0 ? w.base + w.buf.length : next;
          out.push({ type: 'skipped', file, offset: unitStart, end, error: err });
          w.seek(end);
          if (next < 0) break;
          continue;
        }
        status = 'corrupt';
        error = err;
        break;
      }
      const end = w.position;
      if (rec.kind === 'annotation') {
        const timestamp = parseTimestamp(rec.line);
        if (timestamp !== null) time = timestamp;
        out.push({ type: 'annotation', file, offset: unitStart, end, line: rec.line, timestamp });
        continue;
      }
      const argv = rec.argv;
      line += 1 + 2 * argv.length;
      const name = argv[0];
      let inMulti = multiAt !== null;
      if (isCommand(name, MULTI)) {
        if (multiAt !== null) {
          status = 'corrupt';
          error = new FormatError('AOF_UNEXPECTED_MULTI', unitStart, `MULTI inside the MULTI that starts at ${multiAt}`, { file, phase: 'read-command' });
          break;
        }
        multiAt = unitStart;
        inMulti = false;
      } else if (isCommand(name, EXEC)) {
        if (multiAt === null) {
          status = 'corrupt';
          error = new FormatError('AOF_UNEXPECTED_EXEC', unitStart, 'EXEC without MULTI', { file, phase: 'read-command' });
          break;
        }
        multiAt = null;
        inMulti = false;
      } else if (isCommand(name, SELECT)) {
        const n = asciiInt(argv[1]);
        if (Number.isInteger(n) && n >= 0) db = n;
      }
      out.push({ type: 'command', file, index: index++, offset: unitStart, end, argv, db, time, inMulti });
      if (out.length >= MAX_BATCH) {
        yield out;
        out = [];
      }
    }
    if (status === 'complete' && multiAt !== null) {
      status = 'truncated';
      error = new FormatError('AOF_UNFINISHED_MULTI', w.position, `reached EOF before reading EXEC for the MULTI at ${multiAt}`, { file, phase: 'read-command' });
    }
    // The file's size: everything buffered is the end unless we stopped early on corruption.
    if (status === 'corrupt' && !feeder.sourceEnded && out.length > 0) {
      yield out;
      out = [];
    }
    while (status === 'corrupt' && !feeder.sourceEnded) await feeder.refill(w.base + w.buf.length + 1, w.base + w.buf.length);
    const size = w.base + w.buf.length;
    out.push({
      type: 'fileEnd',
      file,
      size,
      validUpTo,
      okUpToLine: line,
      diff: size - validUpTo,
      status,
      error,
      partial,
      commands: index - firstIndex,
      openMultiAt: multiAt,
    });
    yield out;
  } finally {
    await feeder.close();
  }
}
