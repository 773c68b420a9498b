// The readRdb options the commands pass through from their command lines.

import type { ReadRdbOptions } from '@redis-forensics/rdb';

/**
 * Reader options for a command: only what the user set (exactOptionalPropertyTypes-safe).
 * @param partBytes reader part size in bytes, or undefined for the reader's default (8 MiB)
 * @returns options for openRdb / readRdb
 */
export function readerOptions(partBytes: number | undefined): ReadRdbOptions {
  return partBytes === undefined ? {} : { partBytes };
}
