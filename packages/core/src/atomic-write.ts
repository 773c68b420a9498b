// Writing output files so that nothing is ever half-written: data goes to a temp file in the same
// directory, is fsynced, then renamed over the target, and the directory is fsynced. This is what
// Redis itself does for the AOF manifest (redis/src/aof.c persistAofManifest).

import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Thrown when an output path exists and overwriting was not allowed. */
export class OutputExistsError extends Error {
  override readonly name = 'OutputExistsError';
  readonly path: string;
  constructor(path: string) {
    super(`${path} already exists (use --force to overwrite)`);
    this.path = path;
  }
}

/** A temp path next to `target` (same directory, so the final rename is atomic). */
export function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.rfx-${randomBytes(4).toString('hex')}.tmp`);
}

/** fsync a directory so a rename inside it is durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Whether `path` exists (any kind of entry). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Write `chunks` to `target` atomically: temp file in the same directory, fsync, rename, fsync the
 * directory. On any error the temp file is removed and `target` is untouched.
 * @param target output path
 * @param chunks the content, any number of byte chunks (sync or async iterable)
 * @param options `overwrite` allows replacing an existing target (default false: throw
 *   {@link OutputExistsError}); `mode` the file mode (default 0o644)
 * @returns the number of bytes written
 */
export async function writeFileAtomic(
  target: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: { overwrite?: boolean; mode?: number } = {},
): Promise<number> {
  if (!options.overwrite && (await pathExists(target))) throw new OutputExistsError(target);
  await mkdir(dirname(target), { recursive: true });
  const tmp = tempPathFor(target);
  const fh = await open(tmp, 'wx', options.mode ?? 0o644);
  let written = 0;
  try {
    for await (const chunk of chunks) {
      let off = 0;
      while (off < chunk.length) {
        const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
        off += bytesWritten;
      }
      written += chunk.length;
    }
    await fh.sync();
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  try {
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await fsyncDir(dirname(target));
  return written;
}

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
 * Write `files` as the new directory `output`, atomically: built under a temp name next to it,
 * every file fsynced, the directory fsynced, then renamed into place, so it appears whole or not
 * at all (what Redis does for its manifest, redis/src/aof.c persistAofManifest, applied to the
 * whole directory).
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
