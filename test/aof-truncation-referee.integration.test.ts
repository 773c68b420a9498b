// redis-check-aof and redis-server as referees of truncation (STYLE.md 9.5). A 7.0 server writes a
// multi-part AOF (aof-use-rdb-preamble no, appendfsync always) whose incr file ends with a
// MULTI/EXEC block. For every cut in its last 320 bytes: redis-check-aof's ok_up_to and
// ok_up_to_line on the cut file equal readAof's validUpTo and okUpToLine, and the independent
// record model (testkit expectedAofVerdict); for a sample, the same in the multi-part layout. Then
// for chosen cuts the AOF is repaired (planRepair + writeEditedAof) and loaded by redis-server with
// aof-load-truncated no; its DEBUG DIGEST equals that of a server fed only the complete commands,
// and that of a server that loaded the cut AOF itself with aof-load-truncated yes.

import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openAof, planRepair, writeEditedAof } from '@redis-forensics/aof';
import {
  aofDirOf,
  aofLoadProblems,
  collect,
  expectedAofVerdict,
  loadedFromAof,
  parseAofRecords,
  pipeRespIntoServer,
  runRedisCheckAof,
  serverDigest,
  serverTestsSkipped,
  startRedisServer,
  startRedisServerOnAof,
} from '@redis-forensics/testkit';

import type { AofFileEndEvent } from '@redis-forensics/aof';
import type { AofRecordSpan, RedisServerHandle } from '@redis-forensics/testkit';

const WINDOW = 320;
const MANIFEST = 'appendonly.aof.manifest';
const BASE = 'appendonly.aof.1.base.aof';
const INCR = 'appendonly.aof.1.incr.aof';

const bin = (s: string): Buffer => Buffer.from(s, 'latin1');

/** The workload: every type, binary values with RESP look-alikes, db 3, and a MULTI/EXEC block at the end. */
async function writeWorkload(server: RedisServerHandle): Promise<void> {
  const c = server.client;
  await server.call('SET', 'plain', 'value');
  await server.call('SET', bin('bin\r\nkey'), bin('\r\n*3\r\n$3\r\nSET\r\n\0\xff\xfe'));
  await server.call('RPUSH', 'list', 'a', 'b', bin('c\r\n'));
  await server.call('HSET', 'hash', 'f1', 'v1', 'f2', bin('\0\0'));
  await server.call('SADD', 'set', 'm1', 'm2', 'm3');
  await server.call('ZADD', 'zset', '1', 'a', '2.5', 'b');
  for (let i = 0; i < 3; i++) await server.call('INCR', 'counter');
  await server.call('SET', 'ttl', 'v', 'PXAT', '4102444800000');
  await server.call('SELECT', '3');
  await server.call('SET', 'db3', 'x'.repeat(40));
  await server.call('SELECT', '0');
  for (let i = 0; i < 10; i++) await server.call('SET', `filler:${i}`, 'y'.repeat(i * 7));
  await server.call('SET', 'before-multi', bin('value with\r\nCRLF'));
  await c.multi().set('tx:a', '1').incr('counter').rpush('list', bin('tx\r\nvalue')).hset('hash', 'f3', 'v3').exec();
  await server.call('SET', 'after-exec', 'tail');
}

if (serverTestsSkipped()) {
  console.warn('!!! RFX_SKIP_SERVER_TESTS=1: the AOF truncation referee tests (redis-check-aof, redis-server) did NOT run.');
  describe.skip('AOF truncation referee (skipped: run without redis-server, RFX_SKIP_SERVER_TESTS=1)', () => {
    it('Real-server tests: not run', () => {});
  });
} else {
  describe('AOF truncation, refereed by redis-check-aof and redis-server 7.0', () => {
    let scratch: string;
    /** The complete multi-part AOF the server wrote (manifest, empty RESP base, incr). */
    let original: string;
    let incr: Buffer;
    let spans: AofRecordSpan[];
    let multiAt: number;
    let execEnd: number;
    let fullDigest: string;

    beforeAll(async () => {
      scratch = mkdtempSync(join(tmpdir(), 'rfx-trunc-'));
      const server = await startRedisServer({ config: [['appendonly', 'yes'], ['aof-use-rdb-preamble', 'no'], ['appendfsync', 'always'], ['auto-aof-rewrite-percentage', 0]] });
      try {
        await writeWorkload(server);
        fullDigest = await serverDigest(server);
        original = join(scratch, 'original');
        cpSync(aofDirOf(server), original, { recursive: true });
      } finally {
        await server.stop();
      }
      expect(readdirSync(original).sort()).toEqual([BASE, INCR, MANIFEST]);
      expect(readFileSync(join(original, BASE))).toHaveLength(0);
      incr = readFileSync(join(original, INCR));
      spans = parseAofRecords(incr);
      const names = spans.map((s) => (s.kind === 'command' ? Buffer.from(s.argv[0]!).toString().toUpperCase() : '#'));
      multiAt = spans[names.lastIndexOf('MULTI')]!.offset;
      execEnd = spans[names.lastIndexOf('EXEC')]!.end;
      expect(names.slice(-8)).toEqual(['SET', 'MULTI', 'SET', 'INCR', 'RPUSH', 'HSET', 'EXEC', 'SET']);
      expect(incr.length - multiAt).toBeLessThan(WINDOW - 60); // the window starts before the MULTI
    });

    afterAll(() => {
      if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
    });

    it(`Every cut in the last ${WINDOW} bytes, as a plain file: redis-check-aof ok_up_to and ok_up_to_line = readAof = the record model`, async () => {
      const dir = join(scratch, 'plain');
      mkdirSync(dir);
      const mismatches: string[] = [];
      let truncated = 0;
      for (let cut = incr.length - WINDOW; cut <= incr.length; cut++) {
        const file = join(dir, `cut-${cut}.aof`);
        writeFileSync(file, incr.subarray(0, cut));
        const referee = await runRedisCheckAof(file);
        const theirs = referee.verdicts.at(-1);
        const ours = (await collect(openAof(file))).find((e): e is AofFileEndEvent => e.type === 'fileEnd')!;
        const model = expectedAofVerdict(spans, cut);
        const row = { okUpTo: theirs?.okUpTo, line: theirs?.okUpToLine, valid: referee.exitCode === 0 };
        const want = JSON.stringify(row);
        if (JSON.stringify({ okUpTo: ours.validUpTo, line: ours.okUpToLine, valid: ours.status === 'complete' }) !== want ||
          JSON.stringify({ okUpTo: model.validUpTo, line: model.okUpToLine, valid: model.status === 'complete' }) !== want) {
          mismatches.push(`cut ${cut}: redis-check-aof ${want}, readAof ${ours.validUpTo}/${ours.okUpToLine}/${ours.status}, model ${model.validUpTo}/${model.okUpToLine}/${model.status}`);
        }
        if (referee.exitCode !== 0) truncated++;
        rmSync(file);
      }
      expect(mismatches).toEqual([]);
      // Most cuts are truncations; the few clean ones are the record boundaries outside the MULTI.
      expect(truncated).toBeGreaterThan(WINDOW - 10);
    });

    it('A sample of cuts in the multi-part layout: redis-check-aof on the manifest = openAof on the directory, for the incr file', async () => {
      const cuts = [...Array.from({ length: 20 }, (_, i) => incr.length - WINDOW + i * 16), multiAt, multiAt + 1, execEnd - 1, execEnd, incr.length - 1, incr.length];
      for (const cut of cuts) {
        const dir = join(scratch, `multi-${cut}`);
        cpSync(original, dir, { recursive: true });
        writeFileSync(join(dir, INCR), incr.subarray(0, cut));
        const referee = await runRedisCheckAof(join(dir, MANIFEST));
        const ends = (await collect(openAof(dir))).filter((e): e is AofFileEndEvent => e.type === 'fileEnd');
        const theirs = referee.verdicts.find((v) => v.filename === INCR);
        expect([cut, ends.at(-1)!.file, ends.at(-1)!.validUpTo, ends.at(-1)!.okUpToLine]).toEqual([cut, INCR, theirs?.okUpTo, theirs?.okUpToLine]);
        expect([cut, ends.every((e) => e.status === 'complete')]).toEqual([cut, referee.exitCode === 0]);
        rmSync(dir, { recursive: true });
      }
    });

    describe('repaired AOFs load in redis-server (aof-load-truncated no) with the dataset of the complete commands', () => {
      const cases = (): [string, number][] => {
        const before = spans.at(-8)!; // the SET before the MULTI
        return [
          ['inside the bulk of the SET before MULTI', before.end - 5],
          ['right after MULTI', multiAt + spans.find((s) => s.offset === multiAt)!.end - multiAt],
          ['inside a command of the block', multiAt + 40],
          ['inside EXEC', execEnd - 3],
          ['just after EXEC, inside the last SET', execEnd + 3],
          ['one byte short of the end', incr.length - 1],
        ];
      };

      it('The chosen cuts: three inside the MULTI/EXEC block, all distinct', () => {
        const cs = cases();
        expect(cs.filter(([, c]) => c > multiAt && c < execEnd)).toHaveLength(3);
        expect(new Set(cs.map(([, c]) => c)).size).toBe(cs.length);
      });

      it.each([0, 1, 2, 3, 4, 5])('Case %i: planRepair cuts to validUpTo; redis-server loads the result cleanly; DEBUG DIGEST = the complete commands = Redis loading the cut file itself', async (i) => {
        const [what, cut] = cases()[i]!;
        const model = expectedAofVerdict(spans, cut);
        const cutDir = join(scratch, `repair-${i}-in`);
        cpSync(original, cutDir, { recursive: true });
        writeFileSync(join(cutDir, INCR), incr.subarray(0, cut));

        const plan = await planRepair(cutDir);
        expect(plan.refusal).toBeNull();
        expect(plan.cutTail).toMatchObject({ file: INCR, validUpTo: model.validUpTo, size: cut });
        const serverDir = join(scratch, `repair-${i}-srv`);
        mkdirSync(serverDir);
        await writeEditedAof(plan.plan, { output: join(serverDir, 'appendonlydir') });
        expect(readFileSync(join(serverDir, 'appendonlydir', INCR)).equals(incr.subarray(0, model.validUpTo))).toBe(true);

        const loaded = await startRedisServerOnAof(serverDir, { loadTruncated: false });
        let repairedDigest: string;
        try {
          expect(loadedFromAof(loaded.log())).toBe(true);
          expect(aofLoadProblems(loaded.log())).toEqual([]);
          expect(Number(await loaded.call('DBSIZE'))).toBeGreaterThan(0);
          repairedDigest = await serverDigest(loaded);
        } finally {
          await loaded.stop();
        }

        const fed = await startRedisServer();
        let fedDigest: string;
        try {
          await pipeRespIntoServer(fed, incr.subarray(0, model.validUpTo));
          fedDigest = await serverDigest(fed);
        } finally {
          await fed.stop();
        }

        const redisDir = join(scratch, `repair-${i}-redis`);
        mkdirSync(redisDir);
        cpSync(cutDir, join(redisDir, 'appendonlydir'), { recursive: true });
        const self = await startRedisServerOnAof(redisDir, { loadTruncated: true });
        let selfDigest: string;
        try {
          expect(self.log()).toMatch(/short read|Revert incomplete MULTI/);
          selfDigest = await serverDigest(self);
        } finally {
          await self.stop();
        }

        expect({ what, repairedDigest, selfDigest }).toEqual({ what, repairedDigest: fedDigest, selfDigest: fedDigest });
        // The comparison can tell: the cut lost data, so the digest differs from the full one.
        expect(repairedDigest).not.toBe(fullDigest);
      });
    });
  });
}
