// rfx remove: plan the surgical removal of chosen commands from an AOF (the output is the input
// minus exactly those commands' bytes; a MULTI/EXEC block left empty goes whole).

import { basename } from 'node:path';

import { bytesRemovedBy, commandKeys, planRemove, resolveAof } from '@redis-forensics/aof';

import { aofProgress } from '../../aof-progress.js';

import { commandName, compileSelector } from '../../command-selector.js';
import { UsageError } from '../../usage-error.js';

import type { ProgressReporter } from '../../render/progress.js';
import type { AofCommandEvent, AofEditPlan, RemovedCommand, RemoveWhich } from '@redis-forensics/aof';
import type { CommandSelector } from '../../command-selector.js';

/** What `rfx remove` plans. */
export interface RemoveOptions {
  /** Progress bar fed while the AOF is read (createProgress). Defaults to none. */
  progress?: ProgressReporter | undefined;
  /** A single AOF file, an appendonlydir, its manifest, or any file inside it. */
  path: string;
  /** Which commands (every criterion must hold). */
  selector: CommandSelector;
  /** The first, the last or all of the matching commands. Defaults to 'last'. */
  which?: RemoveWhich;
  /** Extra condition (undo-flushall's FLUSHALL test), ANDed with the selector. */
  also?: ((ev: AofCommandEvent) => boolean) | undefined;
}

/** One command that goes, as listed by `--dry-run`. */
export interface RemovedEntry {
  index: number;
  file: string;
  offset: number;
  /** Bytes of the command. */
  length: number;
  db: number;
  /** `#TS:` time of the command (Unix seconds and ISO), when known. */
  timestamp: number | null;
  command: string;
  /** Its first key (by Redis's key specs), or null. */
  key: Uint8Array | null;
  /** The whole MULTI/EXEC block that goes with it (it would be left empty), or null. */
  block: { offset: number; length: number } | null;
}

/** The plan of `rfx remove`, as data. */
export interface RemoveReport {
  path: string;
  layout: 'single' | 'multi-part';
  which: RemoveWhich;
  removed: RemovedEntry[];
  /** Commands after the last removed one. */
  commandsAfter: number;
  bytesRemoved: number;
  /** The library's edit plan (not part of any output). */
  plan: AofEditPlan;
}

/**
 * A removed command as listed.
 * @param r the library's removed command
 * @returns the entry
 */
export function removedEntry(r: RemovedCommand): RemovedEntry {
  const key = commandKeys(r.argv)[0];
  return {
    index: r.index,
    file: r.file,
    offset: r.offset,
    length: r.end - r.offset,
    db: r.db,
    timestamp: r.time,
    command: commandName(r.argv),
    key: key === undefined ? null : key.slice(),
    block: r.block === null ? null : { offset: r.block.offset, length: r.block.end - r.block.offset },
  };
}

/**
 * Plan the removal; nothing is written.
 * @param options path, selector and which, see {@link RemoveOptions}
 * @returns what goes
 * @throws {@link UsageError} for `--offset` without `--file` on a multi-part AOF, or a `--file`
 *   that is not one of its files; {@link FormatError} MANIFEST_*; Node I/O errors
 */
export async function runRemove(options: RemoveOptions): Promise<RemoveReport> {
  const layout = await resolveAof(options.path);
  const sel = options.selector;
  if (layout.kind === 'multi-part') {
    const names = layout.files.map((f) => basename(f.path));
    if (sel.offset !== undefined && sel.file === undefined) {
      throw new UsageError(`--offset needs --file in a multi-part AOF (offsets are per file): one of ${names.join(', ')}`, '');
    }
    if (sel.file !== undefined && !names.includes(basename(sel.file))) {
      throw new UsageError(`--file ${sel.file} is not a file this AOF loads: one of ${names.join(', ')}`, '');
    }
  }
  const select = compileSelector(sel);
  const also = options.also;
  const which = options.which ?? 'last';
  const onEvent = options.progress === undefined ? undefined : aofProgress(layout, options.progress);
  const r = await planRemove(options.path, also === undefined ? select : (ev) => also(ev) && select(ev), which, { layout, onEvent });
  return {
    path: options.path,
    layout: layout.kind,
    which,
    removed: r.removed.map(removedEntry),
    commandsAfter: r.commandsAfter,
    bytesRemoved: bytesRemovedBy(r.plan),
    plan: r.plan,
  };
}
