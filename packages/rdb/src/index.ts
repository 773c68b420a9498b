export * from './constants.js';
export { decodeDumpPayload } from './dump-payload.js';
export type { DecodeDumpPayloadOptions, DumpPayload } from './dump-payload.js';
export { decodeIntset, encodeIntset, INTSET_ENC_INT16, INTSET_ENC_INT32, INTSET_ENC_INT64 } from './encodings/intset.js';
export { decodeListpack, encodeBacklen, encodeListpack } from './encodings/listpack.js';
export type { ListpackEntry, ListpackInput } from './encodings/listpack.js';
export { decodeZiplist, encodeZiplist } from './encodings/ziplist.js';
export { decodeZipmap, encodeZipmap } from './encodings/zipmap.js';
export type {
  HashEntry,
  KeyMetaClass,
  ModuleValue,
  RdbAuxEvent,
  RdbEofEvent,
  RdbEvent,
  RdbEventSpan,
  RdbFunctionEvent,
  RdbHeaderEvent,
  RdbKeyEvent,
  RdbModuleAuxEvent,
  RdbResizeDbEvent,
  RdbSelectDbEvent,
  RdbSlotImportEvent,
  RdbSlotInfoEvent,
  RdbValue,
  StreamConsumer,
  StreamEntry,
  StreamGroup,
  StreamId,
  StreamMeta,
  StreamPendingEntry,
  ZsetEntry,
} from './events.js';
export { integerToBytes, parseCanonicalInt } from './integer-text.js';
export { readLength, readLengthBig, readLengthOrEncoding, writeLength } from './length-encoding.js';
export { decodeModuleId, encodeModuleId } from './module-id.js';
export { appendRdbValue, copyRdbValue, mergeKeyParts } from './key-parts.js';
export { openRdb, openRdbBatches } from './open-rdb.js';
export { readRdb, readRdbBatches, readRdbFromFeeder } from './read-rdb.js';
export type { ReadRdbOptions } from './read-rdb.js';
export { parseRedisDouble, readStringDouble, readStringObject, writeStringObject } from './string-encoding.js';
export type { StringLimits, WriteStringOptions } from './string-encoding.js';
export { compareStreamIds, decodeStreamNode, formatStreamId } from './stream.js';
export { writeRdb, writeRdbFile } from './write-rdb.js';
export type { WriteRdbFileOptions, WriteRdbOptions } from './write-rdb.js';
export { d2string } from './writer/d2string.js';
export { fpconvDtoa } from './fpconv-dtoa.js';
export type { DoubleStyle } from './writer/d2string.js';
export { DEFAULT_ENCODING_LIMITS } from './writer/encoding-limits.js';
export type { EncodingLimits } from './writer/encoding-limits.js';
export { RDB_WRITE_CHUNK_BYTES } from './writer/rdb-sink.js';
export { buildStreamNodes } from './writer/stream-nodes.js';
export type { StreamNode } from './writer/stream-nodes.js';
export type {
  RdbWriteAuxEvent,
  RdbWriteEvent,
  RdbWriteFunctionEvent,
  RdbWriteIgnoredEvent,
  RdbWriteKeyEvent,
  RdbWriteModuleAuxEvent,
  RdbWriteResizeDbEvent,
  RdbWriteSelectDbEvent,
} from './writer/write-events.js';
export type { RdbWriteLoss } from './writer/write-loss.js';
