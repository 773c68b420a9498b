export type {
  AofAnnotationEvent,
  AofCommandEvent,
  AofEvent,
  AofFileEndEvent,
  AofFileEvent,
  AofFileFormat,
  AofPartialCommand,
  AofRdbEvent,
  AofSkippedEvent,
  AofTailStatus,
} from './events.js';
export { formatManifest, isSafeAofFileName, MANIFEST_MAX_LINE, parseManifest, splitArgs } from './manifest.js';
export type { AofInfo, AofManifest } from './manifest.js';
export { looksLikeManifest, openAof, resolveAof } from './open-aof.js';
export type { AofLayout, AofLayoutFile } from './open-aof.js';
export { isCommand, readAof } from './read-aof.js';
export type { ReadAofOptions } from './read-aof.js';
