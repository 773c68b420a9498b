// RDB wire constants with Redis's own names. Source of truth: redis/src/rdb.h (RDB_TYPE_*,
// RDB_OPCODE_*, RDB_ENC_*, RDB_*BITLEN), valkey/src/rdb.h for the Valkey dialect.

/** Newest RDB version written by Redis we know the layout of (7.4 .. 8.4). */
export const RDB_VERSION = 12;
/** Valkey 9's RDB version (magic `VALKEY080`). */
export const RDB_VERSION_VALKEY_9 = 80;

export const RDB_6BITLEN = 0; // 0b00xxxxxx: 6-bit length in the same byte
export const RDB_14BITLEN = 1; // 0b01xxxxxx yyyyyyyy: 14-bit length, big-endian
export const RDB_32BITLEN = 0x80; // 0x80 then u32be
export const RDB_64BITLEN = 0x81; // 0x81 then u64be (RDB >= 8)
export const RDB_ENCVAL = 3; // 0b11xxxxxx: special string encoding follows

export const RDB_ENC_INT8 = 0; // 0xc0: i8
export const RDB_ENC_INT16 = 1; // 0xc1: i16le
export const RDB_ENC_INT32 = 2; // 0xc2: i32le
export const RDB_ENC_LZF = 3; // 0xc3: len clen, len ulen, clen bytes of LZF

export const RDB_TYPE_STRING = 0; // rstr
export const RDB_TYPE_LIST = 1; // len n, n x rstr (Redis <= 3.0 linked lists)
export const RDB_TYPE_SET = 2; // len n, n x rstr
export const RDB_TYPE_ZSET = 3; // len n, n x (rstr, string-double) (Redis <= 3.2)
export const RDB_TYPE_HASH = 4; // len n, n x (rstr field, rstr value)
export const RDB_TYPE_ZSET_2 = 5; // len n, n x (rstr, f64le) (RDB >= 8)
export const RDB_TYPE_MODULE_PRE_GA = 6; // 4.0-rc1 module value, not skippable
export const RDB_TYPE_MODULE_2 = 7; // len moduleid, annotated items, len 0
export const RDB_TYPE_HASH_ZIPMAP = 9; // rstr zipmap (Redis 2.2-2.4)
export const RDB_TYPE_LIST_ZIPLIST = 10; // rstr ziplist
export const RDB_TYPE_SET_INTSET = 11; // rstr intset
export const RDB_TYPE_ZSET_ZIPLIST = 12; // rstr ziplist member, score, ...
export const RDB_TYPE_HASH_ZIPLIST = 13; // rstr ziplist field, value, ...
export const RDB_TYPE_LIST_QUICKLIST = 14; // len nodes, nodes x rstr ziplist (3.2-6.2)
export const RDB_TYPE_STREAM_LISTPACKS = 15; // stream v1 (5.0-6.2)
export const RDB_TYPE_HASH_LISTPACK = 16; // rstr listpack field, value, ... (7.0+)
export const RDB_TYPE_ZSET_LISTPACK = 17; // rstr listpack member, score, ... (7.0+)
export const RDB_TYPE_LIST_QUICKLIST_2 = 18; // len nodes, nodes x (len container, rstr) (7.0+)
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19; // stream v2 (7.0)
export const RDB_TYPE_SET_LISTPACK = 20; // rstr listpack of members (7.2+)
export const RDB_TYPE_STREAM_LISTPACKS_3 = 21; // stream v3 (7.2+, Valkey)
export const RDB_TYPE_HASH_METADATA_PRE_GA = 22; // Redis 7.4-rc: len n, n x (len expireAt, field, value)
export const RDB_TYPE_HASH_2 = 22; // Valkey 9: len n, n x (field, value, ms64 expireAt or -1)
export const RDB_TYPE_HASH_LISTPACK_EX_PRE_GA = 23; // Redis 7.4-rc: rstr listpack field, value, expireAt
export const RDB_TYPE_HASH_METADATA = 24; // Redis 7.4+: ms64 minExpire, len n, n x (len ttl, field, value)
export const RDB_TYPE_HASH_LISTPACK_EX = 25; // Redis 7.4+: ms64 minExpire, rstr listpack triplets

export const RDB_OPCODE_SLOT_IMPORT = 243; // 0xf3, Valkey 9: rstr job, len n, n x (len start, len end)
export const RDB_OPCODE_KEY_META = 243; // 0xf3, Redis 8.6: key metadata (not supported yet)
export const RDB_OPCODE_SLOT_INFO = 244; // 0xf4, len slot, len keys, len expires (7.4+ cluster)
export const RDB_OPCODE_FUNCTION2 = 245; // 0xf5, rstr library code (7.0+)
export const RDB_OPCODE_FUNCTION_PRE_GA = 246; // 0xf6, 7.0-rc1/rc2 function record
export const RDB_OPCODE_MODULE_AUX = 247; // 0xf7, len moduleid, len when-opcode, len when, items, len 0
export const RDB_OPCODE_IDLE = 248; // 0xf8, len idle seconds (LRU)
export const RDB_OPCODE_FREQ = 249; // 0xf9, u8 LFU counter
export const RDB_OPCODE_AUX = 250; // 0xfa, rstr key, rstr value
export const RDB_OPCODE_RESIZEDB = 251; // 0xfb, len db_size, len expires_size
export const RDB_OPCODE_EXPIRETIME_MS = 252; // 0xfc, ms64 absolute expire time
export const RDB_OPCODE_EXPIRETIME = 253; // 0xfd, i32le absolute expire time in seconds (<= 2.4)
export const RDB_OPCODE_SELECTDB = 254; // 0xfe, len dbid
export const RDB_OPCODE_EOF = 255; // 0xff, then 8-byte CRC64 LE when RDB >= 5

export const RDB_MODULE_OPCODE_EOF = 0; // end of module value
export const RDB_MODULE_OPCODE_SINT = 1; // len
export const RDB_MODULE_OPCODE_UINT = 2; // len
export const RDB_MODULE_OPCODE_FLOAT = 3; // f32le
export const RDB_MODULE_OPCODE_DOUBLE = 4; // f64le
export const RDB_MODULE_OPCODE_STRING = 5; // rstr

export const QUICKLIST_NODE_CONTAINER_PLAIN = 1; // node holds one raw element
export const QUICKLIST_NODE_CONTAINER_PACKED = 2; // node holds a listpack

export const STREAM_ITEM_FLAG_NONE = 0;
export const STREAM_ITEM_FLAG_DELETED = 1; // entry deleted, still in the listpack
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2; // entry has the master entry's fields

/** Which server family wrote the file; decides what type bytes 22/23 and opcode 243 mean. */
export type RdbDialect = 'redis' | 'valkey';

/** Redis's `rdb_type_string` labels (redis-check-rdb), used as our encoding labels. */
export const RDB_TYPE_NAMES: Readonly<Record<number, string>> = {
  [RDB_TYPE_STRING]: 'string',
  [RDB_TYPE_LIST]: 'list-linked',
  [RDB_TYPE_SET]: 'set-hashtable',
  [RDB_TYPE_ZSET]: 'zset-v1',
  [RDB_TYPE_HASH]: 'hash-hashtable',
  [RDB_TYPE_ZSET_2]: 'zset-v2',
  [RDB_TYPE_MODULE_PRE_GA]: 'module-pre-release',
  [RDB_TYPE_MODULE_2]: 'module-value',
  [RDB_TYPE_HASH_ZIPMAP]: 'hash-zipmap',
  [RDB_TYPE_LIST_ZIPLIST]: 'list-ziplist',
  [RDB_TYPE_SET_INTSET]: 'set-intset',
  [RDB_TYPE_ZSET_ZIPLIST]: 'zset-ziplist',
  [RDB_TYPE_HASH_ZIPLIST]: 'hash-ziplist',
  [RDB_TYPE_LIST_QUICKLIST]: 'quicklist',
  [RDB_TYPE_STREAM_LISTPACKS]: 'stream',
  [RDB_TYPE_HASH_LISTPACK]: 'hash-listpack',
  [RDB_TYPE_ZSET_LISTPACK]: 'zset-listpack',
  [RDB_TYPE_LIST_QUICKLIST_2]: 'quicklist-v2',
  [RDB_TYPE_STREAM_LISTPACKS_2]: 'stream-v2',
  [RDB_TYPE_SET_LISTPACK]: 'set-listpack',
  [RDB_TYPE_STREAM_LISTPACKS_3]: 'stream-v3',
  [RDB_TYPE_HASH_METADATA_PRE_GA]: 'hash-hashtable-md-pre-ga',
  [RDB_TYPE_HASH_LISTPACK_EX_PRE_GA]: 'hash-listpack-md-pre-ga',
  [RDB_TYPE_HASH_METADATA]: 'hash-hashtable-md',
  [RDB_TYPE_HASH_LISTPACK_EX]: 'hash-listpack-md',
};

/** Valkey's label for type 22 (HASH_2). */
export const RDB_TYPE_NAME_HASH_2 = 'hash-2';

/** The logical Redis type (what `TYPE key` prints) of each RDB type byte. */
export type RedisType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream' | 'module';

/** RDB type byte -> logical type. */
export const RDB_TYPE_LOGICAL: Readonly<Record<number, RedisType>> = {
  0: 'string', 1: 'list', 2: 'set', 3: 'zset', 4: 'hash', 5: 'zset', 6: 'module', 7: 'module',
  9: 'hash', 10: 'list', 11: 'set', 12: 'zset', 13: 'hash', 14: 'list', 15: 'stream', 16: 'hash',
  17: 'zset', 18: 'list', 19: 'stream', 20: 'set', 21: 'stream', 22: 'hash', 23: 'hash', 24: 'hash',
  25: 'hash',
};

/** The first RDB version in which each type byte may appear (Redis dialect). */
export const RDB_TYPE_MIN_VERSION: Readonly<Record<number, number>> = {
  0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 8, 6: 8, 7: 8, 9: 2, 10: 2, 11: 2, 12: 2, 13: 4, 14: 7, 15: 9,
  16: 10, 17: 10, 18: 10, 19: 10, 20: 11, 21: 11, 22: 12, 23: 12, 24: 12, 25: 12,
};
