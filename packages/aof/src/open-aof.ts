// Resolve what the user pointed at (a single AOF file, a manifest, an appendonlydir, or any file
// inside one) and read every file Redis would load, in Redis's order.
// Source of truth: redis/src/aof.c loadAppendOnlyFiles, redis/src/redis-check-aof.c
// getInputFileType, fileIsManifest, checkMultiPartAof.

import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

import { FormatError } from '@redis-forensics/core';

import { aofFileNameOnDisk, MANIFEST_MAX_LINE, parseManifest } from './manifest.js';
import { flattenBatches } from './flatten-batches.js';
import { readAofBatches } from './read-aof.js';

import type { AofEvent } from './events.js';
import type { AofInfo, AofManifest } from './manifest.js';
import type { ReadAofOptions } from './read-aof.js';

/** One file to load, with its path and size. */
export interface AofLayoutFile {
  info: AofInfo | null;
  path: string;
  size: number;
}

/** What an AOF path resolves to. */
export type AofLayout =
  | { kind: 'single'; path: string; files: AofLayoutFile[] }
  | { kind: 'multi-part'; dir: string; manifestPath: string; manifest: AofManifest; files: AofLayoutFile[]; history: AofLayoutFile[] };

/**
 * Whether `bytes` is a manifest by redis-check-aof's rule: some line that is not a `#` comment
 * starts with "file".
 * @see redis/src/redis-check-aof.c fileIsManifest
 */
export function looksLikeManifest(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 64 * MANIFEST_MAX_LINE)).toString('latin1');
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    if (line.startsWith('file')) return true;
  }
  return false;
}

async function readHead(path: string, bytes: number): Promise<Uint8Array> {
  const stream = createReadStream(path, { start: 0, end: bytes - 1 });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function manifestsIn(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((n) => n.endsWith('.manifest') && !n.startsWith('temp-')).sort();
}

async function multiPart(manifestPath: string): Promise<AofLayout> {
  const dir = dirname(manifestPath);
  const manifest = parseManifest(await readFile(manifestPath), manifestPath);
  if (manifest.baseAofInfo === null && manifest.incrAofList.length === 0) {
    // Redis accepts such a manifest (comment-only, or history only), loads nothing, starts with an
    // empty dataset and writes a new manifest over it: report it rather than call it a valid AOF.
    throw new FormatError('MANIFEST_MISSING_BASE', 0, 'the manifest lists no base and no incr file: Redis would load nothing, start with an empty dataset and write a new manifest over this one', { file: manifestPath });
  }
  const toFile = async (info: AofInfo, mustExist: boolean): Promise<AofLayoutFile | null> => {
    const path = join(dir, aofFileNameOnDisk(info.fileName));
    if (resolve(dirname(path)) !== resolve(dir)) {
      throw new FormatError('MANIFEST_UNSAFE_NAME', 0, `file ${JSON.stringify(info.fileName)} leaves the AOF directory`, { file: manifestPath });
    }
    try {
      const st = await stat(path);
      return { info, path, size: st.size };
    } catch (e) {
      // ENAMETOOLONG: the name came from the manifest and no such file can exist; like ENOENT.
      const missing = (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENAMETOOLONG';
      if (!missing || mustExist) {
        if (missing) {
          throw new FormatError('MANIFEST_MISSING_FILE', 0, `${info.fileType === 'b' ? 'base' : 'incr'} file ${JSON.stringify(info.fileName)} listed in the manifest does not exist`, { file: manifestPath });
        }
        throw e;
      }
      return null;
    }
  };
  const files: AofLayoutFile[] = [];
  if (manifest.baseAofInfo !== null) files.push((await toFile(manifest.baseAofInfo, true))!);
  for (const info of manifest.incrAofList) files.push((await toFile(info, true))!);
  const history: AofLayoutFile[] = [];
  for (const info of manifest.historyAofList) {
    const f = await toFile(info, false);
    if (f !== null) history.push(f);
  }
  return { kind: 'multi-part', dir, manifestPath, manifest, files, history };
}

/**
 * Work out what `path` is: a directory holding a manifest, a manifest, a file listed by the
 * manifest in its directory (all three mean the multi-part AOF), or a single AOF file.
 * @throws Node I/O errors (ENOENT for the path itself); {@link FormatError} MANIFEST_* for a bad
 *   manifest, MANIFEST_NOT_FOUND for a directory without exactly one manifest,
 *   MANIFEST_MISSING_BASE for a manifest that lists neither a base nor an incr file,
 *   MANIFEST_MISSING_FILE when a base or incr file is missing
 */
export async function resolveAof(path: string): Promise<AofLayout> {
  const st = await stat(path);
  if (st.isDirectory()) {
    const found = await manifestsIn(path);
    if (found.length !== 1) {
      throw new FormatError('MANIFEST_NOT_FOUND', 0, found.length === 0 ? `no *.manifest file in ${path}` : `several manifests in ${path}: ${found.join(', ')}`, { file: path });
    }
    return multiPart(join(path, found[0]!));
  }
  const head = await readHead(path, 64 * MANIFEST_MAX_LINE);
  if (st.size > 0 && looksLikeManifest(head)) return multiPart(path);
  // A file inside an appendonlydir: use the directory's manifest when it lists this file.
  const dir = dirname(path);
  const found = await manifestsIn(dir).catch(() => [] as string[]);
  if (found.length === 1) {
    const layout = await multiPart(join(dir, found[0]!)).catch(() => null);
    if (layout !== null && layout.kind === 'multi-part' && [...layout.files, ...layout.history].some((f) => basename(f.path) === basename(path))) {
      return layout;
    }
  }
  return { kind: 'single', path, files: [{ info: null, path, size: st.size }] };
}

/**
 * Read an AOF in whatever layout `path` resolves to (see {@link resolveAof}): every file Redis
 * loads, base then incr files in manifest order, each framed by `file` / `fileEnd` events.
 * History files are not read. Commands are numbered across files; each file starts in db 0.
 * @throws as {@link resolveAof}; damage inside files is reported in `fileEnd`, not thrown
 */
export function openAof(
  path: string,
  options: Omit<ReadAofOptions, 'file' | 'fileType' | 'fileSeq' | 'last' | 'firstIndex' | 'time' | 'firstLine'> = {},
  layout?: AofLayout,
): AsyncGenerator<AofEvent, void, undefined> {
  // One async hop per batch, not per event (see flatten-batches.ts).
  return flattenBatches(openAofBatches(path, options, layout));
}

/**
 * {@link openAof} in batches: the same events, in order, in arrays of one buffer window each (one
 * async hop per batch; for consumers of millions of events such as a replay).
 * @throws as {@link resolveAof}; damage inside files is reported in `fileEnd`, not thrown
 */
export async function* openAofBatches(
  path: string,
  options: Omit<ReadAofOptions, 'file' | 'fileType' | 'fileSeq' | 'last' | 'firstIndex' | 'time' | 'firstLine'>,
  layout: AofLayout | undefined,
): AsyncGenerator<AofEvent[], void, undefined> {
  const l = layout ?? (await resolveAof(path));
  let index = 0;
  let time: number | null = null;
  let line = 1;
  for (let i = 0; i < l.files.length; i++) {
    const f = l.files[i]!;
    const stream = createReadStream(f.path, { highWaterMark: 256 * 1024 });
    for await (const batch of readAofBatches(stream, {
      ...options,
      file: l.kind === 'single' ? f.path : basename(f.path),
      fileType: f.info === null ? null : f.info.fileType === 'b' ? 'b' : 'i',
      fileSeq: f.info?.fileSeq ?? null,
      last: i === l.files.length - 1,
      firstIndex: index,
      time,
      firstLine: line,
    })) {
      for (const ev of batch) {
        if (ev.type === 'command') {
          index = ev.index + 1;
          time = ev.time;
        } else if (ev.type === 'annotation' && ev.timestamp !== null) {
          time = ev.timestamp;
        } else if (ev.type === 'fileEnd') {
          line = ev.okUpToLine;
        }
      }
      yield batch;
    }
  }
}
