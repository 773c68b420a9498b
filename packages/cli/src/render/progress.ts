// A progress bar on stderr while a large file is read (cli-progress).

import cliProgress from 'cli-progress';

import { createHeapTrimmer } from '../heap-trim.js';
import { formatBytes } from './units.js';

import type { CliIo } from '../io.js';

/** Files smaller than this get no progress bar: they are read before a bar would be seen. */
export const PROGRESS_MIN_BYTES = 8 * 1024 * 1024;

/** Redraw at most once per this many bytes read: updates come per event, events can be tiny. */
const REDRAW_BYTES = 256 * 1024;

/** Receives the read position; `stop` removes the bar. */
export interface ProgressReporter {
  /**
   * @param position bytes of the file read so far
   * @param totalBytes file size in bytes
   */
  update(position: number, totalBytes: number): void;
  /** Remove the bar (if one was drawn). Safe to call more than once. */
  stop(): void;
  /**
   * Say that the reader is building an in-memory dataset: from now on no major GC is forced (the
   * heap is live data; forcing collections on it only costs time, measured at a third of a 1 GiB
   * AOF replay).
   */
  holdsData(): void;
}

/**
 * A progress reporter drawing on `io.stderr`. The bar appears on the first update, and only when
 * the file is at least {@link PROGRESS_MIN_BYTES}, stderr is a TTY and `enabled` is true;
 * otherwise every call is a no-op.
 * @param io where to draw, and whether it is a terminal
 * @param label what is being done (`inspect`, `check`, `dump`)
 * @param enabled false for `--no-progress`
 * @returns the reporter; always call `stop()` when done
 */
export function createProgress(io: CliIo, label: string, enabled: boolean): ProgressReporter {
  let bar: cliProgress.SingleBar | undefined;
  let shown = -Infinity;
  let disabled = !enabled || io.stderrIsTTY !== true;
  // Every streaming command reports its read position here, so this is also where the heap is
  // kept flat on long reads (see heap-trim.ts), bar or no bar.
  let trimHeap: ((position: number) => void) | null = createHeapTrimmer();
  return {
    update(position, totalBytes) {
      trimHeap?.(position);
      if (disabled) return;
      if (bar === undefined) {
        if (totalBytes < PROGRESS_MIN_BYTES) {
          disabled = true;
          return;
        }
        bar = new cliProgress.SingleBar(
          {
            stream: io.stderr,
            format: `rfx ${label} [{bar}] {percentage}% | {done} / {size} | eta {eta_formatted}`,
            hideCursor: true,
            clearOnComplete: true,
            fps: 10,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(totalBytes, 0, { done: formatBytes(0), size: formatBytes(totalBytes) });
      }
      if (position - shown < REDRAW_BYTES && position < totalBytes) return;
      shown = position;
      bar.update(position, { done: formatBytes(position) });
    },
    stop() {
      bar?.stop();
      bar = undefined;
      disabled = true;
    },
    holdsData() {
      trimHeap = null;
    },
  };
}
