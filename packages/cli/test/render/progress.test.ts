import { describe, expect, it } from 'vitest';

import { createProgress, PROGRESS_MIN_BYTES } from '../../src/render/progress.js';
import { CaptureStream } from '../run-cli.js';

import type { CliIo } from '../../src/io.js';

function ttyIo(stderrIsTTY: boolean): { io: CliIo; stderr: CaptureStream } {
  const stderr = Object.assign(new CaptureStream(), { isTTY: stderrIsTTY, columns: 100 });
  const io: CliIo = { stdout: new CaptureStream(), stderr, isTTY: false, stderrIsTTY, colorLevel: 0, env: {} };
  return { io, stderr };
}

describe('createProgress', () => {
  it('Large file, stderr a TTY: draws a bar on stderr and clears it on stop', () => {
    const { io, stderr } = ttyIo(true);
    const progress = createProgress(io, 'check', true);
    progress.update(0, PROGRESS_MIN_BYTES * 2);
    progress.update(PROGRESS_MIN_BYTES * 2, PROGRESS_MIN_BYTES * 2);
    progress.stop();
    expect(stderr.text()).toContain('rfx check [');
    expect(stderr.text()).toContain('100%');
  });

  it('Small file: nothing drawn', () => {
    const { io, stderr } = ttyIo(true);
    const progress = createProgress(io, 'check', true);
    progress.update(10, PROGRESS_MIN_BYTES - 1);
    progress.stop();
    expect(stderr.text()).toBe('');
  });

  it('stderr not a TTY, or --no-progress: nothing drawn', () => {
    for (const [tty, enabled] of [[false, true], [true, false]] as const) {
      const { io, stderr } = ttyIo(tty);
      const progress = createProgress(io, 'dump', enabled);
      progress.update(PROGRESS_MIN_BYTES, PROGRESS_MIN_BYTES * 4);
      progress.stop();
      expect(stderr.text()).toBe('');
    }
  });
});
