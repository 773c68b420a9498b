// rfx undo-flushall: find the last FLUSHALL (and FLUSHDB with --include-flushdb) in the files
// Redis loads and plan its removal like `rfx remove`. When there is none but the AOF was
// rewritten (a base file with data, or history files), say plainly that a flush before the
// rewrite left no trace: the data from before it is not in this AOF.

import { Buffer } from 'node:buffer';
import { basename } from 'node:path';

import { aofFileNameOnDisk, isCommand, resolveAof } from '@redis-forensics/aof';

import { runRemove } from '../remove/run-remove.js';

import type { ProgressReporter } from '../../render/progress.js';
import type { AofCommandEvent, AofEditPlan } from '@redis-forensics/aof';
import type { RemovedEntry } from '../remove/run-remove.js';

const FLUSHALL = Uint8Array.from(Buffer.from('flushall'));
const FLUSHDB = Uint8Array.from(Buffer.from('flushdb'));

/** What `rfx undo-flushall` looks for. */
export interface UndoFlushallOptions {
  /** Progress bar fed while the AOF is read (createProgress). Defaults to none. */
  progress?: ProgressReporter | undefined;
  /** A single AOF file, an appendonlydir, its manifest, or any file inside it. */
  path: string;
  /** Also consider FLUSHDB. Defaults to false. */
  includeFlushdb?: boolean;
}

/** The plan of `rfx undo-flushall`, as data. */
export interface UndoFlushallReport {
  path: string;
  layout: 'single' | 'multi-part';
  includeFlushdb: boolean;
  /**
   * 'found': the last flush is removed by the plan; 'none': no flush and nothing suggests one was
   * folded away; 'rewritten': no flush in the files Redis loads, but the AOF was rewritten, so one
   * before the rewrite would have left no trace (exit 65).
   */
  verdict: 'found' | 'none' | 'rewritten';
  /** The flush that goes, and what goes with it (a MULTI/EXEC block left empty). */
  removed: RemovedEntry[];
  /** Flushes found in all (the earlier ones stay). */
  flushesFound: number;
  /** Commands after the removed flush (what was written after it and stays). */
  commandsAfter: number;
  bytesRemoved: number;
  /** For 'rewritten': the base file and the history files the manifest lists (present = on disk). */
  base: { file: string; seq: number; size: number } | null;
  history: { file: string; seq: number; present: boolean; size: number | null }[];
  /** The library's edit plan (not part of any output). */
  plan: AofEditPlan;
}

/**
 * Plan the undo; nothing is written.
 * @param options path and flags, see {@link UndoFlushallOptions}
 * @returns what goes, or why nothing can
 * @throws {@link FormatError} MANIFEST_*; Node I/O errors
 */
export async function runUndoFlushall(options: UndoFlushallOptions): Promise<UndoFlushallReport> {
  const layout = await resolveAof(options.path);
  const includeFlushdb = options.includeFlushdb ?? false;
  let found = 0;
  const isFlush = (ev: AofCommandEvent): boolean => {
    const hit = isCommand(ev.argv[0], FLUSHALL) || (includeFlushdb && isCommand(ev.argv[0], FLUSHDB));
    if (hit) found++;
    return hit;
  };
  const r = await runRemove({ path: options.path, selector: {}, which: 'last', also: isFlush, progress: options.progress });
  let base: UndoFlushallReport['base'] = null;
  const history: UndoFlushallReport['history'] = [];
  let rewritten = false;
  if (layout.kind === 'multi-part') {
    const b = layout.files.find((f) => f.info?.fileType === 'b');
    if (b !== undefined && b.info !== null) base = { file: basename(b.path), seq: b.info.fileSeq, size: b.size };
    for (const h of layout.manifest.historyAofList) {
      const onDisk = layout.history.find((x) => basename(x.path) === aofFileNameOnDisk(h.fileName));
      history.push({ file: h.fileName, seq: h.fileSeq, present: onDisk !== undefined, size: onDisk?.size ?? null });
    }
    // A base with data (or a later seq) was written by a rewrite; history files are pre-rewrite.
    rewritten = history.length > 0 || (base !== null && (base.size > 0 || base.seq > 1));
  }
  return {
    path: options.path,
    layout: layout.kind,
    includeFlushdb,
    verdict: r.removed.length > 0 ? 'found' : rewritten ? 'rewritten' : 'none',
    removed: r.removed,
    flushesFound: found,
    commandsAfter: r.commandsAfter,
    bytesRemoved: r.bytesRemoved,
    base,
    history,
    plan: r.plan,
  };
}
