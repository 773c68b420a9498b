// Writing a new dataset, or only counting its bytes for --dry-run. The atomic writers themselves
// (writeFileAtomic, writeDirAtomic) live in the core package.

import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { fsyncDir, OutputExistsError, pathExists, tempPathFor, writeFileAtomic } from '@redis-forensics/core';

/**
 * Consume chunks without writing them (`--dry-run`).
 * @returns the number of bytes
 */
export async function countBytes(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of chunks) n += c.length;
  return n;
}

/**
 * Write one file atomically, or only count its bytes when `dryRun`.
 * @returns the bytes written (or that would be)
 * @throws as writeFileAtomic (OutputExistsError unless `overwrite`)
 */
export async function writeOrCount(
  output: string | undefined,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { dryRun: boolean; overwrite: boolean },
): Promise<number> {
  if (options.dryRun || output === undefined) return countBytes(chunks);
  return writeFileAtomic(output, chunks, { overwrite: options.overwrite });
}
