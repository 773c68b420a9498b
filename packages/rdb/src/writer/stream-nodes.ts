// Stream nodes: the live entries of a stream laid out in node listpacks exactly as XADD builds
// them (FORMAT.md 4.6): a master entry with the first entry's field names, entries delta-encoded
// against the master ID, SAMEFIELDS when an entry has the master's field names, lp-count last, and
// a new node once the listpack would reach stream-node-max-bytes or holds
// stream-node-max-entries entries.
// Source of truth: redis/src/t_stream.c streamAppendItem.

import assert from 'node:assert';

import { STREAM_ITEM_FLAG_NONE, STREAM_ITEM_FLAG_SAMEFIELDS } from '../constants.js';
import { encodeListpack } from '../encodings/listpack.js';
import { listpackEntrySize } from './entry-size.js';

import type { ListpackInput } from '../encodings/listpack.js';
import type { StreamEntry, StreamId } from '../events.js';

/** t_stream.c STREAM_LISTPACK_MAX_SIZE: the hard cap of a node listpack (1 GiB). */
const STREAM_LISTPACK_MAX_SIZE = 1 << 30;
/** A listpack's header (6) and terminator (1). */
const LISTPACK_EMPTY_BYTES = 7;

/** One radix-tree node of a stream: its key (the master entry ID) and its listpack. */
export interface StreamNode {
  masterId: StreamId;
  listpack: Uint8Array;
}

interface OpenNode {
  masterId: StreamId;
  masterFields: Uint8Array[];
  /** Listpack elements; [0] is the live-entry count, filled in when the node closes. */
  elements: ListpackInput[];
  /** Bytes of every element except the count, plus header and terminator. */
  bytes: number;
  count: number;
}

function sameFieldNames(fields: readonly Uint8Array[], master: readonly Uint8Array[]): boolean {
  if (fields.length !== master.length * 2) return false;
  for (let i = 0; i < master.length; i++) {
    if (Buffer.compare(fields[2 * i]!, master[i]!) !== 0) return false;
  }
  return true;
}

function push(node: OpenNode, el: ListpackInput): void {
  node.elements.push(el);
  node.bytes += listpackEntrySize(el);
}

function close(node: OpenNode): StreamNode {
  node.elements[0] = node.count;
  return { masterId: node.masterId, listpack: encodeListpack(node.elements) };
}

/**
 * Lay out `entries` in node listpacks as a fresh stream receiving them by XADD would hold them
 * (no deleted entries: a rewritten stream has none).
 * @param entries live entries in ID order; `fields` flattened `[f1, v1, f2, v2, ...]`
 * @param maxBytes `stream-node-max-bytes` (0: no limit but the 1 GiB cap)
 * @param maxEntries `stream-node-max-entries` (0: no limit)
 * @returns the nodes in order
 * @see redis/src/t_stream.c streamAppendItem
 */
export function buildStreamNodes(entries: readonly StreamEntry[], maxBytes: number, maxEntries: number): StreamNode[] {
  const nodeMaxBytes = maxBytes === 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE ? STREAM_LISTPACK_MAX_SIZE : maxBytes;
  const nodes: StreamNode[] = [];
  let node: OpenNode | undefined;
  for (const entry of entries) {
    const fields = entry.fields;
    assert(fields.length % 2 === 0, 'stream entry fields must be field/value pairs');
    const numFields = fields.length / 2;
    if (node !== undefined) {
      let totelelen = 0;
      for (const f of fields) totelelen += f.length;
      const lpBytes = node.bytes + listpackEntrySize(node.count);
      // Deleted entries would count as well; a rewritten node has none.
      if (lpBytes + totelelen >= nodeMaxBytes || (maxEntries > 0 && node.count >= maxEntries)) {
        nodes.push(close(node));
        node = undefined;
      }
    }
    let flags: number = STREAM_ITEM_FLAG_NONE;
    if (node === undefined) {
      const masterFields: Uint8Array[] = [];
      for (let i = 0; i < numFields; i++) masterFields.push(fields[2 * i]!);
      node = { masterId: entry.id, masterFields, elements: [0], bytes: LISTPACK_EMPTY_BYTES, count: 0 };
      push(node, 0); // deleted
      push(node, numFields);
      for (const f of masterFields) push(node, f);
      push(node, 0); // master entry terminator
      flags = STREAM_ITEM_FLAG_SAMEFIELDS;
    } else if (sameFieldNames(fields, node.masterFields)) {
      flags = STREAM_ITEM_FLAG_SAMEFIELDS;
    }
    node.count++;
    push(node, flags);
    push(node, BigInt.asIntN(64, entry.id.ms - node.masterId.ms));
    push(node, BigInt.asIntN(64, entry.id.seq - node.masterId.seq));
    const same = flags === STREAM_ITEM_FLAG_SAMEFIELDS;
    if (!same) push(node, numFields);
    for (let i = 0; i < numFields; i++) {
      if (!same) push(node, fields[2 * i]!);
      push(node, fields[2 * i + 1]!);
    }
    push(node, same ? numFields + 3 : 2 * numFields + 4);
  }
  if (node !== undefined) nodes.push(close(node));
  return nodes;
}
