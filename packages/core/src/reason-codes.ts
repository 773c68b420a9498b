// Every reason a reader can reject input for, in one table. The table drives `rfx explain <code>`
// and the docs; codes are the API, messages are prose. Names follow librdb's RDB_ERR_* granularity.

/** Reason code -> one-line explanation. */
export const REASON_CODES = {
  RDB_BAD_MAGIC: 'file does not start with "REDIS" (or Valkey\'s "VALKEY")',
  RDB_UNSUPPORTED_VERSION: 'RDB version is outside the range this reader knows',
  RDB_BAD_LENGTH_ENCODING: 'a length prefix uses a form that does not exist (0x82..0xBF, or 0x81 before RDB 8)',
  RDB_BAD_STRING_ENCODING: 'a string uses an unknown special encoding (0xC4..0xFF)',
  RDB_UNKNOWN_TYPE: 'a byte where a value type or opcode must stand is neither',
  RDB_UNEXPECTED_EOF: 'the file ends before the structure being read is complete',
  RDB_LIMIT_EXCEEDED: 'a length read from the file is larger than the configured limit or than the bytes left',
  RDB_CHECKSUM_MISMATCH: 'the CRC64 stored after the EOF opcode differs from the CRC64 of the file',
  RDB_TRAILING_BYTES: 'bytes follow the end of the RDB (after EOF and checksum)',
  RDB_BAD_DOUBLE: 'a score is not a valid double (NaN, or text that is not a number)',
  RDB_BAD_INTEGER: 'a string that must hold an integer does not',
  RDB_DUPLICATE_ELEMENT: 'a set member, hash field or zset member appears twice in one value',
  RDB_EMPTY_VALUE: 'a collection with no elements (Redis skips such keys when loading)',
  RDB_BAD_SELECTDB: 'SELECTDB names a database number that cannot exist',
  RDB_BAD_EXPIRE: 'an expire time is out of range',
  RDB_BAD_AUX: 'an AUX field is malformed',
  RDB_BAD_FUNCTION: 'a FUNCTION record is malformed',
  RDB_BAD_SLOT_INFO: 'a SLOT_INFO record is malformed',
  MODULE_BAD_OPCODE: 'a module value or module AUX record holds an unknown sub-opcode',
  MODULE_UNSUPPORTED: 'a module value in the pre-GA format (type 6) cannot be skipped without the module',
  MODULE_BAD_AUX: 'a MODULE_AUX record is malformed',
  LZF_CORRUPT: 'LZF data is corrupt (reference before start, run past the input or the output)',
  LZF_LENGTH_MISMATCH: 'LZF data decompresses to a length other than the one stored',
  LISTPACK_BAD_HEADER: 'listpack total-bytes header differs from the blob size, or the blob is too short',
  LISTPACK_BAD_ENCODING: 'listpack entry starts with an invalid encoding byte (0xF5..0xFE)',
  LISTPACK_BAD_BACKLEN: 'listpack entry backlen does not match the entry size',
  LISTPACK_BAD_COUNT: 'listpack element count differs from the header, or from what the type needs',
  LISTPACK_MISSING_TERMINATOR: 'listpack does not end with 0xFF where it should',
  LISTPACK_ENTRY_OVERFLOW: 'listpack entry runs past the end of the blob',
  ZIPLIST_BAD_HEADER: 'ziplist zlbytes differs from the blob size, or the blob is too short',
  ZIPLIST_BAD_TAIL: 'ziplist zltail does not point at the last entry',
  ZIPLIST_BAD_PREVLEN: 'ziplist entry prevlen differs from the previous entry size',
  ZIPLIST_BAD_ENCODING: 'ziplist entry has an invalid encoding byte',
  ZIPLIST_BAD_COUNT: 'ziplist entry count differs from zllen, or from what the type needs',
  ZIPLIST_MISSING_TERMINATOR: 'ziplist does not end with 0xFF where it should',
  ZIPLIST_ENTRY_OVERFLOW: 'ziplist entry runs past the end of the blob',
  ZIPMAP_BAD_LENGTH: 'zipmap length field is invalid or runs past the blob',
  ZIPMAP_MISSING_TERMINATOR: 'zipmap does not end with 0xFF where it should',
  ZIPMAP_BAD_COUNT: 'zipmap pair count differs from zmlen',
  INTSET_BAD_ENCODING: 'intset encoding is not 2, 4 or 8',
  INTSET_BAD_LENGTH: 'intset length does not match the blob size, or is zero',
  INTSET_NOT_SORTED: 'intset members are not strictly ascending',
  QUICKLIST_BAD_CONTAINER: 'quicklist node container is neither PLAIN (1) nor PACKED (2)',
  QUICKLIST_EMPTY_NODE: 'quicklist node is empty',
  STREAM_BAD_NODE_KEY: 'stream node key is not a 16-byte stream ID',
  STREAM_BAD_LISTPACK: 'stream node listpack does not follow the master entry / entry layout',
  STREAM_BAD_ID: 'stream IDs are out of order or inconsistent',
  STREAM_BAD_PEL: 'stream consumer PEL entry is missing from the group PEL, or duplicated',
  STREAM_DUPLICATE: 'stream group or consumer name appears twice',
  RESP_BAD_PREFIX: 'RESP line starts with an unexpected byte',
  RESP_MISSING_CRLF: 'RESP line or bulk is not terminated by CRLF',
  RESP_BAD_LENGTH: 'RESP length is not a valid non-negative integer',
  RESP_LIMIT_EXCEEDED: 'RESP bulk length exceeds proto-max-bulk-len',
  AOF_UNEXPECTED_EOF: 'AOF ends in the middle of a command',
  AOF_UNEXPECTED_MULTI: 'MULTI inside an open MULTI',
  AOF_UNEXPECTED_EXEC: 'EXEC without MULTI',
  AOF_UNFINISHED_MULTI: 'AOF ends inside a MULTI block',
  MANIFEST_BAD_LINE: 'manifest line is malformed',
  MANIFEST_MISSING_BASE: 'manifest lists no base file',
  MANIFEST_UNSAFE_NAME: 'manifest file name is a path or points outside the directory',
} as const;

/** One of the keys of {@link REASON_CODES}: `<FORMAT>_<PROBLEM>`. */
export type ReasonCode = keyof typeof REASON_CODES;

/** Whether `code` is a known reason code (for `rfx explain`). */
export function isReasonCode(code: string): code is ReasonCode {
  return Object.prototype.hasOwnProperty.call(REASON_CODES, code);
}
