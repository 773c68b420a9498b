import { describe, expect, it } from 'vitest';

import { DATASET_SEMI_SPACE_MB, RESTARTED_ENV, restartFlags } from '../src/young-generation.js';

const FLAG = `--max-semi-space-size=${DATASET_SEMI_SPACE_MB}`;

describe('restartFlags (bin.ts restarts dataset commands with a larger young generation)', () => {
  it.each([['convert'], ['rewrite'], ['diff']])('%s: restart with the flag, node\'s own flags kept', (command) => {
    expect(restartFlags([command, 'in.aof', '-o', 'out.rdb'], ['--enable-source-maps'], {})).toEqual([FLAG, '--enable-source-maps']);
  });

  it('Options before the command do not hide it', () => {
    expect(restartFlags(['--no-color', 'convert', 'x'], [], {})).toEqual([FLAG]);
  });

  it.each([['check'], ['dump'], ['inspect'], ['repair'], ['undo-flushall']])('%s (streams, memory stays flat): no restart', (command) => {
    expect(restartFlags([command, 'x'], [], {})).toBeNull();
  });

  it('No command, --help, --version: no restart', () => {
    expect(restartFlags([], [], {})).toBeNull();
    expect(restartFlags(['--help'], [], {})).toBeNull();
  });

  it('Already restarted, or the size chosen in node flags or NODE_OPTIONS: no restart', () => {
    expect(restartFlags(['convert', 'x'], [], { [RESTARTED_ENV]: '1' })).toBeNull();
    expect(restartFlags(['convert', 'x'], ['--max-semi-space-size=32'], {})).toBeNull();
    expect(restartFlags(['convert', 'x'], [], { NODE_OPTIONS: '--inspect --max-semi-space-size=8' })).toBeNull();
  });
});
