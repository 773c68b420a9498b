// Which AOF commands a filter or selector picks (`rfx log`, `rfx remove`): by name, by key glob
// (the key positions of Redis's key specs), by db, by `#TS:` time, by index or by byte offset.
// Every criterion given must hold (AND).

import { Buffer } from 'node:buffer';
import { basename } from 'node:path';

import { commandKeys } from '@redis-forensics/aof';

import { compileGlob } from './glob.js';

import type { AofCommandEvent } from '@redis-forensics/aof';

/** The criteria; an absent one accepts every command. */
export interface CommandSelector {
  /** Command names, any case (`set`, `FLUSHALL`). */
  commands?: readonly string[] | undefined;
  /** A Redis glob (KEYS / SCAN MATCH syntax) that some key of the command must match. */
  match?: string | undefined;
  /** Databases the command must run in. */
  dbs?: readonly number[] | undefined;
  /** Earliest `#TS:` time, Unix ms, inclusive. Commands without a time never match. */
  sinceMs?: number | undefined;
  /** Latest `#TS:` time, Unix ms, inclusive. Commands without a time never match. */
  untilMs?: number | undefined;
  /** The command's 0-based index across the whole AOF. */
  index?: number | undefined;
  /** A byte offset inside the command (from its first byte to before its end). */
  offset?: number | undefined;
  /** The file the command is in (name or path; for `offset` in a multi-part AOF). */
  file?: string | undefined;
}

/** Whether no criterion is given (a selector that would pick everything). */
export function isEmptySelector(sel: CommandSelector): boolean {
  return (
    (sel.commands === undefined || sel.commands.length === 0) &&
    sel.match === undefined &&
    (sel.dbs === undefined || sel.dbs.length === 0) &&
    sel.sinceMs === undefined &&
    sel.untilMs === undefined &&
    sel.index === undefined &&
    sel.offset === undefined &&
    sel.file === undefined
  );
}

/** The command name of `argv` in upper case, as rfx shows it (`SET`), or '' when there is none. */
export function commandName(argv: readonly Uint8Array[]): string {
  const name = argv[0];
  return name === undefined ? '' : Buffer.from(name.buffer, name.byteOffset, name.byteLength).toString('latin1').toUpperCase();
}

/**
 * Compile the criteria into a predicate over command events.
 * @param sel the criteria
 * @returns true for the commands every given criterion accepts
 */
export function compileSelector(sel: CommandSelector): (ev: AofCommandEvent) => boolean {
  const names = sel.commands === undefined || sel.commands.length === 0 ? null : new Set(sel.commands.map((c) => c.toUpperCase()));
  const glob = sel.match === undefined ? null : compileGlob(sel.match);
  const dbs = sel.dbs === undefined || sel.dbs.length === 0 ? null : new Set(sel.dbs);
  const file = sel.file;
  return (ev) => {
    if (sel.index !== undefined && ev.index !== sel.index) return false;
    if (file !== undefined && ev.file !== file && basename(ev.file) !== basename(file)) return false;
    if (sel.offset !== undefined && (sel.offset < ev.offset || sel.offset >= ev.end)) return false;
    if (dbs !== null && !dbs.has(ev.db)) return false;
    if (sel.sinceMs !== undefined && (ev.time === null || ev.time * 1000 < sel.sinceMs)) return false;
    if (sel.untilMs !== undefined && (ev.time === null || ev.time * 1000 > sel.untilMs)) return false;
    if (names !== null && !names.has(commandName(ev.argv))) return false;
    if (glob !== null && !commandKeys(ev.argv).some((k) => glob(k))) return false;
    return true;
  };
}
