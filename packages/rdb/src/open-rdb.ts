// Convenience: read an RDB file from disk with its size known (so lengths are checked against it).

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

import { readRdb, readRdbBatches } from './read-rdb.js';

import type { RdbEvent } from './events.js';
import type { ReadRdbOptions } from './read-rdb.js';

/**
 * Read the RDB file at `path` (see {@link readRdb}); the file size is taken from `stat` so every
 * length is checked against the bytes left. Breaking out of the loop closes the file.
 * @throws Node I/O errors (ENOENT, EACCES, ...) untouched; {@link FormatError} for bad content
 */
export async function* openRdb(
  path: string,
  options: ReadRdbOptions = {},
): AsyncGenerator<RdbEvent, void, undefined> {
  const { size } = await stat(path);
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  yield* readRdb(stream, { file: path, fileSize: size, ...options });
}

/**
 * {@link openRdb} with events in arrays (see {@link readRdbBatches}): the fast path for tools that
 * go through every key of a large file.
 * @throws Node I/O errors untouched; {@link FormatError} for bad content
 */
export async function* openRdbBatches(
  path: string,
  options: ReadRdbOptions = {},
): AsyncGenerator<RdbEvent[], void, undefined> {
  const { size } = await stat(path);
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  yield* readRdbBatches(stream, { file: path, fileSize: size, ...options });
}
