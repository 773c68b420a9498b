// Deep copies of values, for COPY. Source of truth: redis/src/db.c copyCommand and the per-type
// dup functions (listTypeDup, setTypeDup, zsetDup, hashTypeDup, streamDup).

import { HashValue, ListValue, MutableString, SetValue, StreamValue, ZsetValue } from './values.js';

import type { StreamGroupState } from './stream-value.js';
import type { RedisValue } from './values.js';

/** A copy of a stream: nodes, metadata, groups with their PELs and consumers. */
export function dupStream(s: StreamValue): StreamValue {
  const d = new StreamValue();
  d.nodes = s.nodes.map((n) => ({
    master: n.master,
    masterFields: n.masterFields,
    ids: n.ids,
    blob: n.blob,
    offsets: n.offsets.slice(),
    flags: n.flags.slice(),
    live: n.live,
    deletedCount: n.deletedCount,
    bytes: n.bytes,
  }));
  d.length = s.length;
  d.lastId = s.lastId;
  d.firstId = s.firstId;
  d.maxDeletedId = s.maxDeletedId;
  d.entriesAdded = s.entriesAdded;
  d.nodeMaxBytes = s.nodeMaxBytes;
  d.nodeMaxEntries = s.nodeMaxEntries;
  if (s.groups !== null) {
    d.groups = new Map();
    for (const [name, g] of s.groups) {
      const copy: StreamGroupState = { lastId: g.lastId, entriesRead: g.entriesRead, pel: new Map(), consumers: new Map() };
      for (const [id, nack] of g.pel) copy.pel.set(id, { ...nack });
      for (const [cname, c] of g.consumers) {
        copy.consumers.set(cname, { seenTime: c.seenTime, activeTime: c.activeTime, pel: new Set(c.pel) });
      }
      d.groups.set(name, copy);
    }
  }
  return d;
}

/** A deep copy of any value (module values share their immutable payload). */
export function dupValue(v: RedisValue): RedisValue {
  if (typeof v === 'string') return v;
  switch (v.type) {
    case 'mstring':
      return new MutableString(v.view());
    case 'list':
      return new ListValue(v.toArray());
    case 'set':
      return new SetValue(v.set);
    case 'zset': {
      const z = new ZsetValue();
      for (const [m, s] of v.index) z.set(m, s);
      return z;
    }
    case 'hash': {
      const h = new HashValue();
      for (const [f, val] of v.map) h.map.set(f, val);
      if (v.expires !== null) h.expires = new Map(v.expires);
      return h;
    }
    case 'stream':
      return dupStream(v);
    case 'module':
      return v;
  }
}
