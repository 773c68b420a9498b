// Which Redis a dataset comes from or is written for: the RDB version, the AOF rewrite's command
// forms and score text, and the AUX field a preamble carries all follow from the release.
// Sources: redis/src/rdb.h RDB_VERSION per release; redis/src/aof.c rewriteAppendOnlyFileRio
// (ENTRIESADDED/ENTRIESREAD from 7.0, fpconv_dtoa scores from 7.2); redis/src/rdb.c
// rdbSaveInfoAuxFields (`aof-preamble` 4.0 .. 6.2, `aof-base` from 7.0).

import type { DoubleStyle } from '@redis-forensics/rdb';

/** A Redis release as major.minor.patch. */
export interface RedisRelease {
  major: number;
  minor: number;
  patch: number;
}

/** Everything that depends on the Redis release a file is written for. */
export interface RedisTarget {
  /** The release, as `major.minor.patch`. */
  version: string;
  release: RedisRelease;
  /** The RDB version that release writes (capped at 12, the newest the writer knows). */
  rdbVersion: number;
  /** The AOF rewrite's command forms (AofRewriter `redisMajor`). */
  redisMajor: number;
  /** Score text of the rewrite: fpconv_dtoa from 7.2, `%.17g` before. */
  scoreStyle: DoubleStyle;
  /** The AUX field that marks an RDB preamble: `aof-base` (7.0+), `aof-preamble` (4.0 .. 6.2), none before 4.0. */
  preambleAux: 'aof-base' | 'aof-preamble' | null;
  /** Whether that release loads a multi-part AOF (appendonlydir with a manifest): 7.0+. */
  multiPart: boolean;
}

/** The release whose `redis-ver` the writer puts in each RDB version by default (rdb writer's table). */
export const RELEASE_FOR_RDB_VERSION: Readonly<Record<number, string>> = {
  6: '3.0.7',
  7: '3.2.13',
  8: '4.0.14',
  9: '6.2.16',
  10: '7.0.15',
  11: '7.2.6',
  12: '7.4.1',
};

/**
 * Parse `7`, `7.0`, `7.0.15` (a leading `v` is allowed).
 * @throws Error with a usage message for anything else
 */
export function parseRedisRelease(text: string): RedisRelease {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (m === null) throw new Error(`"${text}" is not a Redis version: give major.minor, e.g. 7.0 or 6.2.16`);
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0) };
}

function atLeast(r: RedisRelease, major: number, minor: number): boolean {
  return r.major > major || (r.major === major && r.minor >= minor);
}

/**
 * The RDB version a release writes: 2.6-3.0 RDB 6, 3.2 RDB 7, 4.0 RDB 8, 5.0-6.2 RDB 9, 7.0 RDB 10,
 * 7.2 RDB 11, 7.4+ RDB 12.
 * @throws Error for releases before 2.6 (RDB 6 is the oldest the writer knows)
 */
export function rdbVersionForRelease(r: RedisRelease): number {
  if (atLeast(r, 7, 4)) return 12;
  if (atLeast(r, 7, 2)) return 11;
  if (atLeast(r, 7, 0)) return 10;
  if (atLeast(r, 5, 0)) return 9;
  if (atLeast(r, 4, 0)) return 8;
  if (atLeast(r, 3, 2)) return 7;
  if (atLeast(r, 2, 6)) return 6;
  throw new Error(`Redis ${r.major}.${r.minor} is too old: rfx writes for Redis 2.6 and later`);
}

/**
 * Everything that follows from the release a file is written for.
 * @param release the release (see {@link parseRedisRelease})
 * @returns the target
 * @throws Error for releases before 2.6
 */
export function redisTarget(release: RedisRelease): RedisTarget {
  return {
    version: `${release.major}.${release.minor}.${release.patch}`,
    release,
    rdbVersion: rdbVersionForRelease(release),
    redisMajor: release.major,
    scoreStyle: atLeast(release, 7, 2) ? 'fpconv' : 'g17',
    preambleAux: atLeast(release, 7, 0) ? 'aof-base' : atLeast(release, 4, 0) ? 'aof-preamble' : null,
    multiPart: atLeast(release, 7, 0),
  };
}

/**
 * The release that wrote an RDB of `rdbVersion` when nothing better is known (its `redis-ver`
 * AUX field is): the writer's default release for that version.
 * @param rdbVersion an RDB version
 * @returns `x.y.z`, or null for versions outside 6..12
 */
export function releaseForRdbVersion(rdbVersion: number): string | null {
  return RELEASE_FOR_RDB_VERSION[Math.min(rdbVersion, 12)] ?? null;
}

/**
 * The later of two releases.
 * @returns `a` when they are equal
 */
export function laterRelease(a: RedisRelease, b: RedisRelease): RedisRelease {
  if (a.major !== b.major) return a.major > b.major ? a : b;
  if (a.minor !== b.minor) return a.minor > b.minor ? a : b;
  return a.patch >= b.patch ? a : b;
}
