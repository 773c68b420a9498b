// The writing AOF commands (repair, remove, undo-flushall, truncate) feed the progress bar as they
// read, up to the whole AOF's size, like check and inspect do. The bar's drawing is tested in
// render/progress.test.ts; here a recording reporter checks that the reads reach it.

import { describe, expect, it } from 'vitest';

import { resolveAof } from '@redis-forensics/aof';

import { runRemove } from '../../src/commands/remove/run-remove.js';
import { runRepair } from '../../src/commands/repair/run-repair.js';
import { runTruncate } from '../../src/commands/truncate/run-truncate.js';
import { runUndoFlushall } from '../../src/commands/undo-flushall/run-undo-flushall.js';
import { corpusAof } from '../aof-corpus.js';

import type { ProgressReporter } from '../../src/render/progress.js';

function recorder(): { reporter: ProgressReporter; positions: number[]; totals: Set<number>; stopped: () => boolean } {
  const positions: number[] = [];
  const totals = new Set<number>();
  let stopped = false;
  return {
    reporter: {
      update(position, total) {
        positions.push(position);
        totals.add(total);
      },
      stop() {
        stopped = true;
      },
      holdsData() {},
    },
    positions,
    totals,
    stopped: () => stopped,
  };
}

async function totalSize(path: string): Promise<number> {
  return (await resolveAof(path)).files.reduce((n, f) => n + f.size, 0);
}

describe('progress of the writing AOF commands', () => {
  it.each([
    ['repair', (path: string, progress: ProgressReporter) => runRepair({ path, progress }), '7.4.1', 'aof-truncated'],
    ['remove', (path: string, progress: ProgressReporter) => runRemove({ path, selector: { commands: ['SET'] }, which: 'last', progress }), '6.2.16', 'aof-plain'],
    ['undo-flushall', (path: string, progress: ProgressReporter) => runUndoFlushall({ path, progress }), '7.0.15', 'aof-flushall'],
    ['truncate', (path: string, progress: ProgressReporter) => runTruncate({ path, point: { toIndex: 3 }, progress }), '7.4.1', 'aof-timestamp'],
  ] as const)('%s: positions only grow and reach the size of every file loaded', async (_name, run, version, name) => {
    const path = corpusAof(version, name).path;
    const r = recorder();
    await run(path, r.reporter);
    const size = await totalSize(path);
    expect(r.positions.length).toBeGreaterThan(10);
    expect([...r.totals]).toEqual([size]);
    for (let i = 1; i < r.positions.length; i++) expect(r.positions[i]!).toBeGreaterThanOrEqual(r.positions[i - 1]!);
    expect(r.positions.at(-1)).toBe(size);
  });
});
