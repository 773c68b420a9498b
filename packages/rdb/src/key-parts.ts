// Reassembling a key that arrives in parts (the reader splits large collections). The writer
// needs it (every hash-table and quicklist encoding starts with a count, so nothing of a key can be
// written before its last part: the parts of ONE key are held, copied, and the key is written
// whole; memory is bounded by the largest key, not the file), and so does any consumer that wants
// whole values from a small file.

import assert from 'node:assert';

import type { RdbEvent, RdbKeyEvent, RdbValue } from './events.js';
import type { RdbWriteKeyEvent } from './writer/write-events.js';

const copy = (b: Uint8Array): Uint8Array => b.slice();

/**
 * A deep copy of a value: every byte array copied, so it stays valid and does not keep the
 * reader's buffers alive.
 */
export function copyRdbValue(v: RdbValue): RdbValue {
  switch (v.kind) {
    case 'string': return { kind: 'string', value: copy(v.value) };
    case 'list': return { kind: 'list', elements: v.elements.map(copy) };
    case 'set': return { kind: 'set', members: v.members.map(copy) };
    case 'zset': return { kind: 'zset', entries: v.entries.map((e) => ({ member: copy(e.member), score: e.score })) };
    case 'hash': return { kind: 'hash', entries: v.entries.map((e) => ({ field: copy(e.field), value: copy(e.value), expireAt: e.expireAt })) };
    case 'stream': return { kind: 'stream', entries: v.entries.map((e) => ({ id: e.id, fields: e.fields.map(copy) })), meta: v.meta };
    case 'module': return { kind: 'module', module: { ...v.module, payload: copy(v.module.payload) } };
  }
}

/**
 * Append a later part's value (used as is, not copied) to the value gathered so far. Streams take
 * the metadata of the part that has it (the last one).
 * @throws AssertionError when the parts are of different kinds
 */
export function appendRdbValue(into: RdbValue, more: RdbValue): void {
  if (into.kind === 'list' && more.kind === 'list') for (const e of more.elements) into.elements.push(e);
  else if (into.kind === 'set' && more.kind === 'set') for (const m of more.members) into.members.push(m);
  else if (into.kind === 'zset' && more.kind === 'zset') for (const e of more.entries) into.entries.push(e);
  else if (into.kind === 'hash' && more.kind === 'hash') for (const e of more.entries) into.entries.push(e);
  else if (into.kind === 'stream' && more.kind === 'stream') {
    for (const e of more.entries) into.entries.push(e);
    if (more.meta !== null) into.meta = more.meta;
  } else assert.fail(`a part of kind ${more.kind} follows a part of kind ${into.kind}`);
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

/** Collects the parts of one key at a time; see the file comment for why. */
export class KeyParts {
  private open: RdbWriteKeyEvent | undefined;
  private nextIndex = 0;

  /** Whether a key's first parts are held, waiting for its last one. */
  get pending(): boolean {
    return this.open !== undefined;
  }

  /**
   * Take one part.
   * @returns the whole key when `ev` is its last part (the last part's bytes are not copied:
   *   write the key before pulling the next event), else undefined
   * @throws AssertionError when parts of different keys interleave or arrive out of order
   */
  add(ev: RdbWriteKeyEvent & { part: { index: number; last: boolean } }): RdbWriteKeyEvent | undefined {
    if (this.open === undefined) {
      assert(ev.part.index === 0, `part ${ev.part.index} of a key arrived before its part 0`);
      if (ev.part.last) return ev;
      const { part: _part, ...rest } = ev;
      this.open = { ...rest, key: copy(ev.key), value: copyRdbValue(ev.value) };
      this.nextIndex = 1;
      return undefined;
    }
    const open = this.open;
    assert(sameBytes(open.key, ev.key) && open.db === ev.db, 'parts of two keys interleave');
    assert(ev.part.index === this.nextIndex, `part ${ev.part.index} arrived where part ${this.nextIndex} was due`);
    appendRdbValue(open.value, ev.part.last ? ev.value : copyRdbValue(ev.value));
    this.nextIndex++;
    if (!ev.part.last) return undefined;
    this.open = undefined;
    return open;
  }
}

/**
 * The key events of `events` with each key's parts merged into one event (whole values; spans from
 * the first part's offset to the last part's end). Holds every key in memory: meant for small
 * files and tests; stream large files part by part instead.
 * @throws AssertionError when parts of different keys interleave
 */
export function mergeKeyParts(events: Iterable<RdbEvent>): RdbKeyEvent[] {
  const out: RdbKeyEvent[] = [];
  let open: RdbKeyEvent | undefined;
  for (const ev of events) {
    if (ev.type !== 'key') continue;
    if (ev.part === undefined) {
      assert(open === undefined, 'a whole key arrived inside another key\'s parts');
      out.push(ev);
      continue;
    }
    if (ev.part.index === 0) {
      assert(open === undefined, 'parts of two keys interleave');
      const { part: _part, ...rest } = ev;
      open = { ...rest, value: copyRdbValue(ev.value) };
    } else {
      assert(open !== undefined && Buffer.compare(open.key, ev.key) === 0 && open.db === ev.db, 'parts of two keys interleave');
      appendRdbValue(open.value, ev.value);
      open.end = ev.end;
    }
    if (ev.part.last) {
      out.push(open);
      open = undefined;
    }
  }
  return out;
}
