// Progress through an AOF of several files: the position is the bytes of the files before the
// current one plus the offset reached in it, out of the size of every file Redis loads.

import type { AofEvent, AofLayout } from '@redis-forensics/aof';
import type { ProgressReporter } from './render/progress.js';

/**
 * An event listener that feeds `reporter` with the position reached in the whole AOF.
 * @param layout the AOF's files (from resolveAof), in load order
 * @param reporter the progress bar (createProgress)
 * @returns call it with every event openAof yields
 */
export function aofProgress(layout: AofLayout, reporter: ProgressReporter): (ev: AofEvent) => void {
  const total = layout.files.reduce((sum, f) => sum + f.size, 0);
  let fileIndex = -1;
  let base = 0;
  return (ev) => {
    if (ev.type === 'file') {
      if (fileIndex >= 0) base += layout.files[fileIndex]?.size ?? 0;
      fileIndex++;
      return;
    }
    const position = ev.type === 'rdb' ? ev.event.end : ev.type === 'fileEnd' ? ev.size : ev.end;
    reporter.update(base + position, total);
  };
}
