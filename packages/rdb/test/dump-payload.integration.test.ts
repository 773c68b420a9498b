// decodeDumpPayload against a live redis-server (STYLE.md 9.5): write every type and encoding the
// server can produce (writeFullDataset) and random datasets, SAVE, then DUMP every key; each
// payload must decode to the type, encoding and value readRdb reads for that key from the SAVE.

import { readFile } from 'node:fs/promises';

import { afterEach, describe, expect, it } from 'vitest';

import { decodeDumpPayload, mergeKeyParts, readRdb } from '@redis-forensics/rdb';
import { collect, feed, serverTestsSkipped, startRedisServer, writeFullDataset, writeRandomDataset } from '@redis-forensics/testkit';

import type { RdbKeyEvent } from '@redis-forensics/rdb';
import type { RedisServerHandle } from '@redis-forensics/testkit';

/** Values in a comparable form (bytes as hex, bigints as text). */
function normalise(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x instanceof Uint8Array) return Buffer.from(x).toString('hex');
    if (typeof x === 'bigint') return x.toString();
    return x;
  });
}

/** DUMP every key of the SAVE and compare; returns the encodings seen. */
async function dumpEveryKey(server: RedisServerHandle): Promise<Set<string>> {
  const rdb = new Uint8Array(await readFile(await server.save()));
  const rdbVersion = Number(Buffer.from(rdb.subarray(5, 9)).toString('latin1'));
  const keys: RdbKeyEvent[] = mergeKeyParts(await collect(readRdb(feed(rdb, 'whole', 1))));
  const encodings = new Set<string>();
  for (const k of keys) {
    await server.call('SELECT', k.db);
    const payload = (await server.call('DUMP', Buffer.from(k.key))) as Buffer;
    const label = `db ${k.db} ${JSON.stringify(Buffer.from(k.key).toString('latin1').slice(0, 40))} (${k.encoding})`;
    const dump = decodeDumpPayload(new Uint8Array(payload));
    expect([dump.rdbVersion, dump.rdbType, dump.encoding, dump.redisType], label).toEqual([rdbVersion, k.rdbType, k.encoding, k.redisType]);
    expect(normalise(dump.value), label).toBe(normalise(k.value));
    encodings.add(dump.encoding);
  }
  await server.call('SELECT', 0);
  expect(keys.length).toBeGreaterThan(0);
  return encodings;
}

if (serverTestsSkipped()) {
  console.warn('\n!!! RFX_SKIP_SERVER_TESTS=1: decodeDumpPayload was NOT tested against redis-server DUMP replies.\n');
  describe.skip('decodeDumpPayload + redis-server (skipped: run without redis-server, RFX_SKIP_SERVER_TESTS=1)', () => {
    it('Real-server tests: not run', () => {});
  });
} else {
  describe('decodeDumpPayload of redis-server DUMP replies', () => {
    let server: RedisServerHandle | undefined;
    afterEach(async () => {
      await server?.stop();
      server = undefined;
    });

    it('Full dataset (every type and encoding): every DUMP decodes to the value of the SAVE', async () => {
      server = await startRedisServer();
      await writeFullDataset(server.client, { bulkKeys: 50, seed: 3 });
      const encodings = await dumpEveryKey(server);
      for (const e of ['string', 'quicklist-v2', 'set-intset', 'set-hashtable', 'zset-listpack', 'zset-v2', 'hash-listpack', 'hash-hashtable']) {
        expect(encodings).toContain(e);
      }
      expect([...encodings].some((e) => e.startsWith('stream'))).toBe(true);
    });

    it.each([1, 2, 3, 4])('Random dataset, seed %i: every DUMP decodes to the value of the SAVE', async (seed) => {
      server = await startRedisServer();
      await writeRandomDataset(server.client, seed);
      await dumpEveryKey(server);
    });
  });
}
