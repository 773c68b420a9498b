// Property with redis-server 7.0 as the referee of `remove`: random workloads (strings, lists,
// hashes, sets, counters, DEL, MSET, SELECT, MULTI/EXEC transactions) are written by a real server
// into an AOF; random selectors (command name, index set, key glob through commandKeys) with
// first/last/all are removed with planRemove + writeEditedAof. The output must be the input minus
// exactly the ranges testkit's expectedAofRemovals computes from the record spans (a block left
// empty goes whole), read back clean with readAof, pass redis-check-aof, and load into
// redis-server (aof-load-truncated no) with the DEBUG DIGEST of a server fed exactly those bytes.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { fc, test } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { commandKeys, openAof, planRemove, writeEditedAof } from '@redis-forensics/aof';
import {
  aofDirOf,
  aofLoadProblems,
  aofSelectorArb,
  aofSelects,
  bytesWithout,
  collect,
  expectedAofRemovals,
  loadedFromAof,
  parseAofRecords,
  pipeRespIntoServer,
  runCommands,
  runRedisCheckAof,
  serverDigest,
  serverTestsSkipped,
  startRedisServer,
  startRedisServerOnAof,
} from '@redis-forensics/testkit';

import type { AofCommandEvent, AofFileEndEvent } from '@redis-forensics/aof';
import type { AofRemoveWhich, RedisCommand, RedisServerHandle } from '@redis-forensics/testkit';

const RUNS = Number(process.env['RFX_FC_RUNS'] ?? 30);

const value = fc.oneof(fc.constantFrom('v', '1', 'x\r\ny', ''), fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b)));
/** One command, on keys whose type never changes (no WRONGTYPE), from the testkit key pool. */
const commandArb: fc.Arbitrary<RedisCommand> = fc.oneof(
  fc.tuple(fc.constantFrom('k', 'a*b', 'sess:\r\n'), value).map(([k, v]): RedisCommand => ['SET', k, v]),
  fc.tuple(fc.constantFrom('cart:1', 'cart:x'), fc.array(value, { minLength: 1, maxLength: 3 })).map(([k, vs]): RedisCommand => ['RPUSH', k, ...vs]),
  fc.tuple(fc.constantFrom('user:1', 'user:2', 'user:10'), fc.constantFrom('name', 'mail'), value).map(([k, f, v]): RedisCommand => ['HSET', k, f, v]),
  fc.tuple(fc.constantFrom('tags:1', 'tags:2'), value).map(([k, v]): RedisCommand => ['SADD', k, v]),
  fc.constantFrom('n:1', 'n:2').map((k): RedisCommand => ['INCR', k]),
  fc.constantFrom('k', 'cart:1', 'user:2', 'tags:1', 'nothing').map((k): RedisCommand => ['DEL', k]),
  fc.tuple(value, value).map(([a, b]): RedisCommand => ['MSET', 'k', a, 'a*b', b]),
);
type Op = { kind: 'cmd'; cmd: RedisCommand } | { kind: 'select'; db: number } | { kind: 'multi'; cmds: RedisCommand[] };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: commandArb.map((cmd): Op => ({ kind: 'cmd', cmd })), weight: 6 },
  { arbitrary: fc.integer({ min: 0, max: 2 }).map((db): Op => ({ kind: 'select', db })), weight: 1 },
  { arbitrary: fc.array(commandArb, { minLength: 2, maxLength: 4 }).map((cmds): Op => ({ kind: 'multi', cmds })), weight: 2 },
);

async function runOps(server: RedisServerHandle, ops: readonly Op[]): Promise<void> {
  for (const op of ops) {
    if (op.kind === 'cmd') await runCommands(server.client, [op.cmd]);
    else if (op.kind === 'select') await runCommands(server.client, [['SELECT', op.db]]);
    else {
      const tx = server.client.multi();
      for (const [name, ...args] of op.cmds) tx.callBuffer(String(name), ...args);
      await tx.exec();
    }
  }
}

if (serverTestsSkipped()) {
  console.warn('!!! RFX_SKIP_SERVER_TESTS=1: the remove property against redis-server did NOT run.');
  describe.skip('remove referee (skipped: run without redis-server, RFX_SKIP_SERVER_TESTS=1)', () => {
    it('Real-server tests: not run', () => {});
  });
} else {
  describe('remove, refereed by redis-server 7.0', () => {
    let scratch: string;
    let run = 0;
    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'rfx-remove-it-'));
    });
    afterAll(() => {
      if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
    });

    test.prop([fc.array(opArb, { minLength: 3, maxLength: 25 }), aofSelectorArb, fc.constantFrom<AofRemoveWhich>('first', 'last', 'all')], { numRuns: RUNS, endOnFailure: true })(
      'Random workload written by Redis, random selector: exactly the expected bytes go; the rest loads in Redis as those bytes executed',
      async (ops, sel, which) => {
        const work = join(scratch, `run-${run++}`);
        mkdirSync(work);
        const writer = await startRedisServer({ config: [['appendonly', 'yes'], ['aof-use-rdb-preamble', 'no'], ['appendfsync', 'always']] });
        try {
          await runOps(writer, ops);
          cpSync(aofDirOf(writer), join(work, 'in'), { recursive: true });
        } finally {
          await writer.stop();
        }
        const incrName = 'appendonly.aof.1.incr.aof';
        const incr = readFileSync(join(work, 'in', incrName));
        expect(readFileSync(join(work, 'in', 'appendonly.aof.1.base.aof'))).toHaveLength(0);

        const pick = (argv: readonly Uint8Array[], index: number): boolean => aofSelects(sel, argv, index, commandKeys);
        const removals = expectedAofRemovals([[], parseAofRecords(incr)], pick, which);
        const plan = await planRemove(join(work, 'in'), (ev: AofCommandEvent) => pick(ev.argv, ev.index), which);
        expect(plan.removed.map((r) => r.index)).toEqual(removals.flatMap((r) => r.indexes));
        mkdirSync(join(work, 'load'));
        const out = join(work, 'load', 'appendonlydir');
        await writeEditedAof(plan.plan, { output: out });
        const kept = bytesWithout(incr, removals.flatMap((r) => r.ranges));
        expect(readFileSync(join(out, incrName)).equals(kept)).toBe(true);
        const ends = (await collect(openAof(out))).filter((e): e is AofFileEndEvent => e.type === 'fileEnd');
        expect(ends.map((e) => e.status)).toEqual(['complete', 'complete']);
        const check = join(work, 'check');
        cpSync(out, check, { recursive: true });
        expect((await runRedisCheckAof(join(check, 'appendonly.aof.manifest'))).valid).toBe(true);

        const loaded = await startRedisServerOnAof(join(work, 'load'));
        let loadedDigest: string;
        try {
          expect(aofLoadProblems(loaded.log())).toEqual([]);
          if (kept.length > 0) expect(loadedFromAof(loaded.log())).toBe(true);
          loadedDigest = await serverDigest(loaded);
        } finally {
          await loaded.stop();
        }
        const fed = await startRedisServer();
        try {
          if (kept.length > 0) await pipeRespIntoServer(fed, kept);
          expect(loadedDigest).toBe(await serverDigest(fed));
        } finally {
          await fed.stop();
        }
        rmSync(work, { recursive: true, force: true });
      },
      120_000,
    );
  });
}
