// The events writeRdb takes: the reader's events without their byte spans (so readRdb's output can
// be piped straight in), plus the reader-only events it skips.

import type { KeyMetaClass, RdbValue } from '../events.js';

/** An AUX field (opcode 0xfa). Strings are written as UTF-8. */
export interface RdbWriteAuxEvent {
  type: 'aux';
  key: Uint8Array | string;
  value: Uint8Array | string;
}

/** A function library (FUNCTION2, opcode 0xf5): its full source, `#!<engine> name=<lib>` first. */
export interface RdbWriteFunctionEvent {
  type: 'function';
  code: Uint8Array | string;
}

/** The keys that follow belong to `db` (until a key says otherwise). */
export interface RdbWriteSelectDbEvent {
  type: 'selectDb';
  db: number;
}

/** RESIZEDB hints for the db of the latest selectDb event. */
export interface RdbWriteResizeDbEvent {
  type: 'resizeDb';
  dbSize: number;
  expiresSize: number;
}

/** MODULE_AUX (opcode 0xf7): module data outside the keyspace, copied verbatim. */
export interface RdbWriteModuleAuxEvent {
  type: 'moduleAux';
  moduleId: bigint;
  /** 1 = before the keyspace, 2 = after. */
  when: number;
  /** Annotated items up to and including the module EOF, as the reader gives them. */
  payload: Uint8Array;
}

/**
 * One key, or one part of a key (as the reader splits large collections). Parts of one key must
 * follow each other, from `index` 0 to the part with `last: true`; the writer copies the parts'
 * bytes, so the caller may reuse its buffers.
 */
export interface RdbWriteKeyEvent {
  type: 'key';
  /** Database number. Defaults to the db of the latest selectDb event (0 before any). */
  db?: number;
  key: Uint8Array;
  value: RdbValue;
  /** Absolute expire time in ms (EXPIRETIME_MS), or null / absent for none. */
  expireAt?: number | null;
  /** LRU idle seconds (IDLE opcode, RDB 9+). */
  lruIdle?: number | null;
  /** LFU counter 0..255 (FREQ opcode, RDB 9+). */
  lfuFreq?: number | null;
  /** Redis 8.6 key metadata: no target version this writer knows can hold it. */
  keyMeta?: readonly KeyMetaClass[];
  part?: { index: number; last: boolean };
}

/** Reader events with nothing to write: the writer makes its own header and EOF, and drops slot hints. */
export interface RdbWriteIgnoredEvent {
  type: 'header' | 'eof' | 'slotInfo' | 'slotImport';
}

/** Everything {@link writeRdb} takes. Every {@link RdbEvent} the reader yields is one of these. */
export type RdbWriteEvent =
  | RdbWriteAuxEvent
  | RdbWriteFunctionEvent
  | RdbWriteSelectDbEvent
  | RdbWriteResizeDbEvent
  | RdbWriteModuleAuxEvent
  | RdbWriteKeyEvent
  | RdbWriteIgnoredEvent;
