import { describe, expect, it } from 'vitest';

import { REASON_CODES } from '@redis-forensics/core';

import { runExplain } from '../../../src/commands/explain/run-explain.js';
import { runCli } from '../../run-cli.js';

describe('rfx explain', () => {
  it('Known code: prints REASON_CODES[code], exit 0', async () => {
    const run = await runCli(['explain', 'RDB_CHECKSUM_MISMATCH']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`RDB_CHECKSUM_MISMATCH  ${REASON_CODES.RDB_CHECKSUM_MISMATCH}\n`);
  });

  it('Lower-case code: accepted', () => {
    expect(runExplain('lzf_corrupt').entries).toEqual([{ code: 'LZF_CORRUPT', explanation: REASON_CODES.LZF_CORRUPT }]);
  });

  it('No code: every code, one per line', async () => {
    const run = await runCli(['explain']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(Object.keys(REASON_CODES).length);
  });

  it('Unknown code: suggestions on stderr, exit 64', async () => {
    const run = await runCli(['explain', 'RDB_CHECKSUM']);
    expect(run.exitCode).toBe(64);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('unknown reason code "RDB_CHECKSUM"; run "rfx explain" for the list\ndid you mean: RDB_CHECKSUM_MISMATCH\n');
  });

  it('Unknown problem word: every code of the same format is suggested', () => {
    expect(runExplain('INTSET_WHATEVER').suggestions).toEqual(['INTSET_BAD_ENCODING', 'INTSET_BAD_LENGTH', 'INTSET_NOT_SORTED']);
  });

  it('--json: the entries as JSON', async () => {
    const run = await runCli(['explain', 'RDB_BAD_MAGIC', '--json']);
    expect(JSON.parse(run.stdout)).toEqual({
      query: 'RDB_BAD_MAGIC',
      entries: [{ code: 'RDB_BAD_MAGIC', explanation: REASON_CODES.RDB_BAD_MAGIC }],
      suggestions: [],
    });
  });
});
