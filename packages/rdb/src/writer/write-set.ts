// Sets: SET_INTSET when every member is a canonical int64 and there are few enough, SET_LISTPACK
// (RDB 11+) when small, else the hash-table SET.
// Source of truth: redis/src/rdb.c rdbSaveObject (OBJ_SET); redis/src/t_set.c setTypeCreate,
// setTypeMaybeConvert.

import { RDB_TYPE_SET, RDB_TYPE_SET_INTSET, RDB_TYPE_SET_LISTPACK } from '../constants.js';
import { encodeIntset } from '../encodings/intset.js';
import { encodeListpack } from '../encodings/listpack.js';
import { parseCanonicalInt } from '../integer-text.js';

import type { RdbSink } from './rdb-sink.js';
import type { WriteTarget } from './write-target.js';

/** The members as int64 values when every one is canonical integer text, else undefined. */
function intsetMembers(members: readonly Uint8Array[], max: number): bigint[] | undefined {
  if (members.length > max) return undefined;
  const out: bigint[] = new Array(members.length);
  for (let i = 0; i < members.length; i++) {
    const v = parseCanonicalInt(members[i]!);
    if (v === undefined) return undefined;
    out[i] = v;
  }
  return out;
}

/**
 * Write a set key record (type byte, key, value) in the encoding the target's Redis uses.
 * @param members distinct members, at least one
 * @see redis/src/rdb.c rdbSaveObject (OBJ_SET)
 */
export function writeSet(sink: RdbSink, key: Uint8Array, members: readonly Uint8Array[], target: WriteTarget): void {
  const { version, limits } = target;
  const ints = intsetMembers(members, limits.setMaxIntsetEntries);
  if (ints !== undefined) {
    sink.writeByte(RDB_TYPE_SET_INTSET);
    sink.writeString(key);
    sink.writeString(encodeIntset(ints));
    return;
  }
  if (version >= 11 && members.length <= limits.setMaxListpackEntries && members.every((m) => m.length <= limits.setMaxListpackValue)) {
    sink.writeByte(RDB_TYPE_SET_LISTPACK);
    sink.writeString(key);
    sink.writeString(encodeListpack(members));
    return;
  }
  sink.writeByte(RDB_TYPE_SET);
  sink.writeString(key);
  sink.writeLength(members.length);
  for (const m of members) sink.writeString(m);
}
