// Splitting a list into quicklist nodes as RPUSH fills them: a node takes the next element while
// the container's size estimate stays within the `list-max-listpack-size` limit; an element larger
// than the limit gets a PLAIN node of its own (quicklist v2) or a ziplist node of its own (v1).
// Source of truth: redis/src/quicklist.c _quicklistNodeAllowInsert, isLargeElement,
// quicklistSetFill (7.0 for listpack nodes, 6.2 for ziplist nodes).

import { QUICKLIST_NODE_CONTAINER_PACKED, QUICKLIST_NODE_CONTAINER_PLAIN } from '../constants.js';
import { listpackEntrySize, ziplistEntryBodySize } from './entry-size.js';

/** One quicklist node: a PACKED node's elements, or the single element of a PLAIN node. */
export interface QuicklistNodeSpec {
  /** QUICKLIST_NODE_CONTAINER_PACKED (2) or QUICKLIST_NODE_CONTAINER_PLAIN (1). */
  container: number;
  elements: Uint8Array[];
}

/** quicklist.c optimization_level: node byte limits for fill -1 .. -5. */
const OPTIMIZATION_LEVEL = [4096, 8192, 16384, 32768, 65536] as const;
/** quicklist.c SIZE_SAFETY_LIMIT: the byte limit of count-limited (positive fill) nodes. */
const SIZE_SAFETY_LIMIT = 8192;
/** quicklist.c SIZE_ESTIMATE_OVERHEAD (7.0): bytes added to an element's length in the estimate. */
const SIZE_ESTIMATE_OVERHEAD = 8;
/** quicklist.c FILL_MAX: the largest positive fill (16-bit signed field). */
const FILL_MAX = (1 << 15) - 1;
const LISTPACK_EMPTY_BYTES = 7;
const ZIPLIST_EMPTY_BYTES = 11;

/** `fill` clamped as quicklistSetFill does: -5 .. 32767. */
function clampFill(fill: number): number {
  return fill > FILL_MAX ? FILL_MAX : fill < -5 ? -5 : fill;
}

/** The byte limit of a node for this fill (negative fills), or the safety limit (positive fills). */
function nodeByteLimit(fill: number): number {
  return fill < 0 ? OPTIMIZATION_LEVEL[-fill - 1]! : SIZE_SAFETY_LIMIT;
}

/**
 * Whether a node of `nodeBytes` bytes and `count` elements takes one more element whose estimate
 * is `newBytes` (Redis adds the raw length plus an overhead to the node's real size).
 * @see redis/src/quicklist.c _quicklistNodeAllowInsert
 */
function allowInsert(fill: number, newBytes: number, count: number): boolean {
  if (fill < 0) return newBytes <= nodeByteLimit(fill);
  if (newBytes > SIZE_SAFETY_LIMIT) return false;
  return count < fill;
}

/**
 * Split `elements` into quicklist v2 nodes (RDB 10+, LIST_QUICKLIST_2): listpack (PACKED) nodes
 * filled as Redis 7.0 fills them, and a PLAIN node for each element longer than the node limit
 * (what Redis 7.4 does; 7.0 loads PLAIN nodes as well).
 * @param elements the list, head to tail
 * @param fill `list-max-listpack-size` (-5 .. -1 bytes class, or a positive element count)
 * @see redis/src/quicklist.c _quicklistNodeAllowInsert, isLargeElement
 */
export function splitQuicklistListpack(elements: readonly Uint8Array[], fill: number): QuicklistNodeSpec[] {
  const f = clampFill(fill);
  const plainAbove = nodeByteLimit(f);
  const nodes: QuicklistNodeSpec[] = [];
  let current: Uint8Array[] | undefined;
  let bytes = 0;
  for (const el of elements) {
    if (el.length > plainAbove) {
      nodes.push({ container: QUICKLIST_NODE_CONTAINER_PLAIN, elements: [el] });
      current = undefined;
      continue;
    }
    if (current === undefined || !allowInsert(f, bytes + el.length + SIZE_ESTIMATE_OVERHEAD, current.length)) {
      current = [];
      bytes = LISTPACK_EMPTY_BYTES;
      nodes.push({ container: QUICKLIST_NODE_CONTAINER_PACKED, elements: current });
    }
    current.push(el);
    bytes += listpackEntrySize(el);
  }
  return nodes;
}

/**
 * Split `elements` into quicklist v1 nodes (RDB 7..9, LIST_QUICKLIST): ziplists filled as Redis
 * 3.2-6.2 fills them; an element too large for any node gets a node of its own.
 * @param elements the list, head to tail
 * @param fill `list-max-ziplist-size`
 * @returns the elements of each node
 * @see redis/src/quicklist.c _quicklistNodeAllowInsert (6.2)
 */
export function splitQuicklistZiplist(elements: readonly Uint8Array[], fill: number): Uint8Array[][] {
  const f = clampFill(fill);
  const nodes: Uint8Array[][] = [];
  let current: Uint8Array[] | undefined;
  let bytes = 0;
  let prevEntryBytes = 0;
  for (const el of elements) {
    const sz = el.length;
    const overhead = (sz < 254 ? 1 : 5) + (sz < 64 ? 1 : sz < 16384 ? 2 : 5);
    if (current === undefined || !allowInsert(f, bytes + sz + overhead, current.length)) {
      current = [];
      bytes = ZIPLIST_EMPTY_BYTES;
      prevEntryBytes = 0;
      nodes.push(current);
    }
    current.push(el);
    const entryBytes = (prevEntryBytes < 254 ? 1 : 5) + ziplistEntryBodySize(el);
    bytes += entryBytes;
    prevEntryBytes = entryBytes;
  }
  return nodes;
}
