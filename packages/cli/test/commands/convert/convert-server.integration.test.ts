// The real server as the referee of what rewrite and convert write: redis-check-rdb says the RDB
// is valid, and redis-server loads the RDB (or the rewritten appendonlydir) with the same
// DEBUG DIGEST as the server that wrote the corpus AOF (fixtures/corpus/7.0.15/aof-plain.digest),
// and as the installed server itself after loading the original AOF.

import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runRedisCheckRdb, serverDigest, serverKeyCount, serverTestsSkipped, startRedisServer, startRedisServerOnAof, withServer } from '@redis-forensics/testkit';

import { corpusAof, removeScratch, scratchDir } from '../../aof-corpus.js';
import { corpusDigest } from '../../dataset-oracle.js';
import { runCli } from '../../run-cli.js';

const CASE = corpusAof('7.0.15', 'aof-plain');

/** DEBUG DIGEST and key count of the installed server after loading the original AOF. */
async function originalDigest(): Promise<{ digest: string; keys: number; version: string }> {
  const dir = scratchDir();
  cpSync(CASE.path, join(dir, 'appendonlydir'), { recursive: true });
  return withServer(
    () => startRedisServerOnAof(dir),
    async (s) => ({ digest: await serverDigest(s), keys: await serverKeyCount(s), version: s.version }),
  );
}

if (serverTestsSkipped()) {
  console.warn('!!! RFX_SKIP_SERVER_TESTS=1: rfx convert/rewrite outputs were NOT loaded into redis-server, nor checked by redis-check-rdb');
  describe.skip('rfx convert / rewrite against redis-server (skipped: run without redis-server, RFX_SKIP_SERVER_TESTS=1)', () => {
    it('Not run', () => {});
  });
} else {
  describe('rfx convert / rewrite against redis-server', () => {
    afterAll(removeScratch);

    it('convert --to rdb of 7.0.15 aof-plain.aofdir: redis-check-rdb OK; redis-server loads it with the corpus DEBUG DIGEST', async () => {
      const original = await originalDigest();
      // The corpus digest was computed by 7.0.15; a 7.0.x server must agree with it.
      if (original.version.startsWith('7.0.')) expect(original.digest).toBe(corpusDigest('7.0.15', 'aof-plain'));

      const dir = scratchDir();
      const rdb = join(dir, 'dump.rdb');
      const run = await runCli(['convert', CASE.path, '--to', 'rdb', '-o', rdb]);
      expect(run.exitCode).toBe(0);
      const check = await runRedisCheckRdb(rdb);
      expect(check.output).toContain('RDB looks OK');
      expect(check.exitCode).toBe(0);
      const loaded = await withServer(
        () => startRedisServer({ config: [['dir', dir], ['dbfilename', 'dump.rdb']] }),
        async (s) => ({ digest: await serverDigest(s), keys: await serverKeyCount(s), log: s.log() }),
      );
      expect(loaded.log).toMatch(/DB loaded from disk/);
      expect(loaded.keys).toBe(original.keys);
      expect(loaded.digest).toBe(original.digest);
      expect(loaded.digest).toBe(corpusDigest('7.0.15', 'aof-plain'));
    });

    it.each([[[]], [['--preamble']]] as const)('rewrite --multi-part %j of 7.0.15 aof-plain: redis-server loads the new appendonlydir with the same DEBUG DIGEST', async (flags) => {
      const original = await originalDigest();
      const dir = scratchDir();
      mkdirSync(dir, { recursive: true });
      const run = await runCli(['rewrite', CASE.path, '--multi-part', ...flags, '-o', join(dir, 'appendonlydir')]);
      expect(run.exitCode).toBe(0);
      const loaded = await withServer(
        () => startRedisServerOnAof(dir),
        async (s) => ({ digest: await serverDigest(s), keys: await serverKeyCount(s), log: s.log() }),
      );
      expect(loaded.log).toMatch(/DB loaded from base file/);
      expect(loaded.keys).toBe(original.keys);
      expect(loaded.digest).toBe(original.digest);
    });
  });
}
