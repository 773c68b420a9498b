// The point in time an AOF is replayed up to (`--until-index`, `--until-offset [--file]`,
// `--until-timestamp`), shared by rewrite, convert and diff (with an `a-` / `b-` prefix there).
// The semantics are those of `rfx truncate` (--to-index, --to-offset, --to-timestamp): the replay
// stops before the command with that index, before the first command at or after that byte of a
// file (every later file is left out too), or at the first `#TS:` annotation later than that time
// (redis-check-aof --truncate-to-timestamp).

import { basename } from 'node:path';

import { parseTimeSpec } from './time-spec.js';
import { UsageError } from './usage-error.js';

import type { Options } from 'yargs';
import type { AofLayout } from '@redis-forensics/aof';

/** Where a replay stops. */
export type ReplayPoint =
  | { index: number }
  | { offset: number; file?: string | undefined }
  /** Unix seconds. */
  | { timestamp: number };

/** The parsed options, keyed as yargs gives them (with the prefix). */
export type ReplayPointArgs = Record<string, unknown>;

/**
 * The yargs options for one replay point.
 * @param prefix '' for `--until-index`, 'a-' for `--a-until-index`, ...
 * @param side text for the descriptions ('' or ' of <a>')
 * @returns the options table
 */
export function replayPointOptions(prefix: string = '', side: string = ''): Record<string, Options> {
  return {
    [`${prefix}until-index`]: { describe: `Replay the AOF${side} up to (not including) the command with this index (as rfx log numbers them)`, type: 'number', requiresArg: true },
    [`${prefix}until-offset`]: { describe: `Replay the AOF${side} up to the first command at or after this byte offset`, type: 'number', requiresArg: true },
    [`${prefix}file`]: { describe: `With --${prefix}until-offset in a multi-part AOF: the file the offset is in`, type: 'string', requiresArg: true },
    [`${prefix}until-timestamp`]: {
      describe: `Replay the AOF${side} up to the first #TS annotation later than this (Unix seconds or ISO date)`,
      type: 'string',
      requiresArg: true,
      coerce: (v: string): number => Math.floor(parseTimeSpec(v) / 1000),
    },
  };
}

/** The option names of {@link replayPointOptions}, for `.group()`. */
export function replayPointGroup(prefix: string = ''): string[] {
  return [`${prefix}until-index`, `${prefix}until-offset`, `${prefix}file`, `${prefix}until-timestamp`];
}

/**
 * yargs `.check` for one replay point: at most one of the three, whole numbers, `--file` only with
 * `--until-offset`.
 * @throws Error with the usage message
 */
export function checkReplayPointArgs(args: ReplayPointArgs, prefix: string = ''): true {
  const names = [`${prefix}until-index`, `${prefix}until-offset`, `${prefix}until-timestamp`];
  const given = names.filter((n) => args[n] !== undefined);
  if (given.length > 1) throw new Error(`Give at most one of ${names.map((n) => `--${n}`).join(', ')}`);
  for (const name of [`${prefix}until-index`, `${prefix}until-offset`]) {
    const v = args[name];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) throw new Error(`--${name} needs a whole number, got ${String(v)}`);
  }
  if (args[`${prefix}file`] !== undefined && args[`${prefix}until-offset`] === undefined) throw new Error(`--${prefix}file only goes with --${prefix}until-offset`);
  return true;
}

/**
 * The replay point the options give, or undefined.
 * @param args parsed options
 * @param prefix as in {@link replayPointOptions}
 */
export function replayPointFromArgs(args: ReplayPointArgs, prefix: string = ''): ReplayPoint | undefined {
  const index = args[`${prefix}until-index`];
  const offset = args[`${prefix}until-offset`];
  const timestamp = args[`${prefix}until-timestamp`];
  const file = args[`${prefix}file`];
  if (typeof index === 'number') return { index };
  if (typeof offset === 'number') return { offset, file: typeof file === 'string' ? file : undefined };
  if (typeof timestamp === 'number') return { timestamp };
  return undefined;
}

/**
 * Check an offset point against the AOF's files and name its file as openAof's events do (the
 * base name in a multi-part AOF, the path of a single file).
 * @param point the point
 * @param layout the AOF (resolveAof)
 * @param option the option name for messages (`--until-offset`, `--a-until-offset`)
 * @returns the point with its file resolved
 * @throws {@link UsageError} for an offset without `--file` in a multi-part AOF, or a file the AOF does not load
 */
export function resolveReplayPoint(point: ReplayPoint, layout: AofLayout, option: string = '--until-offset'): ReplayPoint {
  if (!('offset' in point)) return point;
  if (layout.kind === 'single') return { offset: point.offset, file: layout.files[0]!.path };
  const names = layout.files.map((f) => basename(f.path));
  const fileOption = option.replace('until-offset', 'file');
  if (point.file === undefined) throw new UsageError(`${option} needs ${fileOption} in a multi-part AOF (offsets are per file): one of ${names.join(', ')}`, '');
  if (!names.includes(basename(point.file))) throw new UsageError(`${fileOption} ${point.file} is not a file this AOF loads: one of ${names.join(', ')}`, '');
  return { offset: point.offset, file: basename(point.file) };
}

/**
 * The point in words: `command #1000`, `offset 2,242 of appendonly.aof.2.incr.aof`, `the first #TS
 * annotation after 2026-11-21T07:42:06Z (1795246926)`.
 */
export function describeReplayPoint(point: ReplayPoint): string {
  if ('index' in point) return `command #${point.index}`;
  if ('timestamp' in point) return `the first #TS annotation after ${new Date(point.timestamp * 1000).toISOString().replace('.000Z', 'Z')} (${point.timestamp})`;
  return `offset ${point.offset.toLocaleString('en-US')}${point.file === undefined ? '' : ` of ${basename(point.file)}`}`;
}
