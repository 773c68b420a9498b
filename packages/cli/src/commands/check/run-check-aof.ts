// rfx check on an AOF: redis-check-aof's verdict for every file Redis loads (ok_up_to,
// ok_up_to_line, diff), plus the reason code, the bytes around the first bad byte (the end of the
// file for a truncation), the partial command's name and key, the complete commands and the
// #TS: time range. Read-only: files are only opened for reading.
// Source of truth for the verdicts: redis/src/redis-check-aof.c checkSingleAof, checkMultiPartAof.

import { basename } from 'node:path';

import { openAof, resolveAof } from '@redis-forensics/aof';

import { readWindow } from '../../read-window.js';
import { isoSeconds } from '../../time-spec.js';
import { CHECK_CONTEXT_BYTES } from './run-check.js';

import type { AofEvent, AofLayout, AofPartialCommand, AofTailStatus } from '@redis-forensics/aof';
import type { CheckError } from './run-check.js';

/** Bytes shown before the end of a truncated file (from the partial command's start when shorter). */
export const TAIL_CONTEXT_BYTES = 64;

/** What `rfx check` checks in an AOF. */
export interface AofCheckOptions {
  /** A single AOF file, an appendonlydir, its manifest, or any file inside it. */
  path: string;
  /** The layout, when the caller already resolved it. */
  layout?: AofLayout | undefined;
  /** Called with every event (progress). */
  onEvent?: ((ev: AofEvent) => void) | undefined;
}

/** The verdict for one file. */
export interface AofCheckFile {
  /** Name as redis-check-aof prints it (the path for a single file, the name inside the dir). */
  file: string;
  path: string;
  type: 'base' | 'incr' | null;
  seq: number | null;
  size: number;
  status: AofTailStatus;
  /** redis-check-aof ok_up_to. */
  okUpTo: number;
  /** redis-check-aof ok_up_to_line. */
  okUpToLine: number;
  /** size - okUpTo. */
  diff: number;
  /** Complete commands in the file. */
  commands: number;
  error: CheckError | null;
  partial: AofPartialCommand | null;
  /** Offset of a MULTI left open at the end of the file (its commands are not loaded), or null. */
  openMultiAt: number | null;
  /** The bytes around the first bad byte; for a truncation, up to the end of the file. */
  around: { offset: number; bytes: Uint8Array; mark: number } | null;
}

/** The verdict of `rfx check` on an AOF. */
export interface AofCheckReport {
  kind: 'aof';
  ok: boolean;
  path: string;
  layout: 'single' | 'multi-part';
  manifest: string | null;
  /** Every file Redis loads, in load order (all are read, even after a bad one). */
  files: AofCheckFile[];
  /** Complete commands in all files. */
  commands: number;
  time: { annotations: number; first: string | null; last: string | null; firstTimestamp: number | null; lastTimestamp: number | null };
  /** The worst status over the files. */
  status: AofTailStatus;
}

/**
 * Read every file of the AOF and report redis-check-aof's verdict and more. Bad content is
 * reported, not thrown.
 * @param options path, see {@link AofCheckOptions}
 * @returns the verdict
 * @throws {@link FormatError} MANIFEST_* for a bad manifest or missing files; Node I/O errors
 */
export async function runCheckAof(options: AofCheckOptions): Promise<AofCheckReport> {
  const layout = options.layout ?? (await resolveAof(options.path));
  const files: AofCheckFile[] = [];
  let index = -1;
  let commands = 0;
  let annotations = 0;
  let firstTs: number | null = null;
  let lastTs: number | null = null;
  for await (const ev of openAof(options.path, {}, layout)) {
    options.onEvent?.(ev);
    if (ev.type === 'file') index++;
    else if (ev.type === 'command') commands++;
    else if (ev.type === 'annotation' && ev.timestamp !== null) {
      annotations++;
      if (firstTs === null || ev.timestamp < firstTs) firstTs = ev.timestamp;
      if (lastTs === null || ev.timestamp > lastTs) lastTs = ev.timestamp;
    } else if (ev.type === 'fileEnd') {
      const lf = layout.files[index]!;
      const e = ev.error;
      files.push({
        file: ev.file,
        path: lf.path,
        type: lf.info === null ? null : lf.info.fileType === 'b' ? 'base' : 'incr',
        seq: lf.info?.fileSeq ?? null,
        size: ev.size,
        status: ev.status,
        okUpTo: ev.validUpTo,
        okUpToLine: ev.okUpToLine,
        diff: ev.diff,
        commands: ev.commands,
        error:
          e === null
            ? null
            : {
                code: e.code,
                offset: e.offset,
                phase: e.phase ?? null,
                key: e.key === undefined ? null : new Uint8Array(e.key),
                detail: e.detail,
                message: e.message,
                explanation: e.explanation,
              },
        partial: ev.partial === null ? null : { ...ev.partial, name: ev.partial.name?.slice() ?? null, key: ev.partial.key?.slice() ?? null },
        openMultiAt: ev.openMultiAt,
        around: null,
      });
    }
  }
  for (const f of files) {
    if (f.status === 'complete' || f.error === null) continue;
    if (f.status === 'truncated') {
      // The end of the file: from the partial command's start when it is short, else the last bytes.
      const from = f.partial !== null && f.size - f.partial.offset <= TAIL_CONTEXT_BYTES ? Math.max(0, f.partial.offset - 16) : Math.max(0, f.size - TAIL_CONTEXT_BYTES);
      f.around = { offset: from, bytes: await readWindow(f.path, from, f.size - from), mark: f.size };
    } else {
      const from = Math.max(0, f.error.offset - CHECK_CONTEXT_BYTES);
      f.around = { offset: from, bytes: await readWindow(f.path, from, f.error.offset - from + CHECK_CONTEXT_BYTES), mark: f.error.offset };
    }
  }
  const rank: Record<AofTailStatus, number> = { complete: 0, truncated: 1, corrupt: 2 };
  const status = files.reduce<AofTailStatus>((worst, f) => (rank[f.status] > rank[worst] ? f.status : worst), 'complete');
  return {
    kind: 'aof',
    ok: status === 'complete',
    path: options.path,
    layout: layout.kind,
    manifest: layout.kind === 'multi-part' ? basename(layout.manifestPath) : null,
    files,
    commands,
    time: {
      annotations,
      first: firstTs === null ? null : isoSeconds(firstTs),
      last: lastTs === null ? null : isoSeconds(lastTs),
      firstTimestamp: firstTs,
      lastTimestamp: lastTs,
    },
    status,
  };
}
