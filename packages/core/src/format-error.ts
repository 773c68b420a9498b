// The one error type for bad input: a reason code, an absolute byte offset, and where we were.
// Message format modelled on redis-check-rdb: `CODE at offset N (0xHEX) while PHASE, key "K": detail`.

import { escapeBytes } from './escape-bytes.js';
import { REASON_CODES } from './reason-codes.js';

import type { ReasonCode } from './reason-codes.js';

/**
 * What the reader was doing, in redis-check-rdb's "doing" words (rdbCheckInfo.doing), plus the
 * AOF and container phases.
 */
export type Phase =
  | 'start'
  | 'read-header'
  | 'read-type'
  | 'read-expire'
  | 'read-key'
  | 'read-object-value'
  | 'read-aux'
  | 'read-module-aux'
  | 'read-function'
  | 'read-lru'
  | 'read-lfu'
  | 'read-selectdb'
  | 'read-resizedb'
  | 'read-slot-info'
  | 'check-sum'
  | 'read-command'
  | 'read-annotation'
  | 'read-manifest';

/** Optional context attached to a {@link FormatError}. */
export interface FormatErrorContext {
  /** File the bytes came from, when known. */
  file?: string | undefined;
  /** What the reader was doing. */
  phase?: Phase | undefined;
  /** The key being read, when known. */
  key?: Uint8Array | undefined;
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

/**
 * Thrown (or reported) for anything the input bytes caused. `code` is the API, `message` is prose.
 * `offset` is always absolute in the file: nested decoders add their blob's base offset.
 */
export class FormatError extends Error {
  override readonly name = 'FormatError';
  readonly code: ReasonCode;
  readonly offset: number;
  readonly detail: string;
  readonly file: string | undefined;
  readonly phase: Phase | undefined;
  readonly key: Uint8Array | undefined;

  /**
   * @param code reason code from {@link REASON_CODES}
   * @param offset absolute byte offset where the offending bytes start (for EOF: where the
   *   missing bytes would have started)
   * @param detail what was expected and what was found
   * @param context file, phase and key, when known
   */
  constructor(code: ReasonCode, offset: number, detail: string, context: FormatErrorContext = {}) {
    super(formatMessage(code, offset, detail, context.phase, context.key), {
      cause: context.cause,
    });
    this.code = code;
    this.offset = offset;
    this.detail = detail;
    this.file = context.file;
    this.phase = context.phase;
    this.key = context.key;
  }

  /** A copy with context filled in where this error has none (used when errors bubble up). */
  withContext(context: FormatErrorContext): FormatError {
    return new FormatError(this.code, this.offset, this.detail, {
      file: this.file ?? context.file,
      phase: this.phase ?? context.phase,
      key: this.key ?? context.key,
      cause: this.cause ?? context.cause,
    });
  }

  /** The one-line explanation of this error's code. */
  get explanation(): string {
    return REASON_CODES[this.code];
  }
}

function formatMessage(
  code: ReasonCode,
  offset: number,
  detail: string,
  phase: Phase | undefined,
  key: Uint8Array | undefined,
): string {
  let msg = `${code} at offset ${offset} (0x${offset.toString(16)})`;
  if (phase !== undefined) msg += ` while ${phase}`;
  if (key !== undefined) msg += `, key ${escapeBytes(key, 200)}`;
  return `${msg}: ${detail}`;
}
