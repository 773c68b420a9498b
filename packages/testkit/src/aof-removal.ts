// The expected result of removing commands from an AOF, worked out from record spans alone (no
// code shared with packages/aof): a selected command goes alone; a MULTI/EXEC block left with no
// command goes whole (MULTI, EXEC and any annotation between them); selecting MULTI or EXEC
// selects the whole block; `first` / `last` pick one removal, `all` every one.

import { fc } from '@fast-check/vitest';

import { recordName } from './aof-records.js';

import type { AofRecordSpan } from './aof-records.js';

/** Which commands to remove: by name (lowercase), by global index, or by a glob over their keys. */
export type AofSelector = { kind: 'name'; name: string } | { kind: 'index'; indexes: number[] } | { kind: 'glob'; glob: string };

/** `first`, `last` or `all` of the matching removals. */
export type AofRemoveWhich = 'first' | 'last' | 'all';

/** A byte range of file `file` (its position in the list of files). */
export interface AofRange {
  file: number;
  offset: number;
  end: number;
}

/** Selectors that hit the names, keys and indexes the testkit AOF arbitraries produce. */
export const aofSelectorArb: fc.Arbitrary<AofSelector> = fc.oneof(
  fc.constantFrom('set', 'del', 'flushall', 'hset', 'select', 'multi', 'exec', 'unknowncmd', 'mset', 'incr', 'rpush').map((name): AofSelector => ({ kind: 'name', name })),
  fc.uniqueArray(fc.nat(40), { maxLength: 8 }).map((indexes): AofSelector => ({ kind: 'index', indexes })),
  fc.constantFrom('user:*', 'user:?', 'cart:*', '*', 'k', 'a\\*b', '*:1*', 'sess:*', '?').map((glob): AofSelector => ({ kind: 'glob', glob })),
);

/** A Redis-style glob (`*`, `?`, `\` escape) over latin1 text, as a RegExp. */
export function globRegExp(glob: string): RegExp {
  const quote = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\' && i + 1 < glob.length) re += quote(glob[++i]!);
    else re += quote(c);
  }
  return new RegExp(`^${re}$`);
}

/**
 * Whether `sel` picks the command `argv` with global index `index`.
 * @param keysOf the key arguments of a command (the aof package's commandKeys)
 */
export function aofSelects(sel: AofSelector, argv: readonly Uint8Array[], index: number, keysOf: (argv: readonly Uint8Array[]) => Uint8Array[]): boolean {
  const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
  if (sel.kind === 'name') return text(argv[0]!).toLowerCase() === sel.name;
  if (sel.kind === 'index') return sel.indexes.includes(index);
  const re = globRegExp(sel.glob);
  return keysOf(argv).some((k) => re.test(text(k)));
}

interface Cmd {
  argv: Uint8Array[];
  offset: number;
  end: number;
  index: number;
  file: number;
}

type Unit = { kind: 'single'; cmd: Cmd } | { kind: 'block'; multi: Cmd; inner: Cmd[]; exec: Cmd };

/** One removal: the ranges it takes out and the indexes of the commands it reports. */
export interface ExpectedRemoval {
  ranges: AofRange[];
  indexes: number[];
}

/**
 * The removals for the files of an AOF (each a list of record spans of a valid file, commands
 * numbered across files in order).
 * @param pick whether a command (argv, global index) is selected
 */
export function expectedAofRemovals(files: readonly (readonly AofRecordSpan[])[], pick: (argv: readonly Uint8Array[], index: number) => boolean, which: AofRemoveWhich): ExpectedRemoval[] {
  const units: Unit[] = [];
  let index = 0;
  files.forEach((spans, file) => {
    let block: { multi: Cmd; inner: Cmd[] } | null = null;
    for (const span of spans) {
      if (span.kind !== 'command') continue;
      const cmd: Cmd = { argv: span.argv, offset: span.offset, end: span.end, index: index++, file };
      const name = recordName(span);
      if (name === 'multi') block = { multi: cmd, inner: [] };
      else if (name === 'exec' && block !== null) {
        units.push({ kind: 'block', multi: block.multi, inner: block.inner, exec: cmd });
        block = null;
      } else if (block !== null) block.inner.push(cmd);
      else units.push({ kind: 'single', cmd });
    }
  });
  const sels = (c: Cmd): boolean => pick(c.argv, c.index);
  const range = (c: Cmd): AofRange => ({ file: c.file, offset: c.offset, end: c.end });
  const out: ExpectedRemoval[] = [];
  for (const u of units) {
    if (u.kind === 'single') {
      if (sels(u.cmd)) out.push({ ranges: [range(u.cmd)], indexes: [u.cmd.index] });
      continue;
    }
    const whole: AofRange = { file: u.multi.file, offset: u.multi.offset, end: u.exec.end };
    if (sels(u.multi) || sels(u.exec)) {
      out.push({ ranges: [whole], indexes: (u.inner.length > 0 ? u.inner : [u.multi]).map((c) => c.index) });
      continue;
    }
    const picked = u.inner.filter(sels);
    if (picked.length === 0) continue;
    const chosen = which === 'all' ? picked : which === 'first' ? [picked[0]!] : [picked.at(-1)!];
    if (chosen.length === u.inner.length) out.push({ ranges: [whole], indexes: chosen.map((c) => c.index) });
    else out.push({ ranges: chosen.map(range), indexes: chosen.map((c) => c.index) });
  }
  if (out.length === 0 || which === 'all') return out;
  return which === 'first' ? [out[0]!] : [out.at(-1)!];
}

/** `bytes` without the given ranges (which may overlap or repeat). */
export function bytesWithout(bytes: Uint8Array, ranges: readonly { offset: number; end: number }[]): Buffer {
  const sorted = [...ranges].sort((a, b) => a.offset - b.offset);
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const r of sorted) {
    if (r.offset > at) parts.push(bytes.subarray(at, r.offset));
    at = Math.max(at, r.end);
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}
