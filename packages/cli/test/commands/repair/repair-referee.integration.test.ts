// redis-check-aof (Redis's own tool) as the referee of `rfx repair`: the repaired output of a
// truncated single-file AOF (6.2.16) and of a multi-part AOF (7.0.15) must be "valid" to it.

import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { copyAof, corpusAof, removeScratch } from '../../aof-corpus.js';
import { runRedisCheckAof } from '../../redis-check-aof.js';
import { runCli } from '../../run-cli.js';

describe('rfx repair, refereed by redis-check-aof', () => {
  afterAll(removeScratch);

  it.each([
    ['6.2.16', 'aof-truncated'],
    ['6.2.16', 'aof-truncated-multi'],
    ['7.0.15', 'aof-truncated'],
    ['7.0.15', 'aof-truncated-multi'],
  ])('%s %s: redis-check-aof fails the input and says the repaired output is valid', async (version, name) => {
    const c = corpusAof(version, name);
    const before = await runRedisCheckAof(c.path);
    expect(before.exitCode).not.toBe(0);
    const out = join(copyAof(c.path), '..', c.multiPart ? 'repaired.aofdir' : 'repaired.aof');
    const run = await runCli(['repair', c.path, '-o', out]);
    expect(run.exitCode).toBe(0);
    const after = await runRedisCheckAof(out);
    expect(after.output).toMatch(/valid/);
    expect(after).toMatchObject({ exitCode: 0, valid: true });
  });
});
