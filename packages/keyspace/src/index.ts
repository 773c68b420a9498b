export { applyCommand, applyLatin1, isKnownCommand, UnsupportedCommandError } from './apply-command.js';
export type { CommandContext, CommandResult, UnsupportedReason } from './apply-command.js';
export { bytesToLatin1, compareLatin1, displayLatin1, latin1ToBytes } from './byte-string.js';
export { decodeFunctionDump, parseLibraryMetadata } from './commands/functions.js';
export { createHll, hllCount, hllPatLen, murmurHash64A } from './commands/hyperloglog.js';
export { decodeGeohashScore, geoDistance, geohashScore } from './commands/geo.js';
export { digestKeyspace, digestValue } from './digest.js';
export type { DigestOptions, DigestResult } from './digest.js';
export { dupValue } from './dup-value.js';
export { Keyspace, RedisDb } from './keyspace.js';
export type { FunctionLibrary, KeyspaceEntry, KeyspaceOptions } from './keyspace.js';
export { loadRdbEvent, loadRdbIntoKeyspace, mergeRdbValue } from './load-rdb.js';
export type { LoadRdbOptions, LoadRdbResult } from './load-rdb.js';
export { addLongDouble, formatLongDoubleHuman, string2ld } from './long-double.js';
export type { LongDouble } from './long-double.js';
export { d2string, doubleStyleFor, formatDouble, formatDoubleG17, formatDoubleShortest, isString2ll, ll2string, string2d, string2ll } from './number-text.js';
export type { DoubleStyle } from './number-text.js';
export { replayAof } from './replay-aof.js';
export type { AofReplayEvent, DiscardedTransaction, ReplayAofOptions, ReplayAofReport, ReplayCommandError, ReplayUntil } from './replay-aof.js';
export { OK } from './reply.js';
export type { DoubleReply, ErrorReply, Reply, StatusReply } from './reply.js';
export { parseStreamId, STREAM_ID_MAX, STREAM_ID_ZERO, streamIdKey, streamIdParts, streamIdText } from './stream-id.js';
export { SCG_INVALID_ENTRIES_READ, STREAM_NODE_MAX_BYTES, STREAM_NODE_MAX_ENTRIES } from './stream-value.js';
export type { StreamConsumerState, StreamGroupState, StreamNack, StreamNode } from './stream-value.js';
export { keyspaceToEvents, rdbTypeOf, rdbValueOf } from './to-events.js';
export {
  HashValue,
  isString,
  ListValue,
  ModuleValueHolder,
  MutableString,
  SetValue,
  StreamValue,
  stringBytes,
  stringLength,
  stringText,
  typeOf,
  ZsetValue,
} from './values.js';
export type { RedisTypeName, RedisValue, StringValue } from './values.js';
