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
export { aofFileNameOnDisk, formatManifest, isSafeAofFileName, MANIFEST_MAX_LINE, parseManifest, splitArgs } from './manifest.js';
export type { AofInfo, AofManifest } from './manifest.js';
export { looksLikeManifest, openAof, openAofBatches, resolveAof } from './open-aof.js';
export type { AofLayout, AofLayoutFile } from './open-aof.js';
export { isCommand, readAof } from './read-aof.js';
export type { ReadAofOptions } from './read-aof.js';
export { addCut, bytesRemovedBy, emptyPlan, readWithoutCuts, writeEditedAof } from './edit-aof.js';
export type { AofCut, AofEditPlan, WriteAofOptions, WriteAofResult } from './edit-aof.js';
export { planRemove, planRepair, planTruncate } from './plan-edits.js';
export type { PlanOptions, RemovedCommand, RemovePlan, RemoveWhich, RepairPlan, TruncatePlan, TruncatePoint } from './plan-edits.js';
export { commandKeys } from './command-keys.js';
