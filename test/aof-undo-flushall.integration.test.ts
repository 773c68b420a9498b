// undo-flushall, refereed by redis-server 7.0: a workload with a FLUSHALL in the middle is written
// by a real server into an AOF of each layout (single plain file, RDB preamble + RESP tail as one
// legacy file, multi-part with an RDB base, FLUSHALL inside MULTI/EXEC, FLUSHALL alone in a
// transaction). planRemove of the last FLUSHALL + writeEditedAof must (1) change nothing but the
// FLUSHALL's bytes and (2) load into redis-server with the DEBUG DIGEST of a server that ran the
// same workload without the FLUSHALL. The unedited AOF must load with a different digest (so the
// comparison can fail).

import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openAof, planRemove, writeEditedAof } from '@redis-forensics/aof';
import {
  aofDirOf,
  aofLoadProblems,
  collect,
  loadedFromAof,
  parseAofRecords,
  rewriteAofAndWait,
  runCommands,
  serverDigest,
  serverKeyCount,
  serverTestsSkipped,
  startRedisServer,
  startRedisServerOnAof,
} from '@redis-forensics/testkit';

import type { AofCommandEvent, AofFileEndEvent } from '@redis-forensics/aof';
import type { RedisCommand, RedisServerHandle } from '@redis-forensics/testkit';

const FAR = '4102444800000'; // 2100-01-01, absolute, so both servers hold the same expire times
const bin = (s: string): Buffer => Buffer.from(s, 'latin1');

const PART1: RedisCommand[] = [
  ['SET', 's1', 'v1'],
  ['SET', bin('s2\r\n'), bin('\0\xff*1\r\n$8\r\nFLUSHALL\r\n')],
  ['RPUSH', 'l', 'a', 'b', 'c'],
  ['HSET', 'h', 'f1', '1', 'f2', '2'],
  ['SADD', 'set', 'x', 'y', 'z'],
  ['ZADD', 'z', '1', 'a', '2', 'b'],
  ['SET', 'exp', 'v', 'PXAT', FAR],
  ['INCR', 'n'],
  ['INCR', 'n'],
  ['SELECT', '2'],
  ['SET', 'db2', 'two'],
  ['RPUSH', 'db2:l', '1', '2'],
  ['SELECT', '0'],
];
const PART2A: RedisCommand[] = [
  ['INCR', 'n'],
  ['RPUSH', 'l', 'd'],
];
// After the flush, only commands that change the dataset whether or not the flush happened: Redis
// logs a command only when it changed something, so a DEL of a key the flush already removed is
// not in the AOF at all (see the last test).
const PART2B: RedisCommand[] = [
  ['HSET', 'h', 'f3', '3'],
  ['SET', 'new', 'after the flush'],
  ['ZINCRBY', 'z', '5', 'a'],
  ['RPUSH', 'l', 'e'],
  ['SADD', 'set', 'w'],
  ['INCR', 'n'],
  ['SET', 'tmp', '1'],
  ['DEL', 'tmp'],
  ['SET', 'fresh', 'v'],
  ['PEXPIREAT', 'fresh', FAR],
  ['SELECT', '2'],
  ['INCR', 'db2:n'],
  ['SET', 'db2', 'two again'],
  ['SELECT', '0'],
];

const isFlushall = (ev: AofCommandEvent): boolean => Buffer.from(ev.argv[0]!).toString('latin1').toUpperCase() === 'FLUSHALL';

interface Layout {
  name: string;
  /** Write the workload, flush included, into `server` (appendonly yes). */
  write(server: RedisServerHandle, flush: boolean): Promise<void>;
  preamble: boolean;
  /** How the AOF is handed to rfx and to the loading server. */
  shape: 'single' | 'multi-part';
  /** How many times undo-flushall runs (each on the previous output). Defaults to 1. */
  passes?: number;
}

const flushall = async (server: RedisServerHandle, flush: boolean): Promise<void> => {
  if (flush) await runCommands(server.client, [['FLUSHALL']]);
};

const LAYOUTS: Layout[] = [
  {
    name: 'single plain file (a 7.0 incr file after an empty RESP base)',
    preamble: false,
    shape: 'single',
    async write(s, flush) {
      await runCommands(s.client, [...PART1, ...PART2A]);
      await flushall(s, flush);
      await runCommands(s.client, PART2B);
    },
  },
  {
    name: 'RDB preamble + RESP tail as one legacy file (7.0 base.rdb + incr)',
    preamble: true,
    shape: 'single',
    async write(s, flush) {
      await runCommands(s.client, PART1);
      await rewriteAofAndWait(s);
      await runCommands(s.client, PART2A);
      await flushall(s, flush);
      await runCommands(s.client, PART2B);
    },
  },
  {
    name: 'multi-part, RDB base + incr',
    preamble: true,
    shape: 'multi-part',
    async write(s, flush) {
      await runCommands(s.client, PART1);
      await rewriteAofAndWait(s);
      await runCommands(s.client, PART2A);
      await flushall(s, flush);
      await runCommands(s.client, PART2B);
    },
  },
  {
    name: 'multi-part, FLUSHALL inside MULTI/EXEC between two SETs',
    preamble: false,
    shape: 'multi-part',
    async write(s, flush) {
      await runCommands(s.client, PART1);
      const tx = s.client.multi().set('tx:before', '1');
      if (flush) tx.flushall();
      await tx.set('tx:after', '2').exec();
      await runCommands(s.client, [...PART2A, ...PART2B]);
    },
  },
  {
    // Redis 7.0 logs a transaction with one write as that command alone, so a block holding only
    // FLUSHALL needs two: undone once, one FLUSHALL stays in the block; undone again, the emptied
    // block goes whole (MULTI and EXEC too).
    name: 'multi-part, two FLUSHALLs in one MULTI/EXEC, undone twice',
    preamble: false,
    shape: 'multi-part',
    passes: 2,
    async write(s, flush) {
      await runCommands(s.client, [...PART1, ...PART2A]);
      if (flush) await s.client.multi().flushall().flushall().exec();
      await runCommands(s.client, PART2B);
    },
  },
];

if (serverTestsSkipped()) {
  console.warn('!!! RFX_SKIP_SERVER_TESTS=1: the undo-flushall referee tests (redis-server) did NOT run.');
  describe.skip('undo-flushall referee (skipped: run without redis-server, RFX_SKIP_SERVER_TESTS=1)', () => {
    it('Real-server tests: not run', () => {});
  });
} else {
  describe('undo-flushall, refereed by redis-server 7.0', () => {
    let scratch: string;
    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'rfx-undo-'));
    });
    afterAll(() => {
      if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
    });

    /** Load `prepare(dir)` into a server and return its digest, after checking it loaded cleanly. */
    async function loadDigest(dir: string): Promise<{ digest: string; keys: number; log: string }> {
      const server = await startRedisServerOnAof(dir, { loadTruncated: false });
      try {
        const log = server.log();
        expect(loadedFromAof(log)).toBe(true);
        expect(aofLoadProblems(log)).toEqual([]);
        return { digest: await serverDigest(server), keys: await serverKeyCount(server), log };
      } finally {
        await server.stop();
      }
    }

    it.each(LAYOUTS.map((l, i) => [l.name, i] as const))('%s: only the FLUSHALL bytes go, and Redis loads the dataset of the workload without it', async (_name, i) => {
      const layout = LAYOUTS[i]!;
      const work = join(scratch, `layout-${i}`);
      mkdirSync(work);
      const config: [string, string | number][] = [['appendonly', 'yes'], ['aof-use-rdb-preamble', layout.preamble ? 'yes' : 'no'], ['appendfsync', 'always'], ['auto-aof-rewrite-percentage', 0]];

      // The AOF, written by the server.
      const writer = await startRedisServer({ config });
      const dir = join(work, 'written');
      try {
        await layout.write(writer, true);
        cpSync(aofDirOf(writer), dir, { recursive: true });
      } finally {
        await writer.stop();
      }
      const manifest = readFileSync(join(dir, 'appendonly.aof.manifest'), 'latin1');
      const listed = [...manifest.matchAll(/^file (\S+) seq \d+ type ([bi])$/gm)].map((m) => m[1]!);
      const base = readFileSync(join(dir, listed[0]!));
      const incrName = listed.at(-1)!;
      const incr = readFileSync(join(dir, incrName));
      expect(listed).toHaveLength(2);
      expect(base.subarray(0, 5).toString('latin1') === 'REDIS').toBe(layout.preamble);
      if (!layout.preamble) expect(base).toHaveLength(0);

      // The input for rfx, and what must go, found independently of the reader: the FLUSHALL, or
      // for two passes the whole MULTI ... EXEC around the two FLUSHALLs.
      const passes = layout.passes ?? 1;
      const records = parseAofRecords(incr);
      const names = records.map((r) => (r.kind === 'command' ? Buffer.from(r.argv[0]!).toString('latin1').toUpperCase() : '#'));
      const firstFlush = names.indexOf('FLUSHALL');
      expect(names.filter((n) => n === 'FLUSHALL')).toHaveLength(passes);
      const goneInIncr = passes === 1
        ? { offset: records[firstFlush]!.offset, end: records[firstFlush]!.end }
        : { offset: records[firstFlush - 1]!.offset, end: records[firstFlush + 2]!.end };
      if (passes === 2) expect(names.slice(firstFlush - 1, firstFlush + 3)).toEqual(['MULTI', 'FLUSHALL', 'FLUSHALL', 'EXEC']);
      let input: string;
      let changedInput: Buffer;
      let shift = 0;
      if (layout.shape === 'single') {
        input = join(work, 'appendonly.aof');
        changedInput = Buffer.concat([base, incr]);
        shift = base.length;
        writeFileSync(input, changedInput);
      } else {
        input = dir;
        changedInput = incr;
      }
      const gone = { offset: goneInIncr.offset + shift, end: goneInIncr.end + shift };

      // rfx: remove the last FLUSHALL, `passes` times.
      const loadDir = join(work, 'load');
      mkdirSync(loadDir);
      const out = layout.shape === 'single' ? join(loadDir, 'appendonly.aof') : join(loadDir, 'appendonlydir');
      let from = input;
      for (let pass = 1; pass <= passes; pass++) {
        const plan = await planRemove(from, isFlushall, 'last');
        expect(plan.removed).toHaveLength(1);
        expect(plan.commandsAfter).toBeGreaterThan(0);
        const removed = plan.removed[0]!;
        if (pass < passes) {
          // The second FLUSHALL of the block: it goes alone, the block keeps the first.
          expect(removed.block).toBeNull();
          expect([removed.offset, removed.end]).toEqual([gone.end - 32, gone.end - 14]);
        } else if (passes === 1) {
          expect(removed.block).toBeNull();
          expect([removed.offset, removed.end]).toEqual([gone.offset, gone.end]);
        } else {
          expect(removed.block).toEqual({ offset: gone.offset, end: gone.end - 18 });
        }
        const to = pass === passes ? out : join(work, `pass-${pass}${layout.shape === 'single' ? '.aof' : ''}`);
        await writeEditedAof(plan.plan, { output: to });
        from = to;
      }

      // (1) Every byte but those is unchanged.
      const outChanged = readFileSync(layout.shape === 'single' ? out : join(out, incrName));
      expect(outChanged.equals(Buffer.concat([changedInput.subarray(0, gone.offset), changedInput.subarray(gone.end)]))).toBe(true);
      if (layout.shape === 'multi-part') {
        for (const n of readdirSync(dir)) if (n !== incrName) expect([n, readFileSync(join(out, n)).equals(readFileSync(join(dir, n)))]).toEqual([n, true]);
      }
      const ends = (await collect(openAof(out))).filter((e): e is AofFileEndEvent => e.type === 'fileEnd');
      expect(ends.every((e) => e.status === 'complete')).toBe(true);

      // (2) Redis loads the edited AOF with the dataset of the workload without FLUSHALL.
      const edited = await loadDigest(loadDir);
      if (layout.shape === 'single') expect(edited.log).toMatch(/old-style AOF|appendonly\.aof.*(migrat|upgrad)/i);
      const reference = await startRedisServer();
      let referenceDigest: string;
      try {
        await layout.write(reference, false);
        referenceDigest = await serverDigest(reference);
      } finally {
        await reference.stop();
      }
      expect(edited.keys).toBeGreaterThan(5);
      expect(edited.digest).toBe(referenceDigest);

      // The unedited AOF loads with the flushed dataset: a different digest.
      const uneditedDir = join(work, 'unedited');
      mkdirSync(uneditedDir);
      if (layout.shape === 'single') cpSync(input, join(uneditedDir, 'appendonly.aof'));
      else cpSync(dir, join(uneditedDir, 'appendonlydir'), { recursive: true });
      const unedited = await loadDigest(uneditedDir);
      expect(unedited.digest).not.toBe(referenceDigest);
      expect(unedited.keys).toBeLessThan(edited.keys);
    });

    it('A DEL after the FLUSHALL of a key from before it: Redis never logged it (it deleted nothing), so the undo brings the key back', async () => {
      const writer = await startRedisServer({ config: [['appendonly', 'yes'], ['aof-use-rdb-preamble', 'no'], ['appendfsync', 'always']] });
      const work = join(scratch, 'limitation');
      mkdirSync(work);
      try {
        await runCommands(writer.client, [['SET', 's1', 'v1'], ['SADD', 'set', 'x', 'y'], ['FLUSHALL'], ['DEL', 's1'], ['SREM', 'set', 'x'], ['SET', 'after', '1']]);
        cpSync(aofDirOf(writer), join(work, 'in'), { recursive: true });
      } finally {
        await writer.stop();
      }
      const incrName = readdirSync(join(work, 'in')).find((n) => n.endsWith('.incr.aof'))!;
      const names = parseAofRecords(readFileSync(join(work, 'in', incrName))).map((r) => (r.kind === 'command' ? Buffer.from(r.argv[0]!).toString().toUpperCase() : '#'));
      expect(names).toEqual(['SELECT', 'SET', 'SADD', 'FLUSHALL', 'SET']);
      const plan = await planRemove(join(work, 'in'), isFlushall, 'last');
      mkdirSync(join(work, 'load'));
      await writeEditedAof(plan.plan, { output: join(work, 'load', 'appendonlydir') });
      const server = await startRedisServerOnAof(join(work, 'load'));
      try {
        expect((await server.call('GET', 's1'))?.toString()).toBe('v1');
        expect(((await server.call('SMEMBERS', 'set')) as Buffer[]).map(String).sort()).toEqual(['x', 'y']);
      } finally {
        await server.stop();
      }
    });
  });
}
