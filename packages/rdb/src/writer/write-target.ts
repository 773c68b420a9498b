// What the writer aims at: the RDB version, the encoding thresholds in force and the way scores
// are formatted as text. Everything that decides "which bytes" besides the data itself.

import type { DoubleStyle } from './d2string.js';
import type { EncodingLimits } from './encoding-limits.js';

/** The oldest RDB version {@link writeRdb} writes (Redis 2.6 .. 3.0). */
export const RDB_WRITE_MIN_VERSION = 6;
/** The newest RDB version {@link writeRdb} writes (Redis 7.4 .. 8.4). */
export const RDB_WRITE_MAX_VERSION = 12;

/** The resolved target of one writeRdb run. */
export interface WriteTarget {
  /** RDB version written in the header; decides every type byte. */
  version: number;
  /** Encoding thresholds (Redis's `*-max-*` configs). */
  limits: EncodingLimits;
  /** How zset scores are printed inside ziplists/listpacks and type-3 records. */
  doubleStyle: DoubleStyle;
}
