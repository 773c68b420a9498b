// One key's type byte, name and value, dispatched on the kind of value: the writer's
// rdbSaveObjectType + rdbSaveStringObject(key) + rdbSaveObject.
// Source of truth: redis/src/rdb.c rdbSaveKeyValuePair, rdbSaveObjectType, rdbSaveObject.

import { RDB_TYPE_MODULE_2, RDB_TYPE_STRING } from '../constants.js';
import { writeHash } from './write-hash.js';
import { writeList } from './write-list.js';
import { writeSet } from './write-set.js';
import { writeStream } from './write-stream.js';
import { writeZset } from './write-zset.js';

import type { RdbValue } from '../events.js';
import type { RdbSink } from './rdb-sink.js';
import type { WriteTarget } from './write-target.js';

/**
 * Write the type byte, the key and the value of one key record, in the encoding the target's
 * Redis would choose for it (the per-key prefixes EXPIRETIME_MS / IDLE / FREQ come before, from the
 * caller). The value must be representable in the target (the caller checks: streams need RDB 9,
 * module values RDB 8, hash field TTLs RDB 12) and non-empty unless it is a stream.
 * @throws {@link FormatError} RDB_BAD_DOUBLE (NaN score), RDB_BAD_EXPIRE (field expire time out of range)
 * @see redis/src/rdb.c rdbSaveObjectType, rdbSaveObject
 */
export function writeObject(sink: RdbSink, key: Uint8Array, value: RdbValue, target: WriteTarget): void {
  switch (value.kind) {
    case 'string':
      sink.writeByte(RDB_TYPE_STRING);
      sink.writeString(key);
      sink.writeString(value.value);
      return;
    case 'list':
      writeList(sink, key, value.elements, target);
      return;
    case 'set':
      writeSet(sink, key, value.members, target);
      return;
    case 'zset':
      writeZset(sink, key, value.entries, target);
      return;
    case 'hash':
      writeHash(sink, key, value.entries, target);
      return;
    case 'stream':
      writeStream(sink, key, value.entries, value.meta, target);
      return;
    case 'module':
      // The module's annotated items are copied verbatim: they do not depend on the RDB version
      // beyond the 64-bit length form, which every target that has MODULE_2 (RDB 8+) reads.
      sink.writeByte(RDB_TYPE_MODULE_2);
      sink.writeString(key);
      sink.writeLength(value.module.moduleId);
      sink.writeBytes(value.module.payload);
      return;
  }
}
