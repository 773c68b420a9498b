export { createCli, RFX_VERSION, UsageError } from './cli.js';
export { aofProgress } from './aof-progress.js';
export { runCheck, CHECK_CONTEXT_BYTES } from './commands/check/run-check.js';
export { CONVERT_FORMATS, RDB_WRITE_VERSIONS, runConvert } from './commands/convert/run-convert.js';
export type { ConvertFormat, ConvertOptions, ConvertReport } from './commands/convert/run-convert.js';
export { compareValues } from './commands/diff/compare-values.js';
export type { CompareOptions, DiffOp, ElementDiff, PendingState, ValueComparison } from './commands/diff/compare-values.js';
export { renderDiffJsonl, renderDiffReport } from './commands/diff/render.js';
export { DEFAULT_MAX_ELEMENTS, runDiff } from './commands/diff/run-diff.js';
export type { DiffCounts, DiffOptions, DiffReport, DiffSide, FunctionDiff, KeyDiff } from './commands/diff/run-diff.js';
export { AOF_BASENAME, freshManifest, planRewrite, preambleAux, writeRewrite } from './commands/rewrite/run-rewrite.js';
export type { RewriteFile, RewriteOptions, RewritePlan, RewriteResult } from './commands/rewrite/run-rewrite.js';
export { byInputKind, KEYSPACE_DATABASES, loadAofDataset, loadDataset, loadRdbDataset, rdbInputEvents, RespTailError } from './dataset-input.js';
export type { AofReplaySummary, DatasetKind, LoadDatasetOptions, LoadedDataset } from './dataset-input.js';
export { parseRedisRelease, rdbVersionForRelease, redisTarget, releaseForRdbVersion } from './redis-target.js';
export type { RedisRelease, RedisTarget } from './redis-target.js';
export { checkReplayPointArgs, describeReplayPoint, replayPointFromArgs, replayPointOptions, resolveReplayPoint } from './replay-point.js';
export type { ReplayPoint } from './replay-point.js';
export { withTargetWarnings } from './target-warnings.js';
export { countBytes, writeOrCount } from './write-files.js';
export { runCheckAof, TAIL_CONTEXT_BYTES } from './commands/check/run-check-aof.js';
export type { AofCheckFile, AofCheckOptions, AofCheckReport } from './commands/check/run-check-aof.js';
export { aofAnalyzedLine, renderAofCheckJson, renderAofCheckReport } from './commands/check/render-aof.js';
export type { CheckError, CheckOptions, CheckReport } from './commands/check/run-check.js';
export { renderCheckJson, renderCheckReport } from './commands/check/render.js';
export type { CommandContext, GlobalArgs } from './commands/command-context.js';
export { JsonlEncoder, scoreJson } from './commands/dump/jsonl-encoder.js';
export { RespEncoder } from './commands/dump/resp-encoder.js';
export { DUMP_FORMATS, runDump } from './commands/dump/run-dump.js';
export type { DumpFormat, DumpOptions, DumpReport } from './commands/dump/run-dump.js';
export { runExplain } from './commands/explain/run-explain.js';
export type { ExplainEntry, ExplainReport } from './commands/explain/run-explain.js';
export { renderInspectReport } from './commands/inspect/render.js';
export { renderAofInspectReport } from './commands/inspect/render-aof.js';
export { RdbInspector, runInspect } from './commands/inspect/run-inspect.js';
export { DISTINCT_KEYS_LIMIT, FLUSHES_LISTED, runInspectAof } from './commands/inspect/run-inspect-aof.js';
export type { AofFileReport, AofFlush, AofInspectOptions, AofInspectReport, AofRdbPart } from './commands/inspect/run-inspect-aof.js';
export { LOG_FORMATS, logJsonLine, runLog } from './commands/log/run-log.js';
export type { LogFormat, LogOptions, LogReport } from './commands/log/run-log.js';
export { removedEntry, runRemove } from './commands/remove/run-remove.js';
export type { RemovedEntry, RemoveOptions, RemoveReport } from './commands/remove/run-remove.js';
export { runRepair, SKIPPED_SHOWN_BYTES } from './commands/repair/run-repair.js';
export type { RepairOptions, RepairRefusal, RepairReport, RepairSkipped } from './commands/repair/run-repair.js';
export { runTruncate } from './commands/truncate/run-truncate.js';
export type { TruncateOptions, TruncateReport } from './commands/truncate/run-truncate.js';
export { runUndoFlushall } from './commands/undo-flushall/run-undo-flushall.js';
export type { UndoFlushallOptions, UndoFlushallReport } from './commands/undo-flushall/run-undo-flushall.js';
export { commandName, compileSelector, isEmptySelector } from './command-selector.js';
export type { CommandSelector } from './command-selector.js';
export { confirm, CONFIRM_QUESTION } from './confirm.js';
export type { ConfirmResult } from './confirm.js';
export {
  applyEdit,
  checkEditOutputArgs,
  checkWriteOutputArgs,
  confirmWrite,
  EDIT_OUTPUT_GROUP,
  EDIT_OUTPUT_OPTIONS,
  refuseExistingOutput,
  WRITE_OUTPUT_GROUP,
  WRITE_OUTPUT_OPTIONS,
} from './edit-output.js';
export type { EditOutcome, EditOutputArgs, WriteOutputArgs } from './edit-output.js';
export type { InspectFunction, InspectModule, InspectOptions, InspectReport } from './commands/inspect/run-inspect.js';
export { EX_ABORTED, EX_CANTCREAT, EX_DIFFERENT, EX_DATAERR, EX_IOERR, EX_NOINPUT, EX_OK, EX_SOFTWARE, EX_USAGE } from './exit-codes.js';
export type { ExitCode } from './exit-codes.js';
export { describeFailure, reportUnrepresentable } from './failure.js';
export type { Failure } from './failure.js';
export { compileGlob, stringMatchLen } from './glob.js';
export { detectInputKind, isRespTail } from './input-kind.js';
export type { InputKind } from './input-kind.js';
export { effectiveColorLevel } from './io.js';
export type { CliIo } from './io.js';
export { KeyStats } from './key-stats.js';
export type { DbStats, KeySize, KeyStatsOptions, Tally } from './key-stats.js';
export { main } from './main.js';
export { OutputSink } from './output-sink.js';
export { redisStringBytes, redisStringJson, redisStringValue } from './redis-string-json.js';
export type { RedisStringJson } from './redis-string-json.js';
export { StreamTable } from './render/stream-table.js';
export { createStyle } from './render/style.js';
export type { Align, Style } from './render/style.js';
export { isoSeconds, parseTimeSpec } from './time-spec.js';
