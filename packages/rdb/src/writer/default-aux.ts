// The AUX fields the writer puts after the header when the caller supplies none, in the order and
// with the keys the Redis release that writes the target version uses (FORMAT.md 1.6).
// Source of truth: redis/src/rdb.c rdbSaveInfoAuxFields.

/** The Redis release whose `redis-ver` is written by default for each RDB version. */
export const DEFAULT_REDIS_VER: Readonly<Record<number, string>> = {
  7: '3.2.13',
  8: '4.0.14',
  9: '6.2.16',
  10: '7.0.15',
  11: '7.2.6',
  12: '7.4.1',
};

/**
 * Default AUX fields for a target: `redis-ver`, `redis-bits` 64, `ctime`, `used-mem` 0, then
 * `aof-preamble` 0 (RDB 8-9) or `aof-base` 0 (RDB 10+). RDB 6 has no AUX opcode: none.
 * @param version target RDB version
 * @param redisVersion `redis-ver` value
 * @param ctime `ctime` value, Unix seconds
 * @returns [key, value] pairs in write order
 * @see redis/src/rdb.c rdbSaveInfoAuxFields
 */
export function defaultAuxFields(version: number, redisVersion: string, ctime: number): [string, string][] {
  if (version < 7) return [];
  const aux: [string, string][] = [
    ['redis-ver', redisVersion],
    ['redis-bits', '64'],
    ['ctime', String(ctime)],
    ['used-mem', '0'],
  ];
  if (version >= 10) aux.push(['aof-base', '0']);
  else if (version >= 8) aux.push(['aof-preamble', '0']);
  return aux;
}
