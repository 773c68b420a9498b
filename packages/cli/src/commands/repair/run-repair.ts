// rfx repair: plan what redis-check-aof --fix does (cut a truncated tail back to ok_up_to), to a
// new file or directory by default; refuse what it would do blindly (truncation in a non-last
// file, corruption in the middle) unless --salvage, which skips each corrupt region to the next
// command start and reports every one of them.

import { basename } from 'node:path';

import { bytesRemovedBy, planRepair, resolveAof } from '@redis-forensics/aof';

import { aofProgress } from '../../aof-progress.js';

import { readWindow } from '../../read-window.js';

import type { ProgressReporter } from '../../render/progress.js';
import type { AofEditPlan, AofLayout, AofPartialCommand } from '@redis-forensics/aof';
import type { ReasonCode } from '@redis-forensics/core';

/** Bytes of each skipped region shown in its hexdump. */
export const SKIPPED_SHOWN_BYTES = 64;

/** What `rfx repair` plans. */
export interface RepairOptions {
  /** Progress bar fed while the AOF is read (createProgress). Defaults to none. */
  progress?: ProgressReporter | undefined;
  /** A single AOF file, an appendonlydir, its manifest, or any file inside it. */
  path: string;
  /** Skip corrupt regions instead of refusing. Defaults to false. */
  salvage?: boolean;
}

/** A corrupt region skipped by salvage. */
export interface RepairSkipped {
  file: string;
  offset: number;
  length: number;
  code: ReasonCode;
  /** Where the error was found inside the region. */
  errorOffset: number;
  message: string;
  /** The region's first bytes (at most {@link SKIPPED_SHOWN_BYTES}). */
  head: Uint8Array;
}

/** Why a repair was refused. */
export interface RepairRefusal {
  /** 'truncated-not-last': a file other than the last ends early; 'corrupt': bad bytes mid-file. */
  reason: 'truncated-not-last' | 'corrupt';
  file: string;
  code: ReasonCode;
  offset: number;
  /** redis-check-aof's ok_up_to for the file: where --fix would cut. */
  okUpTo: number;
  /** The file's size. */
  size: number;
  message: string;
  explanation: string;
  /** The bytes around the offset. */
  around: { offset: number; bytes: Uint8Array; mark: number } | null;
}

/** The plan of `rfx repair`, as data. */
export interface RepairReport {
  path: string;
  layout: 'single' | 'multi-part';
  salvage: boolean;
  /** 'nothing' (every file complete), 'repair' (the plan cuts something), 'refused'. */
  action: 'nothing' | 'repair' | 'refused';
  refusal: RepairRefusal | null;
  /** For a refused corruption: what --salvage would skip. */
  salvagePreview: { regions: number; bytes: number } | null;
  /** The truncated tail that is cut. */
  cutTail: { file: string; validUpTo: number; size: number; bytes: number; partial: AofPartialCommand | null; openMultiAt: number | null } | null;
  skipped: RepairSkipped[];
  bytesRemoved: number;
  /** The library's edit plan (not part of any output). */
  plan: AofEditPlan;
}

function pathOf(layout: AofLayout, file: string): string {
  if (layout.kind === 'single') return layout.files[0]!.path;
  return layout.files.find((f) => basename(f.path) === file)?.path ?? file;
}

/**
 * Plan the repair; nothing is written.
 * @param options path and salvage, see {@link RepairOptions}
 * @returns the plan and what it does, or why it is refused
 * @throws {@link FormatError} MANIFEST_* for a bad manifest or missing files; Node I/O errors
 */
export async function runRepair(options: RepairOptions): Promise<RepairReport> {
  const layout = await resolveAof(options.path);
  const salvage = options.salvage ?? false;
  const onEvent = options.progress === undefined ? undefined : aofProgress(layout, options.progress);
  const r = await planRepair(options.path, { salvage, layout, onEvent });
  let refusal: RepairRefusal | null = null;
  if (r.refusal !== null) {
    const e = r.refusal;
    const file = e.file ?? r.files.find((f) => f.status !== 'complete')?.file ?? options.path;
    const fileEnd = r.files.find((f) => f.file === file);
    const truncated = fileEnd?.status === 'truncated';
    const path = pathOf(layout, file);
    const mark = truncated ? (fileEnd?.size ?? e.offset) : e.offset;
    const from = Math.max(0, mark - 32);
    refusal = {
      reason: truncated ? 'truncated-not-last' : 'corrupt',
      file,
      code: e.code,
      offset: e.offset,
      okUpTo: fileEnd?.validUpTo ?? e.offset,
      size: fileEnd?.size ?? e.offset,
      message: e.message,
      explanation: e.explanation,
      around: { offset: from, bytes: await readWindow(path, from, truncated ? mark - from : mark - from + 32), mark },
    };
  }
  let salvagePreview: RepairReport['salvagePreview'] = null;
  if (refusal?.reason === 'corrupt' && !salvage) {
    const s = await planRepair(options.path, { salvage: true, layout });
    salvagePreview = { regions: s.skipped.length, bytes: s.skipped.reduce((n, k) => n + (k.end - k.offset), 0) };
  }
  const skipped: RepairSkipped[] = [];
  for (const k of r.skipped) {
    const length = k.end - k.offset;
    skipped.push({
      file: k.file,
      offset: k.offset,
      length,
      code: k.error.code,
      errorOffset: k.error.offset,
      message: k.error.message,
      head: await readWindow(pathOf(layout, k.file), k.offset, Math.min(length, SKIPPED_SHOWN_BYTES)),
    });
  }
  const lastEnd = r.files.at(-1);
  const cutTail =
    r.cutTail === null
      ? null
      : {
          ...r.cutTail,
          bytes: r.cutTail.size - r.cutTail.validUpTo,
          partial: r.cutTail.partial === null ? null : { ...r.cutTail.partial, name: r.cutTail.partial.name?.slice() ?? null, key: r.cutTail.partial.key?.slice() ?? null },
          openMultiAt: lastEnd?.file === r.cutTail.file ? lastEnd.openMultiAt : null,
        };
  const bytesRemoved = bytesRemovedBy(r.plan);
  return {
    path: options.path,
    layout: layout.kind,
    salvage,
    action: refusal !== null ? 'refused' : bytesRemoved === 0 ? 'nothing' : 'repair',
    refusal,
    salvagePreview,
    cutTail,
    skipped,
    bytesRemoved,
    plan: r.plan,
  };
}
