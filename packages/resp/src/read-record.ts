// One AOF record from a byte window: a RESP2 multibulk command or a `#` annotation line.
// Strict like redis-check-aof (processRESP, readLong, readString, consumeNewline): `*<n>\r\n`,
// then n x `$<len>\r\n<len bytes>\r\n`, CRLF verified after every line and bulk.

import { FormatError } from '@redis-forensics/core';

import type { ByteWindow } from '@redis-forensics/core';

/** Longest annotation line, CRLF included. @see redis/src/aof.h AOF_ANNOTATION_LINE_MAX_LEN */
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

/**
 * Read a `*` or `$` line: the prefix, an optional `-`, 1..19 digits, CRLF.
 * @returns the number, which may be negative (callers decide)
 */
function readNumberLine(w: ByteWindow, prefix: number, what: string): number {
  const at = w.position;
  const first = w.readUint8();
  if (first !== prefix) {
    throw new FormatError('RESP_BAD_PREFIX', at, `expected '${String.fromCharCode(prefix)}' (${what}), found ${describeByte(first)}`);
  }
  let negative = false;
  let digits = 0;
  let value = 0;
  for (;;) {
    const c = w.readUint8();
    if (c === 0x2d && digits === 0 && !negative) {
      negative = true;
      continue;
    }
    if (c >= 0x30 && c <= 0x39) {
      if (++digits > 18) throw new FormatError('RESP_BAD_LENGTH', at, `${what} has too many digits`);
      value = value * 10 + (c - 0x30);
      continue;
    }
    if (c !== 0x0d) {
      throw new FormatError(digits === 0 ? 'RESP_BAD_LENGTH' : 'RESP_MISSING_CRLF', w.position - 1, digits === 0 ? `${what} is not a number: found ${describeByte(c)}` : `expected \\r\\n after the ${what}, found ${describeByte(c)}`);
    }
    const lf = w.readUint8();
    if (lf !== 0x0a) throw new FormatError('RESP_MISSING_CRLF', w.position - 1, `expected \\n after \\r, found ${describeByte(lf)}`);
    if (digits === 0) throw new FormatError('RESP_BAD_LENGTH', at, `${what} is empty`);
    if (w.position - at > MAX_NUMBER_LINE) throw new FormatError('RESP_BAD_LENGTH', at, `${what} line is longer than ${MAX_NUMBER_LINE} bytes`);
    return negative ? -value : value;
  }
}

function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}' (0x${c.toString(16).padStart(2, '0')})` : `0x${c.toString(16).padStart(2, '0')}`;
}

/**
 * Read one record at the window's position. A `#` line is an annotation (up to and including its
 * LF); a `*` starts a command; anything else is an error.
 * @throws NEED_MORE when the record is incomplete in the window; {@link FormatError}
 *   RESP_BAD_PREFIX, RESP_BAD_LENGTH, RESP_MISSING_CRLF, RESP_LIMIT_EXCEEDED for malformed input
 * @see redis/src/redis-check-aof.c processRESP, processAnnotations
 */
export function readRespRecord(w: ByteWindow, limits: RespLimits): RespRecord {
  const at = w.position;
  const first = w.peekUint8();
  if (first === 0x23) {
    // '#': an annotation line, up to LF.
    const buf = w.buf;
    const from = w.pos;
    const max = Math.min(buf.length, from + AOF_ANNOTATION_LINE_MAX_LEN);
    for (let i = from; i < max; i++) {
      if (buf[i] === 0x0a) {
        const line = buf.subarray(from, i + 1);
        w.pos = i + 1;
        return { kind: 'annotation', line };
      }
    }
    if (max - from >= AOF_ANNOTATION_LINE_MAX_LEN) {
      throw new FormatError('RESP_BAD_PREFIX', at, `annotation line longer than ${AOF_ANNOTATION_LINE_MAX_LEN} bytes`);
    }
    w.need(w.available + 1);
  }
  const argc = readNumberLine(w, 0x2a, 'argument count');
  if (argc < 1) throw new FormatError('RESP_BAD_LENGTH', at, `argument count ${argc} is below 1`);
  if (argc > limits.maxArgs) throw new FormatError('RESP_LIMIT_EXCEEDED', at, `${argc} arguments exceed the limit of ${limits.maxArgs}`);
  const argv: Uint8Array[] = new Array(argc);
  for (let i = 0; i < argc; i++) {
    const lenAt = w.position;
    const len = readNumberLine(w, 0x24, 'bulk length');
    if (len < 0) throw new FormatError('RESP_BAD_LENGTH', lenAt, `bulk length ${len} is negative`);
    if (len > limits.maxBulkBytes) {
      throw new FormatError('RESP_LIMIT_EXCEEDED', lenAt, `bulk of ${len} bytes exceeds proto-max-bulk-len (${limits.maxBulkBytes})`);
    }
    w.need(len + 2);
    argv[i] = w.take(len);
    const crAt = w.position;
    if (w.readUint8() !== 0x0d || w.readUint8() !== 0x0a) {
      throw new FormatError('RESP_MISSING_CRLF', crAt, `expected \\r\\n after the ${len}-byte bulk`);
    }
  }
  return { kind: 'command', argv };
}
