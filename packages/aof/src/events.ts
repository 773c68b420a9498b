// The events readAof yields. Offsets are absolute within the file named by `file`.

import type { FormatError } from '@redis-forensics/core';
import type { RdbEvent } from '@redis-forensics/rdb';

/** How a file of the AOF is laid out. */
export type AofFileFormat = 'resp' | 'rdb-preamble' | 'empty';

/** The start of one file (the only file of a single-file AOF, or one file of a multi-part AOF). */
export interface AofFileEvent {
  type: 'file';
  file: string;
  /** 'b' base, 'i' incr, or null for a single-file AOF. */
  fileType: 'b' | 'i' | null;
  fileSeq: number | null;
  /** True for the last file loaded (the only one allowed a truncated tail). */
  last: boolean;
}

/** An event of the RDB part (preamble, or an RDB base file). */
export interface AofRdbEvent {
  type: 'rdb';
  file: string;
  event: RdbEvent;
}

/** A `#` line; `timestamp` is set for `#TS:<unix seconds>` annotations. */
export interface AofAnnotationEvent {
  type: 'annotation';
  file: string;
  offset: number;
  end: number;
  line: Uint8Array;
  /** Unix seconds of a `#TS:` annotation, else null. */
  timestamp: number | null;
}

/** One command. `argv` are views into the reader's buffers: `slice()` what you keep. */
export interface AofCommandEvent {
  type: 'command';
  file: string;
  /** 0-based position among all commands read so far (across files). */
  index: number;
  offset: number;
  end: number;
  argv: Uint8Array[];
  /** The db the command runs in, as tracked from SELECT (each file starts in db 0). */
  db: number;
  /** Unix seconds of the most recent `#TS:` annotation, or null. */
  time: number | null;
  /** True for commands between MULTI and EXEC (not for MULTI and EXEC themselves). */
  inMulti: boolean;
}

/** A region skipped by salvage mode: corrupt bytes between two valid commands. */
export interface AofSkippedEvent {
  type: 'skipped';
  file: string;
  offset: number;
  end: number;
  error: FormatError;
}

/** The tail status of one file. */
export type AofTailStatus = 'complete' | 'truncated' | 'corrupt';

/** The partial command at a truncated tail, as far as it could be decoded. */
export interface AofPartialCommand {
  offset: number;
  /** Bytes of it present in the file. */
  bytes: number;
  name: Uint8Array | null;
  key: Uint8Array | null;
}

/**
 * The end of one file: redis-check-aof's verdict (`validUpTo` = its ok_up_to, `okUpToLine`,
 * `diff`) and what follows it.
 */
export interface AofFileEndEvent {
  type: 'fileEnd';
  file: string;
  size: number;
  /** End of the last complete record outside an unfinished MULTI (redis-check-aof ok_up_to). */
  validUpTo: number;
  /** redis-check-aof's ok_up_to_line: lines (CRLFs) consumed when it stopped, plus one. */
  okUpToLine: number;
  /** size - validUpTo. */
  diff: number;
  status: AofTailStatus;
  /** Why the file is not complete. */
  error: FormatError | null;
  /** For a truncated command: what could be decoded. */
  partial: AofPartialCommand | null;
  commands: number;
  /** Offset of the MULTI left open at the end, or null. */
  openMultiAt: number | null;
}

/** Everything readAof yields. */
export type AofEvent =
  | AofFileEvent
  | AofRdbEvent
  | AofAnnotationEvent
  | AofCommandEvent
  | AofSkippedEvent
  | AofFileEndEvent;
