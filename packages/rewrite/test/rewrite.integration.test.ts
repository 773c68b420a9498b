// rewriteAof against Redis's own BGREWRITEAOF, with redis-server 7.0 as the referee:
// - the same dataset (a corpus RDB loaded into the server) rewritten by Redis (RESP base, no
//   preamble) and by us: ours has no more commands and no more bytes;
// - our rewrite loaded as the base of an appendonlydir by a fresh redis-server gives the same
//   DEBUG DIGEST as Redis's own rewrite loaded the same way, and as the original dataset where
//   commands can express it (a -0 score cannot: ZADD -0 stores 0, in Redis's rewrite too).

import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { openAof } from '@redis-forensics/aof';
import { openRdb } from '@redis-forensics/rdb';
import { rewriteAof } from '@redis-forensics/rewrite';
import { collect, serverTestsSkipped, startRedisServer } from '@redis-forensics/testkit';

import type { RdbEvent } from '@redis-forensics/rdb';
import type { RedisServerHandle } from '@redis-forensics/testkit';

const CORPUS = fileURLToPath(new URL('../../../fixtures/corpus', import.meta.url));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function server(config: [string, string][] = []): Promise<RedisServerHandle> {
  const s = await startRedisServer({ config });
  cleanups.push(() => s.stop());
  return s;
}

async function info(s: RedisServerHandle, field: string): Promise<string> {
  const text = String(await s.call('INFO', 'persistence'));
  return new RegExp(`${field}:(\\S+)`).exec(text)?.[1] ?? '';
}

async function digest(s: RedisServerHandle): Promise<string> {
  return String(await s.call('DEBUG', 'DIGEST'));
}

/** Load an RDB into a running server through DEBUG RELOAD (it reads <dir>/dump.rdb). */
async function loadRdb(s: RedisServerHandle, rdb: string): Promise<void> {
  await copyFile(rdb, s.rdbPath);
  await s.call('DEBUG', 'RELOAD', 'NOSAVE');
}

/** Have Redis write its RESP rewrite of the current dataset; returns the base file's bytes. */
async function redisRewrite(s: RedisServerHandle): Promise<Uint8Array> {
  await s.call('CONFIG', 'SET', 'aof-use-rdb-preamble', 'no');
  await s.call('CONFIG', 'SET', 'appendonly', 'yes');
  const deadline = Date.now() + 60_000;
  while ((await info(s, 'aof_rewrite_in_progress')) !== '0' || (await info(s, 'aof_rewrite_scheduled')) !== '0' || (await info(s, 'aof_enabled')) !== '1') {
    if (Date.now() > deadline) throw new Error(`Redis's rewrite did not finish:\n${s.log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const dir = join(s.dir, 'appendonlydir');
  const base = (await readdir(dir)).find((n) => n.includes('.base.aof'));
  if (base === undefined) throw new Error(`no RESP base in ${dir}: ${(await readdir(dir)).join(', ')}`);
  return new Uint8Array(await readFile(join(dir, base)));
}

async function countCommands(path: string): Promise<number> {
  return (await collect(openAof(path))).filter((e) => e.type === 'command').length;
}

describe.skipIf(serverTestsSkipped())('rewriteAof vs redis-server 7.0 BGREWRITEAOF', () => {
  it.each([['7.0.15', 'rdb-full'], ['7.0.15', 'rdb-lfu'], ['6.2.16', 'rdb-full'], ['2.8.24', 'rdb-full']])(
    '%s %s: no more commands or bytes than Redis, same DEBUG DIGEST when loaded',
    async (version, name) => {
      const rdb = join(CORPUS, version, `${name}.rdb`);
      const work = await mkdtemp(join(tmpdir(), 'rfx-rewrite-'));
      cleanups.push(() => rm(work, { recursive: true, force: true }));

      // Redis's own rewrite of the dataset.
      const original = await server();
      await loadRdb(original, rdb);
      const expectedDigest = await digest(original);
      const theirs = await redisRewrite(original);
      await writeFile(join(work, 'theirs.aof'), theirs);

      // Ours, straight from the file.
      const chunks: Uint8Array[] = [];
      const stats = { commands: 0, bytes: 0 };
      let hasNegativeZeroScore = false;
      const events = async function* (): AsyncGenerator<RdbEvent> {
        for await (const ev of openRdb(rdb)) {
          if (ev.type === 'key' && ev.value.kind === 'zset' && ev.value.entries.some((e) => Object.is(e.score, -0))) hasNegativeZeroScore = true;
          yield ev;
        }
      };
      for await (const c of rewriteAof(events(), { scoreStyle: 'g17' }, stats)) chunks.push(c);
      const ours = Buffer.concat(chunks);
      expect(ours.length).toBe(stats.bytes);
      await writeFile(join(work, 'ours.aof'), ours);
      const theirCommands = await countCommands(join(work, 'theirs.aof'));
      expect(await countCommands(join(work, 'ours.aof'))).toBe(stats.commands);
      expect(stats.commands).toBeLessThanOrEqual(theirCommands);
      expect(stats.bytes).toBeLessThanOrEqual(theirs.length);

      // Both rewrites as the base of an appendonlydir, each loaded by a fresh server.
      const loadAsBase = async (name: string, base: Uint8Array): Promise<string> => {
        const dir = join(work, name);
        await mkdir(join(dir, 'appendonlydir'), { recursive: true });
        await writeFile(join(dir, 'appendonlydir', 'appendonly.aof.1.base.aof'), base);
        await writeFile(join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), '');
        await writeFile(join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
        const loaded = await server([['dir', dir], ['appendonly', 'yes'], ['aof-load-truncated', 'no']]);
        expect(loaded.log()).not.toMatch(/Bad file format|Unrecoverable error/);
        return digest(loaded);
      };
      const oursLoaded = await loadAsBase('ours', ours);
      expect(oursLoaded).toBe(await loadAsBase('theirs', theirs));
      if (!hasNegativeZeroScore) expect(oursLoaded).toBe(expectedDigest);
    },
    180_000,
  );
});
