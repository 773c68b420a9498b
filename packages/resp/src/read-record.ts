// One AOF record from a byte window: a RESP2 multibulk command or a `#` annotation line.
// Strict like redis-check-aof (processRESP, readLong, readString, consumeNewline): `*<n>\r\n`,
// then n x `$<len>\r\n<len bytes>\r\n`, CRLF verified after every line and bulk.

import { FormatError, NEED_MORE } from '@redis-forensics/core';

import type { ByteWindow } from '@redis-forensics/core';

/**
 * Size of Redis's annotation line buffer: fgets reads at most 1023 bytes of a `#` line (CRLF
 * included) at a time. @see redis/src/aof.h AOF_ANNOTATION_LINE_MAX_LEN
 */
export const AOF_ANNOTATION_LINE_MAX_LEN = 1024;
/** Longest `*<n>` / `$<len>` line redis-check-aof reads (its fgets buffer is 128 bytes). */
const MAX_NUMBER_LINE = 127;

/** Limits applied while reading commands. */
export interface RespLimits {
  /** Largest bulk string accepted, in bytes (Redis's proto-max-bulk-len). */
  maxBulkBytes: number;
  /** Largest argument count accepted. */
  maxArgs: number;
}

/** A decoded record: a command (argv views into the window's buffer) or an annotation line. */
export type RespRecord =
  | { kind: 'command'; argv: Uint8Array[] }
  | { kind: 'annotation'; line: Uint8Array };

/** Where {@link numberLine} stopped (the index after its LF); a module variable, not an allocation per line. */
let lineEnd = 0;

function needMore(end: number): never {
  NEED_MORE.end = end;
  throw NEED_MORE;
}

/**
 * Read a `*` or `$` line at `buf[p]`: the prefix, an optional `-`, 1..18 digits, CRLF. A tight
 * loop over the buffer (STYLE.md 8.2); sets {@link lineEnd}.
 * @param base absolute offset of `buf[0]`, for errors and NEED_MORE
 * @returns the number, which may be negative (callers decide)
 */
function numberLine(buf: Uint8Array, p: number, base: number, prefix: number, what: string): number {
  const n = buf.length;
  const at = base + p;
  if (p >= n) needMore(at + 1);
  const first = buf[p]!;
  if (first !== prefix) {
    throw new FormatError('RESP_BAD_PREFIX', at, `expected '${String.fromCharCode(prefix)}' (${what}), found ${describeByte(first)}`);
  }
  let q = p + 1;
  let negative = false;
  let digits = 0;
  let value = 0;
  for (;;) {
    if (q >= n) needMore(base + q + 1);
    const c = buf[q++]!;
    if (c >= 0x30 && c <= 0x39) {
      if (++digits > 18) throw new FormatError('RESP_BAD_LENGTH', at, `${what} has too many digits`);
      value = value * 10 + (c - 0x30);
      continue;
    }
    if (c === 0x2d && digits === 0 && !negative) {
      negative = true;
      continue;
    }
    if (c !== 0x0d) {
      throw new FormatError(digits === 0 ? 'RESP_BAD_LENGTH' : 'RESP_MISSING_CRLF', base + q - 1, digits === 0 ? `${what} is not a number: found ${describeByte(c)}` : `expected \\r\\n after the ${what}, found ${describeByte(c)}`);
    }
    if (q >= n) needMore(base + q + 1);
    const lf = buf[q++]!;
    if (lf !== 0x0a) throw new FormatError('RESP_MISSING_CRLF', base + q - 1, `expected \\n after \\r, found ${describeByte(lf)}`);
    if (digits === 0) throw new FormatError('RESP_BAD_LENGTH', at, `${what} is empty`);
    if (base + q - at > MAX_NUMBER_LINE) throw new FormatError('RESP_BAD_LENGTH', at, `${what} line is longer than ${MAX_NUMBER_LINE} bytes`);
    lineEnd = q;
    return negative ? -value : value;
  }
}

function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}' (0x${c.toString(16).padStart(2, '0')})` : `0x${c.toString(16).padStart(2, '0')}`;
}

/**
 * Read one record at the window's position. A `#` line is an annotation (up to and including its
 * LF, or its first 1023 bytes when longer); a `*` starts a command; anything else is an error.
 * @throws NEED_MORE when the record is incomplete in the window; {@link FormatError}
 *   RESP_BAD_PREFIX, RESP_BAD_LENGTH, RESP_MISSING_CRLF, RESP_LIMIT_EXCEEDED for malformed input
 * @see redis/src/redis-check-aof.c processRESP, processAnnotations
 */
export function readRespRecord(w: ByteWindow, limits: RespLimits): RespRecord {
  const at = w.position;
  const first = w.peekUint8();
  if (first === 0x23) {
    // '#': an annotation line, up to LF. Redis reads it with fgets(buf, AOF_ANNOTATION_LINE_MAX_LEN),
    // which stops after 1023 bytes: a longer line is taken in pieces, and the next piece is read
    // as the next record (an error unless it starts with '#' or '*'), as the server and
    // redis-check-aof do.
    const buf = w.buf;
    const from = w.pos;
    const max = Math.min(buf.length, from + AOF_ANNOTATION_LINE_MAX_LEN - 1);
    for (let i = from; i < max; i++) {
      if (buf[i] === 0x0a) {
        const line = buf.subarray(from, i + 1);
        w.pos = i + 1;
        return { kind: 'annotation', line };
      }
    }
    if (max - from >= AOF_ANNOTATION_LINE_MAX_LEN - 1) {
      w.pos = max;
      return { kind: 'annotation', line: buf.subarray(from, max) };
    }
    w.need(w.available + 1);
  }
  const buf = w.buf;
  const base = w.base;
  const argc = numberLine(buf, w.pos, base, 0x2a, 'argument count');
  let p = lineEnd;
  if (argc < 1) throw new FormatError('RESP_BAD_LENGTH', at, `argument count ${argc} is below 1`);
  if (argc > limits.maxArgs) throw new FormatError('RESP_LIMIT_EXCEEDED', at, `${argc} arguments exceed the limit of ${limits.maxArgs}`);
  // Grown by push, not preallocated: argc comes from the file and is not yet backed by bytes.
  const argv: Uint8Array[] = [];
  for (let i = 0; i < argc; i++) {
    const lenAt = base + p;
    const len = numberLine(buf, p, base, 0x24, 'bulk length');
    p = lineEnd;
    if (len < 0) throw new FormatError('RESP_BAD_LENGTH', lenAt, `bulk length ${len} is negative`);
    if (len > limits.maxBulkBytes) {
      throw new FormatError('RESP_LIMIT_EXCEEDED', lenAt, `bulk of ${len} bytes exceeds proto-max-bulk-len (${limits.maxBulkBytes})`);
    }
    const crAt = p + len;
    if (crAt + 2 > buf.length) needMore(base + crAt + 2);
    argv.push(buf.subarray(p, crAt));
    if (buf[crAt] !== 0x0d || buf[crAt + 1] !== 0x0a) {
      throw new FormatError('RESP_MISSING_CRLF', base + crAt, `expected \\r\\n after the ${len}-byte bulk`);
    }
    p = crAt + 2;
  }
  w.pos = p;
  return { kind: 'command', argv };
}
