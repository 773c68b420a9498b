// rfx truncate: plan a point-in-time cut of an AOF, like redis-check-aof --truncate-to-timestamp
// but also by offset or command index and in any file (later incr files leave the manifest).

import { basename } from 'node:path';

import { bytesRemovedBy, planTruncate, resolveAof } from '@redis-forensics/aof';

import { aofProgress } from '../../aof-progress.js';

import { UsageError } from '../../usage-error.js';

import type { ProgressReporter } from '../../render/progress.js';
import type { AofEditPlan, TruncatePoint } from '@redis-forensics/aof';

/** What `rfx truncate` plans. */
export interface TruncateOptions {
  /** Progress bar fed while the AOF is read (createProgress). Defaults to none. */
  progress?: ProgressReporter | undefined;
  /** A single AOF file, an appendonlydir, its manifest, or any file inside it. */
  path: string;
  /** Where to cut: Unix seconds (the first `#TS:` after it), a byte offset, or a command index. */
  point: TruncatePoint;
}

/** The plan of `rfx truncate`, as data. */
export interface TruncateReport {
  path: string;
  layout: 'single' | 'multi-part';
  point: TruncatePoint;
  /** Where the cut starts (moved back to a MULTI when it fell inside a transaction), or null when nothing follows the point. */
  cutAt: { file: string; offset: number } | null;
  /** Incr files left out of the new manifest. */
  droppedFiles: string[];
  commandsKept: number;
  commandsDropped: number;
  bytesRemoved: number;
  /** The library's edit plan (not part of any output). */
  plan: AofEditPlan;
}

/**
 * Plan the cut; nothing is written.
 * @param options path and point, see {@link TruncateOptions}
 * @returns what goes
 * @throws {@link UsageError} for `--to-offset` without `--file` on a multi-part AOF or an unknown
 *   `--file`; {@link FormatError} MANIFEST_*; Node I/O errors
 */
export async function runTruncate(options: TruncateOptions): Promise<TruncateReport> {
  const layout = await resolveAof(options.path);
  let point = options.point;
  if ('toOffset' in point) {
    if (layout.kind === 'multi-part') {
      const names = layout.files.map((f) => basename(f.path));
      if (point.file === undefined) throw new UsageError(`--to-offset needs --file in a multi-part AOF (offsets are per file): one of ${names.join(', ')}`, '');
      if (!names.includes(basename(point.file))) throw new UsageError(`--file ${point.file} is not a file this AOF loads: one of ${names.join(', ')}`, '');
      point = { toOffset: point.toOffset, file: basename(point.file) };
    } else {
      // A single file: events name it by the path given.
      point = { toOffset: point.toOffset, file: layout.files[0]!.path };
    }
  }
  const onEvent = options.progress === undefined ? undefined : aofProgress(layout, options.progress);
  const r = await planTruncate(options.path, point, { layout, onEvent });
  return {
    path: options.path,
    layout: layout.kind,
    point: options.point,
    cutAt: r.cutAt,
    droppedFiles: r.droppedFiles.map((f) => basename(f)),
    commandsKept: r.commandsKept,
    commandsDropped: r.commandsDropped,
    bytesRemoved: bytesRemovedBy(r.plan),
    plan: r.plan,
  };
}
