import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { confirm, CONFIRM_QUESTION } from '../src/confirm.js';

import type { CliIo } from '../src/io.js';

function io(stdinIsTTY: boolean, answer: string | undefined): CliIo & { asked: string[] } {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const asked: string[] = [];
  return {
    stdout: sink,
    stderr: sink,
    isTTY: false,
    colorLevel: 0,
    env: {},
    stdinIsTTY,
    asked,
    prompt:
      answer === undefined
        ? undefined
        : async (q) => {
            asked.push(q);
            return answer;
          },
  };
}

describe('confirm', () => {
  it('--yes or stdin not a terminal: never asks, goes on', async () => {
    const a = io(true, 'n');
    expect(await confirm(a, true)).toBe('yes');
    const b = io(false, 'n');
    expect(await confirm(b, false)).toBe('yes');
    expect([...a.asked, ...b.asked]).toEqual([]);
  });

  it('A terminal: asks "Continue? [y/N]"; y or yes goes on, anything else (empty too) declines', async () => {
    for (const [answer, result] of [['y', 'yes'], ['YES', 'yes'], [' y ', 'yes'], ['', 'no'], ['n', 'no'], ['yep', 'no']] as const) {
      const x = io(true, answer);
      expect(await confirm(x, false)).toBe(result);
      expect(x.asked).toEqual([CONFIRM_QUESTION]);
    }
    expect(CONFIRM_QUESTION).toBe('Continue? [y/N] ');
  });

  it('A terminal but no prompt: cannot ask', async () => {
    expect(await confirm(io(true, undefined), false)).toBe('cannot-ask');
  });
});
