// Writing an edited AOF: the input minus chosen byte ranges, everything else byte-identical.
// A single file is written to a new file (or atomically over the input when asked); a multi-part
// AOF is written as a complete new directory (or its edited files replaced atomically in place),
// with the manifest rewritten only when files are dropped (redis/src/aof.c persistAofManifest).

import { createReadStream } from 'node:fs';
import { copyFile, open, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';

import { OutputExistsError, pathExists, writeDirAtomic, writeFileAtomic } from '@redis-forensics/core';

import { aofFileNameOnDisk, formatManifest } from './manifest.js';

import type { OutputFile } from '@redis-forensics/core';
import type { AofLayout } from './open-aof.js';

/** A byte range `[offset, end)` of one file to leave out, and why. */
export interface AofCut {
  offset: number;
  end: number;
  reason: string;
}

/** What to change: cuts per file path, and incr files to drop from the manifest. */
export interface AofEditPlan {
  layout: AofLayout;
  /** Cuts per file path, sorted and non-overlapping. */
  cuts: Map<string, AofCut[]>;
  /** Paths of incr files to leave out of the new manifest. */
  dropFiles: Set<string>;
}

/** Where and how to write. */
export interface WriteAofOptions {
  /** Output file (single-file AOF) or directory (multi-part). Required unless `inPlace`. */
  output?: string | undefined;
  /** Replace the input's edited files atomically. Defaults to false. */
  inPlace?: boolean;
  /** With `inPlace`: keep a copy of every replaced file as `<name><suffix>`. Defaults to none. */
  backupSuffix?: string | undefined;
  /** Overwrite an existing output. Defaults to false. */
  force?: boolean;
}

/** What was written. */
export interface WriteAofResult {
  output: string;
  written: string[];
  backups: string[];
  bytesRemoved: number;
}

/** Add a cut to a plan, keeping the file's cuts sorted and merged. */
export function addCut(plan: AofEditPlan, path: string, cut: AofCut): void {
  const list = plan.cuts.get(path) ?? [];
  list.push(cut);
  list.sort((a, b) => a.offset - b.offset);
  const merged: AofCut[] = [];
  for (const c of list) {
    const prev = merged.at(-1);
    if (prev !== undefined && c.offset <= prev.end) {
      if (c.end > prev.end) prev.end = c.end;
      if (!prev.reason.includes(c.reason)) prev.reason += `; ${c.reason}`;
    } else merged.push({ ...c });
  }
  plan.cuts.set(path, merged);
}

/** An empty plan for a layout. */
export function emptyPlan(layout: AofLayout): AofEditPlan {
  return { layout, cuts: new Map(), dropFiles: new Set() };
}

/** Bytes the plan removes (cuts only; dropped files are counted by their size). */
export function bytesRemovedBy(plan: AofEditPlan): number {
  let n = 0;
  for (const cuts of plan.cuts.values()) for (const c of cuts) n += c.end - c.offset;
  for (const f of plan.layout.files) if (plan.dropFiles.has(f.path)) n += f.size;
  return n;
}

/** The bytes of `path` without the cut ranges, streamed. */
export async function* readWithoutCuts(path: string, cuts: readonly AofCut[]): AsyncGenerator<Uint8Array, void, undefined> {
  let pos = 0;
  let ci = 0;
  for await (const raw of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    const chunk = raw as Buffer;
    const chunkEnd = pos + chunk.length;
    let p = pos;
    while (p < chunkEnd) {
      while (ci < cuts.length && cuts[ci]!.end <= p) ci++;
      const cut = cuts[ci];
      if (cut === undefined || cut.offset >= chunkEnd) {
        yield chunk.subarray(p - pos);
        p = chunkEnd;
      } else if (cut.offset > p) {
        yield chunk.subarray(p - pos, cut.offset - pos);
        p = cut.offset;
      } else {
        p = Math.min(cut.end, chunkEnd);
      }
    }
    pos = chunkEnd;
  }
}

async function copyDurable(from: string, to: string): Promise<void> {
  await copyFile(from, to);
  const fh = await open(to, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Write the edited AOF. Nothing is modified in place unless `inPlace`; every file is written to a
 * temp name, fsynced and renamed; a new multi-part directory appears whole or not at all.
 * @throws {@link OutputExistsError} when the output exists and `force` is not set; Node I/O errors
 */
export async function writeEditedAof(plan: AofEditPlan, options: WriteAofOptions): Promise<WriteAofResult> {
  const layout = plan.layout;
  const bytesRemoved = bytesRemovedBy(plan);
  if (options.inPlace) return writeInPlace(plan, options, bytesRemoved);
  if (options.output === undefined) throw new Error('an output path is required unless editing in place');
  const output = options.output;
  if (layout.kind === 'single') {
    const file = layout.files[0]!;
    await writeFileAtomic(output, readWithoutCuts(file.path, plan.cuts.get(file.path) ?? []), { overwrite: options.force ?? false });
    return { output, written: [output], backups: [], bytesRemoved };
  }
  // Every file of the directory: edited ones without their cuts, the others byte for byte, and the
  // manifest (rewritten only when incr files are dropped).
  const files: OutputFile[] = [];
  for (const f of [...layout.files, ...layout.history]) {
    if (plan.dropFiles.has(f.path)) continue;
    const cuts = plan.cuts.get(f.path) ?? [];
    files.push({ name: basename(f.path), chunks: readWithoutCuts(f.path, cuts) });
  }
  if (plan.dropFiles.size > 0) {
    const m = layout.manifest;
    const keep = (name: string): boolean => !plan.dropFiles.has(join(layout.dir, aofFileNameOnDisk(name)));
    files.push({ name: basename(layout.manifestPath), chunks: [formatManifest({ baseAofInfo: m.baseAofInfo, historyAofList: m.historyAofList, incrAofList: m.incrAofList.filter((i) => keep(i.fileName)) })] });
  } else {
    files.push({ name: basename(layout.manifestPath), chunks: readWithoutCuts(layout.manifestPath, []) });
  }
  const written = (await writeDirAtomic(output, files, options.force ?? false)).map((w) => w.path);
  return { output, written, backups: [], bytesRemoved };
}

async function writeInPlace(plan: AofEditPlan, options: WriteAofOptions, bytesRemoved: number): Promise<WriteAofResult> {
  const layout = plan.layout;
  const written: string[] = [];
  const backups: string[] = [];
  const backup = async (path: string): Promise<void> => {
    if (options.backupSuffix === undefined) return;
    const to = path + options.backupSuffix;
    if ((await pathExists(to)) && !options.force) throw new OutputExistsError(to);
    await copyDurable(path, to);
    backups.push(to);
  };
  for (const [path, cuts] of plan.cuts) {
    if (cuts.length === 0) continue;
    await backup(path);
    // Read the whole filtered content through a temp file, then rename it over the input.
    await writeFileAtomic(path, readWithoutCuts(path, cuts), { overwrite: true });
    written.push(path);
  }
  if (layout.kind === 'multi-part' && plan.dropFiles.size > 0) {
    await backup(layout.manifestPath);
    const m = layout.manifest;
    const keep = (name: string): boolean => !plan.dropFiles.has(join(layout.dir, aofFileNameOnDisk(name)));
    await writeFileAtomic(layout.manifestPath, [formatManifest({ baseAofInfo: m.baseAofInfo, historyAofList: m.historyAofList, incrAofList: m.incrAofList.filter((i) => keep(i.fileName)) })], { overwrite: true });
    written.push(layout.manifestPath);
  }
  const output = layout.kind === 'single' ? layout.path : layout.dir;
  return { output, written, backups, bytesRemoved };
}

/** Names of the entries of a directory (for tests and reports). */
export async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}
