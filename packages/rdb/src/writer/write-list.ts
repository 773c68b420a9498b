// Lists: LIST_QUICKLIST_2 (RDB 10+, listpack and PLAIN nodes), LIST_QUICKLIST (RDB 7-9, ziplist
// nodes), and for RDB 6 a single LIST_ZIPLIST when small, else the linked LIST.
// Source of truth: redis/src/rdb.c rdbSaveObjectType, rdbSaveObject (OBJ_LIST); Redis 2.6
// rdbSaveObject (REDIS_ENCODING_ZIPLIST / LINKEDLIST).

import {
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
} from '../constants.js';
import { encodeListpack } from '../encodings/listpack.js';
import { encodeZiplist } from '../encodings/ziplist.js';
import { splitQuicklistListpack, splitQuicklistZiplist } from './quicklist-nodes.js';

import type { RdbSink } from './rdb-sink.js';
import type { WriteTarget } from './write-target.js';

/**
 * Write a list key record (type byte, key, value) in the encoding the target's Redis uses.
 * @param elements head to tail, at least one
 * @see redis/src/rdb.c rdbSaveObject (OBJ_LIST)
 */
export function writeList(sink: RdbSink, key: Uint8Array, elements: readonly Uint8Array[], target: WriteTarget): void {
  const { version, limits } = target;
  if (version >= 10) {
    const nodes = splitQuicklistListpack(elements, limits.listMaxListpackSize);
    sink.writeByte(RDB_TYPE_LIST_QUICKLIST_2);
    sink.writeString(key);
    sink.writeLength(nodes.length);
    for (const node of nodes) {
      sink.writeLength(node.container);
      sink.writeString(node.container === QUICKLIST_NODE_CONTAINER_PLAIN ? node.elements[0]! : encodeListpack(node.elements));
    }
    return;
  }
  if (version >= 7) {
    const nodes = splitQuicklistZiplist(elements, limits.listMaxListpackSize);
    sink.writeByte(RDB_TYPE_LIST_QUICKLIST);
    sink.writeString(key);
    sink.writeLength(nodes.length);
    for (const node of nodes) sink.writeString(encodeZiplist(node));
    return;
  }
  if (elements.length <= limits.listMaxZiplistEntries && elements.every((e) => e.length <= limits.listMaxZiplistValue)) {
    sink.writeByte(RDB_TYPE_LIST_ZIPLIST);
    sink.writeString(key);
    sink.writeString(encodeZiplist(elements));
    return;
  }
  sink.writeByte(RDB_TYPE_LIST);
  sink.writeString(key);
  sink.writeLength(elements.length);
  for (const el of elements) sink.writeString(el);
}
