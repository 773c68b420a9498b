// Writing a new dataset: one file, or a whole new directory (a multi-part AOF), atomically. A
// directory is built under a temp name next to the output, every file fsynced, the directory
// fsynced, then renamed into place: it appears whole or not at all (what Redis does for its
// appendonlydir's manifest, redis/src/aof.c persistAofManifest, applied to the whole directory).

import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { fsyncDir, OutputExistsError, pathExists, tempPathFor, writeFileAtomic } from '@redis-forensics/core';

/** One file of an output, produced lazily. */
export interface OutputFile {
  /** File name inside the directory. */
  name: string;
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** A file written, with its size. */
export interface WrittenFile {
  path: string;
  bytes: number;
}

/**
 * Write `files` as the new directory `output`, atomically.
 * @param output the directory to create
 * @param files its files, written in this order
 * @param overwrite replace an existing `output` (moved aside first, removed after the rename)
 * @returns each file's final path and size
 * @throws {@link OutputExistsError} when `output` exists and `overwrite` is false; whatever
 *   producing the chunks throws; Node I/O errors. On any error nothing is left behind.
 */
export async function writeDirAtomic(output: string, files: readonly OutputFile[], overwrite: boolean): Promise<WrittenFile[]> {
  if (!overwrite && (await pathExists(output))) throw new OutputExistsError(output);
  const tmp = tempPathFor(output);
  await mkdir(tmp, { recursive: true });
  const written: WrittenFile[] = [];
  try {
    for (const f of files) {
      const bytes = await writeFileAtomic(join(tmp, f.name), f.chunks);
      written.push({ path: join(output, f.name), bytes });
    }
    await fsyncDir(tmp);
    if (await pathExists(output)) {
      if (!overwrite) throw new OutputExistsError(output);
      // --force: move the old output aside first, so a failure leaves one of the two whole.
      const old = tempPathFor(output);
      await rename(output, old);
      await rename(tmp, output);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, output);
    }
    await fsyncDir(dirname(output));
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return written;
}

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
