// The size thresholds that decide which encoding Redis gives a value (compact listpack/ziplist/
// intset below them, hash table / skiplist / linked nodes above), with each target's defaults.
// Source of truth: redis/src/config.c (standardConfig table: hash-max-listpack-entries, ...),
// redis.conf of 2.6 .. 7.4; checked with `CONFIG GET` on Debian's redis-server 7.0.15.

/**
 * Encoding thresholds, named after the Redis configs (`hash-max-listpack-entries` ->
 * `hashMaxListpackEntries`; the ziplist-era names of the same configs apply to RDB < 10).
 */
export interface EncodingLimits {
  /** `hash-max-listpack-entries` (`hash-max-ziplist-entries`): most fields of a compact hash. Defaults to 512. */
  hashMaxListpackEntries: number;
  /** `hash-max-listpack-value`: longest field or value of a compact hash, in bytes. Defaults to 64. */
  hashMaxListpackValue: number;
  /** `zset-max-listpack-entries` (`zset-max-ziplist-entries`): most members of a compact zset. Defaults to 128. */
  zsetMaxListpackEntries: number;
  /** `zset-max-listpack-value`: longest member of a compact zset, in bytes. Defaults to 64. */
  zsetMaxListpackValue: number;
  /** `set-max-intset-entries`: most members of an intset. Defaults to 512. */
  setMaxIntsetEntries: number;
  /** `set-max-listpack-entries` (Redis 7.2+, RDB 11+): most members of a listpack set. Defaults to 128. */
  setMaxListpackEntries: number;
  /** `set-max-listpack-value` (Redis 7.2+, RDB 11+): longest member of a listpack set, in bytes. Defaults to 64. */
  setMaxListpackValue: number;
  /**
   * `list-max-listpack-size` (`list-max-ziplist-size`, RDB 7+): quicklist node limit; -1..-5 mean
   * 4, 8, 16, 32, 64 KiB per node, a positive number that many elements (and at most 8 KiB).
   * Defaults to -2 (8 KiB).
   */
  listMaxListpackSize: number;
  /** `list-max-ziplist-entries` (Redis 2.6-3.0, RDB 6): most elements of a ziplist list. Defaults to 512. */
  listMaxZiplistEntries: number;
  /** `list-max-ziplist-value` (Redis 2.6-3.0, RDB 6): longest element of a ziplist list, in bytes. Defaults to 64. */
  listMaxZiplistValue: number;
  /** `stream-node-max-bytes`: a stream node listpack closes once it would reach this size. Defaults to 4096. */
  streamNodeMaxBytes: number;
  /** `stream-node-max-entries`: most entries of a stream node. Defaults to 100. */
  streamNodeMaxEntries: number;
}

/**
 * The defaults of the Redis versions that write RDB 6..12 (2.6 .. 7.4): the same numbers
 * throughout. Settings a target has no use for (set listpacks before RDB 11, quicklist nodes before
 * RDB 7, `list-max-ziplist-*` from RDB 7) are simply not consulted for it.
 * @see redis/src/config.c standardConfig
 */
export const DEFAULT_ENCODING_LIMITS: Readonly<EncodingLimits> = {
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  setMaxListpackEntries: 128,
  setMaxListpackValue: 64,
  listMaxListpackSize: -2,
  listMaxZiplistEntries: 512,
  listMaxZiplistValue: 64,
  streamNodeMaxBytes: 4096,
  streamNodeMaxEntries: 100,
};
