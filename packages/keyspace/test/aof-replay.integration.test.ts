// The server's own AOF as the oracle: random commands (plus Lua scripts, whose effects the AOF
// logs, and BGREWRITEAOF mid-run, whose base file is then replayed too) go to a redis-server with
// appendonly on; then DEBUG LOADAOF makes the server reload that AOF, and replaying the same
// appendonlydir with replayAof must give the reloaded server's DEBUG DIGEST and, key by key, its
// dataset (absolute TTLs: no tolerance). Reloading matters: a server that loads its AOF is not
// always the server that wrote it (7.0 forgets a group's entries-read, a rewrite drops PEL entries
// of deleted stream entries).

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openAof } from '@redis-forensics/aof';
import { applyCommand, digestKeyspace, Keyspace, latin1ToBytes, replayAof } from '@redis-forensics/keyspace';
import { readServerView, serverTestsSkipped, startRedisServer } from '@redis-forensics/testkit';

import { stepArb } from './command-arbitraries.js';
import { diffViews, keyspaceView, serverViewKeys } from './keyspace-view.js';

import type { RedisServerHandle } from '@redis-forensics/testkit';
import type { Step } from './command-arbitraries.js';

const SEEDS = (process.env['RFX_FC_SEEDS'] ?? '20251121,3,77,4242').split(',').map(Number);
const RUNS = Number(process.env['RFX_FC_RUNS_AOF'] ?? 40);

const SCRIPTS: string[][] = [
  ['EVAL', "redis.call('SET', KEYS[1], ARGV[1]); return redis.call('INCR', 'str')", '1', 'k0', 'from-lua'],
  ['EVAL', "redis.call('RPUSH', KEYS[1], 'a', 'b'); redis.call('LPOP', KEYS[1]); return 1", '1', 'list'],
  ['EVAL', "return redis.call('SPOP', KEYS[1])", '1', 'set'],
];

type AofStep = Step | { kind: 'script'; argv: string[] } | { kind: 'rewrite' };
const aofStepArb: fc.Arbitrary<AofStep> = fc.oneof(
  { weight: 20, arbitrary: stepArb },
  { weight: 1, arbitrary: fc.constantFrom(...SCRIPTS).map((argv): AofStep => ({ kind: 'script', argv })) },
  { weight: 1, arbitrary: fc.constant<AofStep>({ kind: 'rewrite' }) },
);

describe.skipIf(serverTestsSkipped())('Replay of the server\'s own AOF', () => {
  let server: RedisServerHandle;

  beforeAll(async () => {
    server = await startRedisServer({
      config: [['appendonly', 'yes'], ['appendfsync', 'always'], ['aof-use-rdb-preamble', 'no']],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
  /** A live-semantics shadow of the server, only to leave out lex ranges over mixed-score skiplists. */
  let shadow = new Keyspace();
  function unspecified(argv: readonly string[]): boolean {
    const n = argv[0]!.toUpperCase();
    const key = n === 'ZREMRANGEBYLEX' ? argv[1] : n === 'ZRANGESTORE' && argv.some((a) => a.toUpperCase() === 'BYLEX') ? argv[2] : undefined;
    if (key === undefined) return false;
    const v = shadow.dbs[shadow.selectedDb]!.dict.get(key);
    return v !== undefined && typeof v !== 'string' && v.type === 'zset' && !v.listpack && new Set(v.dict.values()).size > 1;
  }
  async function send(argv: readonly string[]): Promise<unknown> {
    if (unspecified(argv)) return null;
    try {
      applyCommand(shadow, argv.map(latin1ToBytes), { loading: false });
    } catch {
      // scripts: the shadow does not run them
    }
    try {
      return await server.call(argv[0]!, ...argv.slice(1).map(latin1));
    } catch {
      return null;
    }
  }

  async function rewrite(): Promise<void> {
    await send(['BGREWRITEAOF']);
    for (;;) {
      const info = ((await server.call('INFO', 'persistence')) as Buffer).toString();
      if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) break;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async function run(step: AofStep): Promise<void> {
    if (step.kind === 'rewrite') return rewrite();
    if (step.kind === 'cmd' || step.kind === 'script') {
      await send(step.argv);
      return;
    }
    if (step.kind === 'seq') {
      for (const c of step.cmds) await send(c);
      return;
    }
    if (step.kind === 'fnrestore') {
      const dump = (await send(['FUNCTION', 'DUMP'])) as Buffer | null;
      if (dump !== null) await send(['FUNCTION', 'RESTORE', dump.toString('latin1'), ...step.policy]);
      return;
    }
    if (step.kind === 'restore') {
      const payload = (await send(['DUMP', step.src])) as Buffer | null;
      if (payload === null) return;
      await send(step.argv.map((a) => (a === '<payload>' ? payload.toString('latin1') : a)));
      return;
    }
    await send(['MULTI']);
    for (const c of step.cmds) await send(c);
    await send(['EXEC']);
  }

  for (const seed of SEEDS) {
    it(`Random workload (seed ${seed}): replayAof(appendonlydir) = DEBUG DIGEST and every key`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(aofStepArb, { minLength: 1, maxLength: 40 }), async (steps) => {
          shadow = new Keyspace();
          await server.call('SELECT', '0');
          await server.call('FLUSHALL');
          await server.call('FUNCTION', 'FLUSH');
          await rewrite();
          for (const step of steps) await run(step);
          await server.call('SELECT', '0');
          await server.call('DEBUG', 'LOADAOF');
          const theirs = ((await server.call('DEBUG', 'DIGEST')) as Buffer).toString();
          const report = await replayAof(openAof(`${server.dir}/appendonlydir`), { serverVersion: server.version });
          expect(report.skipped).toEqual([]);
          const ours = digestKeyspace(report.keyspace, { serverVersion: server.version }).digest;
          if (ours !== theirs) {
            throw new Error(`DEBUG DIGEST ${theirs} != replayed ${ours}; errors: ${JSON.stringify(report.errors.slice(0, 5))}\n${steps.map((s) => JSON.stringify(s)).join('\n')}`);
          }
          report.keyspace.expireAll(Date.now());
          const view = await readServerView(server.client);
          const diffs = diffViews(keyspaceView(report.keyspace), serverViewKeys(view), { timeTolerance: 0, streamTimes: false });
          if (diffs.length > 0) throw new Error(`replayed dataset differs:\n${diffs.join('\n')}`);
        }),
        { seed, numRuns: RUNS, endOnFailure: true },
      );
    });
  }
});
