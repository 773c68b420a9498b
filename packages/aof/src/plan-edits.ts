// Planning edits of an AOF from one streaming pass over its events: repair (redis-check-aof
// --fix, plus salvage), surgical removal of commands (keeping MULTI/EXEC valid), and point-in-time
// truncation (redis-check-aof --truncate-to-timestamp, generalised to every file).

import { FormatError } from '@redis-forensics/core';

import { addCut, emptyPlan } from './edit-aof.js';
import { openAof, resolveAof } from './open-aof.js';
import { isCommand } from './read-aof.js';

import type { AofEditPlan } from './edit-aof.js';
import type { AofCommandEvent, AofEvent, AofFileEndEvent, AofPartialCommand, AofSkippedEvent } from './events.js';
import type { AofLayout } from './open-aof.js';
import type { ReadAofOptions } from './read-aof.js';

/** Options shared by the planners. */
export interface PlanOptions extends Pick<ReadAofOptions, 'maxBulkBytes' | 'signal'> {
  /** The resolved layout, when the caller has it already. Defaults to resolveAof(path). */
  layout?: AofLayout | undefined;
  /** Called with every event read (for progress). Defaults to none. */
  onEvent?: ((ev: AofEvent) => void) | undefined;
}

/** The planner's read: openAof over the layout, reporting each event to onEvent. */
async function* readForPlan(path: string, layout: AofLayout, options: PlanOptions, salvage: boolean): AsyncGenerator<AofEvent, void, undefined> {
  const readOptions: Parameters<typeof openAof>[1] = { salvage, signal: options.signal };
  if (options.maxBulkBytes !== undefined) readOptions.maxBulkBytes = options.maxBulkBytes;
  for await (const ev of openAof(path, readOptions, layout)) {
    options.onEvent?.(ev);
    yield ev;
  }
}

const MULTI = Uint8Array.from([0x6d, 0x75, 0x6c, 0x74, 0x69]);
const EXEC = Uint8Array.from([0x65, 0x78, 0x65, 0x63]);

function pathOf(layout: AofLayout, file: string): string {
  if (layout.kind === 'single') return layout.files[0]!.path;
  const f = [...layout.files, ...layout.history].find((x) => x.path.endsWith(`/${file}`) || x.path === file);
  return f?.path ?? file;
}

/** What a repair would do, or why it will not. */
export interface RepairPlan {
  plan: AofEditPlan;
  /** Per file, the verdict it was planned from. */
  files: AofFileEndEvent[];
  /** The truncated command that is cut, if any. */
  cutTail: { file: string; validUpTo: number; size: number; partial: AofPartialCommand | null } | null;
  skipped: AofSkippedEvent[];
  /** Why nothing can be done safely (mid-file corruption without salvage, truncation in a non-last file). */
  refusal: FormatError | null;
}

/**
 * Plan `redis-check-aof --fix`: cut a truncated tail back to `validUpTo` (never inside an open
 * MULTI), only in the last file. Mid-file corruption is refused unless `salvage`, which skips each
 * corrupt region to the next command start (every skipped region is reported).
 * @see redis/src/redis-check-aof.c checkSingleAof (fix)
 */
export async function planRepair(path: string, options: { salvage?: boolean } & PlanOptions = {}): Promise<RepairPlan> {
  const layout = options.layout ?? (await resolveAof(path));
  const plan = emptyPlan(layout);
  const files: AofFileEndEvent[] = [];
  const skipped: AofSkippedEvent[] = [];
  let cutTail: RepairPlan['cutTail'] = null;
  let refusal: FormatError | null = null;
  for await (const ev of readForPlan(path, layout, options, options.salvage ?? false)) {
    if (ev.type === 'skipped') {
      skipped.push(ev);
      addCut(plan, pathOf(layout, ev.file), { offset: ev.offset, end: ev.end, reason: `corrupt region (${ev.error.code})` });
    } else if (ev.type === 'fileEnd') {
      files.push(ev);
      const isLast = files.length === layout.files.length;
      if (ev.status === 'complete') continue;
      if (ev.status === 'corrupt') {
        refusal ??= ev.error ?? new FormatError('AOF_UNEXPECTED_EOF', ev.validUpTo, 'corrupt');
        continue;
      }
      // truncated
      if (!isLast) {
        refusal ??= new FormatError(ev.error?.code ?? 'AOF_UNEXPECTED_EOF', ev.validUpTo, `${ev.file} is truncated but it is not the last file: Redis cannot load it, and cutting it would drop everything after it (remove the later incr files from the manifest yourself, or use rfx truncate)`, { file: ev.file });
        continue;
      }
      cutTail = { file: ev.file, validUpTo: ev.validUpTo, size: ev.size, partial: ev.partial };
      addCut(plan, pathOf(layout, ev.file), { offset: ev.validUpTo, end: ev.size, reason: ev.error?.code ?? 'truncated tail' });
    }
  }
  return { plan, files, cutTail, skipped, refusal };
}

/** Which matching command(s) to remove. */
export type RemoveWhich = 'first' | 'last' | 'all';

/** A command chosen for removal, and what goes with it. */
export interface RemovedCommand {
  file: string;
  index: number;
  offset: number;
  end: number;
  db: number;
  time: number | null;
  argv: Uint8Array[];
  /** Set when the command was the only one left in a MULTI/EXEC block, removed whole. */
  block: { offset: number; end: number } | null;
}

/** The result of planning a removal. */
export interface RemovePlan {
  plan: AofEditPlan;
  removed: RemovedCommand[];
  /** Commands read after the last removed one (how much history follows it). */
  commandsAfter: number;
  files: AofFileEndEvent[];
}

interface Block {
  file: string;
  multi: AofCommandEvent;
  inner: { ev: AofCommandEvent; selected: boolean }[];
}

function keep(ev: AofCommandEvent): AofCommandEvent {
  return { ...ev, argv: ev.argv.map((a) => a.slice()) };
}

/**
 * Plan the removal of the commands `select` accepts (`first`, `last` or `all` of them), from one
 * streaming pass. Output is the input minus exactly those commands' bytes; a command removed from
 * inside MULTI/EXEC leaves a valid transaction, and a block left empty is removed whole (MULTI and
 * EXEC too). Selecting MULTI or EXEC itself selects the whole block.
 */
export async function planRemove(
  path: string,
  select: (ev: AofCommandEvent) => boolean,
  which: RemoveWhich,
  options: PlanOptions = {},
): Promise<RemovePlan> {
  const layout = options.layout ?? (await resolveAof(path));
  const files: AofFileEndEvent[] = [];
  // Each candidate is a list of cuts (one removal, possibly a whole block).
  let chosen: RemovedCommand[] = [];
  let total = 0;
  let lastRemovedIndex = -1;
  let block: Block | null = null;
  let done = false;

  /** One removal: a single command, or a whole MULTI/EXEC block reported by its commands. */
  const take = (group: RemovedCommand[]): void => {
    if (which === 'last') chosen = group;
    else chosen.push(...group);
    lastRemovedIndex = group.at(-1)!.index;
    if (which === 'first') done = true;
  };

  for await (const ev of readForPlan(path, layout, options, false)) {
    if (ev.type === 'fileEnd') {
      files.push(ev);
      block = null;
      continue;
    }
    if (ev.type !== 'command') continue;
    total = ev.index + 1;
    if (done) continue;
    const name = ev.argv[0];
    if (isCommand(name, MULTI)) {
      block = { file: ev.file, multi: keep(ev), inner: [] };
      continue;
    }
    if (block !== null && isCommand(name, EXEC)) {
      const b: Block = block;
      block = null;
      const span = { offset: b.multi.offset, end: ev.end };
      // Selecting MULTI or EXEC selects the transaction as a whole.
      if (select(b.multi) || select(ev)) {
        const members = b.inner.length > 0 ? b.inner.map((c) => c.ev) : [b.multi];
        take(members.map((m) => ({ ...toRemoved(m), block: span })));
        continue;
      }
      const picked = b.inner.filter((c) => c.selected);
      if (picked.length === 0) continue;
      const list = which === 'first' ? [picked[0]!] : which === 'last' ? [picked.at(-1)!] : picked;
      if (list.length === b.inner.length) {
        // Nothing would be left between MULTI and EXEC: remove the block whole.
        take(list.map((c) => ({ ...toRemoved(c.ev), block: span })));
      } else if (which === 'all') {
        take(list.map((c) => ({ ...toRemoved(c.ev), block: null })));
      } else {
        take([{ ...toRemoved(list[0]!.ev), block: null }]);
      }
      continue;
    }
    if (block !== null) {
      block.inner.push({ ev: keep(ev), selected: select(ev) });
      continue;
    }
    if (select(ev)) take([{ ...toRemoved(keep(ev)), block: null }]);
  }
  const plan = emptyPlan(layout);
  for (const r of chosen) {
    const span = r.block ?? { offset: r.offset, end: r.end };
    // addCut merges the identical block spans of a whole-block removal into one cut.
    addCut(plan, pathOf(layout, r.file), { offset: span.offset, end: span.end, reason: `removed ${Buffer.from(r.argv[0] ?? new Uint8Array()).toString('latin1')} #${r.index}` });
  }
  return { plan, removed: chosen, commandsAfter: lastRemovedIndex < 0 ? 0 : total - lastRemovedIndex - 1, files };
}

function toRemoved(ev: AofCommandEvent): Omit<RemovedCommand, 'block'> {
  return { file: ev.file, index: ev.index, offset: ev.offset, end: ev.end, db: ev.db, time: ev.time, argv: ev.argv };
}

/** Where to cut the AOF for a point in time. */
export type TruncatePoint = { toTimestamp: number } | { toOffset: number; file?: string } | { toIndex: number };

/** The result of planning a truncation. */
export interface TruncatePlan {
  plan: AofEditPlan;
  /** The file and offset of the cut, or null when nothing is after the point. */
  cutAt: { file: string; offset: number } | null;
  droppedFiles: string[];
  commandsKept: number;
  commandsDropped: number;
}

/**
 * Plan a point-in-time cut: everything from the first `#TS:` annotation later than
 * `toTimestamp` (as redis-check-aof --truncate-to-timestamp), or from the command at `toIndex`,
 * or from byte `toOffset` (a command start) onwards. Unlike redis-check-aof it works in any file:
 * later incr files are dropped from a new manifest. A cut inside MULTI/EXEC moves back to the MULTI.
 * @returns cutAt null when nothing is after the point; damage in the files does not throw (see fileEnd)
 */
export async function planTruncate(path: string, point: TruncatePoint, options: PlanOptions = {}): Promise<TruncatePlan> {
  const layout = options.layout ?? (await resolveAof(path));
  let cutAt: { file: string; offset: number } | null = null;
  let multiAt: { file: string; offset: number } | null = null;
  let kept = 0;
  let total = 0;
  for await (const ev of readForPlan(path, layout, options, false)) {
    if (ev.type === 'command') total = ev.index + 1;
    if (cutAt !== null) continue;
    if (ev.type === 'annotation' && 'toTimestamp' in point && ev.timestamp !== null && ev.timestamp > point.toTimestamp) {
      cutAt = multiAt ?? { file: ev.file, offset: ev.offset };
    } else if (ev.type === 'command') {
      const hit = ('toIndex' in point && ev.index >= point.toIndex) ||
        ('toOffset' in point && (point.file === undefined || ev.file === point.file) && ev.offset >= point.toOffset);
      if (hit) {
        cutAt = multiAt ?? { file: ev.file, offset: ev.offset };
        continue;
      }
      if (isCommand(ev.argv[0], MULTI)) multiAt = { file: ev.file, offset: ev.offset };
      else if (isCommand(ev.argv[0], EXEC)) multiAt = null;
      kept = ev.index + 1;
    }
  }
  const plan = emptyPlan(layout);
  const dropped: string[] = [];
  if (cutAt !== null) {
    const cutPath = pathOf(layout, cutAt.file);
    const idx = layout.files.findIndex((f) => f.path === cutPath);
    const f = layout.files[idx]!;
    if (cutAt.offset < f.size) addCut(plan, cutPath, { offset: cutAt.offset, end: f.size, reason: 'after the point in time' });
    for (const later of layout.files.slice(idx + 1)) {
      plan.dropFiles.add(later.path);
      dropped.push(later.path);
    }
  }
  return { plan, cutAt, droppedFiles: dropped, commandsKept: cutAt === null ? total : kept, commandsDropped: cutAt === null ? 0 : total - kept };
}
