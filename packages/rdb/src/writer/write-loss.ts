// What the writer leaves out when the target version cannot hold it: an error naming the key, or
// with `lossy: true` a report, and the version each kind of data needs.

import { FormatError } from '@redis-forensics/core';

/** Something {@link writeRdb} did not write. */
export interface RdbWriteLoss {
  /**
   * `'key'`: the whole key (a stream before RDB 9, a module value before RDB 8);
   * `'hash-field-ttls'`: the field TTLs of a hash (before RDB 12; the fields are kept, without TTL);
   * `'key-meta'`: Redis 8.6 key metadata (the key is kept); `'function'`: a function library
   * (before RDB 10); `'module-aux'`: MODULE_AUX data (before RDB 9); `'empty-key'`: a list, set,
   * zset or hash without elements, which no Redis loads (always skipped, also when not lossy);
   * `'stream-metadata'`: stream metadata the target's stream type has no room for and a loader
   * would not derive to the same values (always reported, never an error: the stream and its
   * entries, groups, PEL and consumers are kept, as when Redis loads an older stream type).
   */
  kind: 'key' | 'hash-field-ttls' | 'key-meta' | 'function' | 'module-aux' | 'empty-key' | 'stream-metadata';
  /** The key's database, or null when the loss is not a key's. */
  db: number | null;
  /** The key, or null when the loss is not a key's. */
  key: Uint8Array | null;
  /** Why, e.g. `streams need RDB 9 (Redis 5.0); the target is RDB 8`. */
  reason: string;
}

/** The first RDB version (and Redis release) that can hold each kind of data. */
export const RDB_MIN_VERSION_FOR = {
  stream: [9, '5.0'],
  module: [8, '4.0'],
  moduleAux: [9, '5.0'],
  function: [10, '7.0'],
  hashFieldTtl: [12, '7.4'],
  keyMeta: [13, '8.6'],
} as const;

/** `<what> need RDB n (Redis x.y); the target is RDB v`. */
export function needsVersion(what: string, need: readonly [number, string], version: number): string {
  return `${what} need RDB ${need[0]} (Redis ${need[1]}); the target is RDB ${version}`;
}

/**
 * Applies the `lossy` option: {@link LossPolicy.drop} throws unless lossy, and every loss goes to
 * the caller's `onLoss`.
 */
export class LossPolicy {
  private readonly lossy: boolean;
  private readonly onLoss: ((loss: RdbWriteLoss) => void) | undefined;

  constructor(lossy: boolean, onLoss: ((loss: RdbWriteLoss) => void) | undefined) {
    this.lossy = lossy;
    this.onLoss = onLoss;
  }

  /**
   * Leave out something the target cannot represent.
   * @param offset output offset where it would have been written
   * @throws {@link FormatError} RDB_UNREPRESENTABLE naming the key, unless lossy
   */
  drop(loss: RdbWriteLoss, offset: number): void {
    if (!this.lossy) {
      throw new FormatError('RDB_UNREPRESENTABLE', offset, `${loss.reason} (pass lossy: true to leave it out)`, loss.key === null ? {} : { key: loss.key });
    }
    this.report(loss);
  }

  /** Report something left out whatever the mode. */
  report(loss: RdbWriteLoss): void {
    this.onLoss?.(loss);
  }
}
