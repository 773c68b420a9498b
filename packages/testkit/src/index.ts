export { collect, feed, FEED_MODES, seededRandom } from './feed.js';
export type { FeedMode } from './feed.js';
export { compareVersions, findRedisTool, redisServerVersion, requireRedisTool, serverTestsSkipped, startRedisServer, withServer } from './redis-server.js';
export type { RedisServerHandle, StartRedisServerOptions } from './redis-server.js';
export {
  bytesArb,
  compressibleBytesArb,
  craftedRdbArb,
  int64Arb,
  intsetMembersArb,
  intTextArb,
  largeBytesArb,
  listpackEntriesArb,
  listpackEntryArb,
  lzfInputArb,
  nonCanonicalIntTextArb,
  rdbLengthArb,
  rdbRecordArb,
  rdbStringArb,
  rdbValueRecordArb,
  zipmapPairsArb,
  ziplistEntriesArb,
  ziplistEntryArb,
} from './arbitraries.js';
export type { RdbRecordSpec } from './arbitraries.js';
export {
  concatBytes,
  float32LE,
  float64LE,
  int32LE,
  int64LE,
  moduleItems,
  RdbBuilder,
  rdbBytes,
  rdbLzfString,
  rdbRawString,
  rdbString,
  rdbStringDouble,
  streamIdBytes,
  streamNodeElements,
  streamValue,
  toBytes,
} from './rdb-builder.js';
export type {
  BytesLike,
  HashFieldSpec,
  ModuleItem,
  Quicklist2Node,
  RdbBuilderOptions,
  RdbEofOptions,
  StreamEntrySpec,
  StreamGroupSpec,
  StreamSpec,
} from './rdb-builder.js';
export { datasetCommands, datasetSpecArb, EDGE_INTEGERS, elementArb, formatScore, FULL_DATASET_LIBRARIES, NON_INTEGERS, QUICKLIST_DEFAULT_PACKED_THRESHOLD, randomStreamId, runCommands, scoreArb, smallDatasetCommands, ttlSpecArb, valueSpecArb, writeFullDataset, writeRandomDataset } from './dataset.js';
export type { DatasetSpec, DatasetSpecArbOptions, ElementArbOptions, FullDatasetOptions, DatasetStreamGroup, KeySpec, RedisCommand, TtlSpec, ValueSpec } from './dataset.js';
export { parseServerScore, parseStreamInfoFull, readServerView } from './server-view.js';
export type { ReadServerViewOptions, ServerFunctionLibrary, ServerKey, ServerPendingEntry, ServerStreamConsumer, ServerStreamGroup, ServerStreamInfo, ServerValue, ServerView } from './server-view.js';
export { expectedKeyObject, formatExpectedJsonl } from './expected-jsonl.js';
export { runRedisCheckRdb } from './redis-check-rdb.js';
export type { RedisCheckRdbResult } from './redis-check-rdb.js';
export { aofAnnotation, aofAnnotationArb, aofArgArb, aofBytes, aofCommand, aofCommandArb, aofKeyArb, aofRecordsArb, expectedAofVerdict, parseAofRecords, recordName, respCommandBytes } from './aof-records.js';
export type { AofRecordSpan, AofRecordSpec, ExpectedAofVerdict } from './aof-records.js';
export { parseRedisCheckAofOutput, runRedisCheckAof } from './redis-check-aof.js';
export type { RedisCheckAofResult, RedisCheckAofVerdict } from './redis-check-aof.js';
export { aofDirOf, aofLoadProblems, loadedFromAof, pipeRespIntoServer, rewriteAofAndWait, serverDigest, serverKeyCount, startRedisServerOnAof } from './aof-server.js';
export type { StartOnAofOptions } from './aof-server.js';
export { catchFormatError, readRdbError } from './format-errors.js';
export { aofSelectorArb, aofSelects, bytesWithout, expectedAofRemovals, globRegExp } from './aof-removal.js';
export type { AofRange, AofRemoveWhich, AofSelector, ExpectedRemoval } from './aof-removal.js';
