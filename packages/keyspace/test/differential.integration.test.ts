// Differential test against the real redis-server (7.0 on CI): random command sequences over a
// small key space go to the server and to the keyspace (live-client semantics: loading false), and
// the final datasets must be equal key by key (type, value, TTL, stream groups) and by DEBUG DIGEST.
// Random choices Redis makes (SPOP's members, XADD's `*` id) are replayed from the server's reply,
// as the AOF would log them.

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { applyCommand, digestKeyspace, Keyspace } from '@redis-forensics/keyspace';
import { readServerView, serverTestsSkipped, startRedisServer } from '@redis-forensics/testkit';

import { stepArb } from './command-arbitraries.js';
import { bytes, diffViews, keyspaceView, serverViewKeys } from './keyspace-view.js';

import type { CommandResult, Reply } from '@redis-forensics/keyspace';
import type { RedisServerHandle } from '@redis-forensics/testkit';
import type { Step } from './command-arbitraries.js';

const SEEDS = (process.env['RFX_FC_SEEDS'] ?? '20251121,7,1337,424242,99,2024,31337,8').split(',').map(Number);
const RUNS = Number(process.env['RFX_FC_RUNS'] ?? 100);

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const show = (argv: readonly string[]): string => argv.map((a) => JSON.stringify(a.length > 40 ? `${a.slice(0, 40)}...` : a)).join(' ');

/** Position of XADD's ID argument (after NOMKSTREAM / MAXLEN / MINID / LIMIT options). */
function xaddIdIndex(argv: readonly string[]): number {
  let i = 2;
  while (i < argv.length) {
    const o = argv[i]!.toUpperCase();
    if (o === 'NOMKSTREAM') i++;
    else if (o === 'MAXLEN' || o === 'MINID') i += argv[i + 1] === '~' || argv[i + 1] === '=' ? 3 : 2;
    else if (o === 'LIMIT') i += 2;
    else break;
  }
  return i;
}

/**
 * Lex ranges over a zset whose scores differ are unspecified (ZRANGEBYLEX docs); for a skiplist the
 * answer even depends on the random node levels. Such commands are not sent.
 */
function unspecified(ks: Keyspace, argv: readonly string[]): boolean {
  const n = argv[0]!.toUpperCase();
  const key = n === 'ZREMRANGEBYLEX' ? argv[1] : n === 'ZRANGESTORE' && argv.some((a) => a.toUpperCase() === 'BYLEX') ? argv[2] : undefined;
  if (key === undefined) return false;
  const v = ks.dbs[ks.selectedDb]!.dict.get(key);
  if (v === undefined || typeof v === 'string' || v.type !== 'zset' || v.listpack) return false;
  return new Set(v.dict.values()).size > 1;
}

/** Commands whose effect depends on a random or time-based choice the server made. */
function nondeterministic(argv: readonly string[]): boolean {
  const n = argv[0]!.toUpperCase();
  return n === 'SPOP' || (n === 'XADD' && (argv[xaddIdIndex(argv)] ?? '').includes('*'));
}

/** The command the engine replays for a server reply (SPOP -> SREM, XADD * -> XADD <id>). */
function determinize(argv: string[], reply: unknown): string[] | null {
  const n = argv[0]!.toUpperCase();
  if (n === 'SPOP') {
    const members = reply === null ? [] : Array.isArray(reply) ? (reply as Buffer[]) : [reply as Buffer];
    return members.length === 0 ? null : ['SREM', argv[1]!, ...members.map((m) => m.toString('latin1'))];
  }
  if (n === 'XADD' && reply !== null && Buffer.isBuffer(reply)) {
    const i = xaddIdIndex(argv);
    const out = argv.slice();
    out[i] = reply.toString('latin1');
    return out;
  }
  return argv;
}

describe.skipIf(serverTestsSkipped())('Differential: keyspace vs redis-server', () => {
  let server: RedisServerHandle;
  let version = '7.0.15';

  beforeAll(async () => {
    server = await startRedisServer();
    version = server.version;
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function call(argv: readonly string[]): Promise<{ ok: boolean; reply: unknown; error: string }> {
    try {
      const reply = await server.call(argv[0]!, ...argv.slice(1).map(latin1));
      return { ok: true, reply, error: '' };
    } catch (e) {
      return { ok: false, reply: null, error: (e as Error).message };
    }
  }

  async function runStep(ks: Keyspace, step: Step, log: string[]): Promise<void> {
    const ctx = { now: Date.now(), loading: false, serverVersion: version };
    if (step.kind === 'seq') {
      for (const argv of step.cmds) await runStep(ks, { kind: 'cmd', argv }, log);
      return;
    }
    if (step.kind === 'cmd') {
      if (unspecified(ks, step.argv)) return;
      const s = await call(step.argv);
      let r: CommandResult | null;
      if (s.ok && nondeterministic(step.argv)) {
        const argv = determinize(step.argv, s.reply);
        r = argv === null ? null : applyCommand(ks, argv.map(bytes), ctx);
      } else r = applyCommand(ks, step.argv.map(bytes), ctx);
      log.push(`${show(step.argv)} -> server ${s.ok ? 'ok' : s.error} / ours ${r === null ? 'skip' : r.ok ? 'ok' : r.error}`);
      if (r !== null && r.ok !== s.ok) throw new Error(`ok/error mismatch on ${show(step.argv)}: server ${s.ok ? 'ok' : s.error}, ours ${r.ok ? 'ok' : r.error}\n${log.join('\n')}`);
      return;
    }
    if (step.kind === 'fnrestore') {
      const dump = await call(['FUNCTION', 'DUMP']);
      if (!dump.ok) return;
      await call(['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=lib3\nredis.register_function('f3', function(keys, args) return 3 end)"]);
      applyCommand(ks, ['FUNCTION', 'LOAD', 'REPLACE', "#!lua name=lib3\nredis.register_function('f3', function(keys, args) return 3 end)"].map(bytes), ctx);
      const argv = ['FUNCTION', 'RESTORE', (dump.reply as Buffer).toString('latin1'), ...step.policy];
      const s = await call(argv);
      const r = applyCommand(ks, argv.map(bytes), ctx);
      log.push(`FUNCTION RESTORE ${step.policy.join(' ')} -> server ${s.ok ? 'ok' : s.error} / ours ${r.ok ? 'ok' : r.error}`);
      if (r.ok !== s.ok) throw new Error(`ok/error mismatch on FUNCTION RESTORE: server ${s.error}, ours ${r.ok ? 'ok' : r.error}\n${log.join('\n')}`);
      return;
    }
    if (step.kind === 'restore') {
      const dump = await call(['DUMP', step.src]);
      if (!dump.ok || dump.reply === null) return;
      const payload = (dump.reply as Buffer).toString('latin1');
      const argv = step.argv.map((a) => (a === '<payload>' ? payload : a));
      const s = await call(argv);
      const r = applyCommand(ks, argv.map(bytes), ctx);
      log.push(`RESTORE ${step.argv[1]} from ${step.src} -> server ${s.ok ? 'ok' : s.error} / ours ${r.ok ? 'ok' : r.error}`);
      if (r.ok !== s.ok) throw new Error(`ok/error mismatch on RESTORE: server ${s.error}, ours ${r.ok ? 'ok' : r.error}\n${log.join('\n')}`);
      return;
    }
    const cmds = step.cmds.filter((c) => !nondeterministic(c) && !unspecified(ks, c));
    await call(['MULTI']);
    applyCommand(ks, [bytes('MULTI')], ctx);
    for (const c of cmds) {
      const s = await call(c);
      const r = applyCommand(ks, c.map(bytes), ctx);
      if (r.ok !== s.ok) throw new Error(`queueing mismatch on ${show(c)}: server ${s.error}, ours ${r.ok ? 'ok' : r.error}`);
    }
    const s = await call(['EXEC']);
    const r = applyCommand(ks, [bytes('EXEC')], ctx);
    log.push(`MULTI ${cmds.map(show).join(' ; ')} EXEC -> server ${s.ok ? 'ok' : s.error} / ours ${r.ok ? 'ok' : r.error}`);
    if (s.ok && r.ok) {
      const theirs = s.reply as unknown[];
      const ours = r.reply as Reply[];
      theirs.forEach((t, i) => {
        const mineFailed = typeof ours[i] === 'object' && ours[i] !== null && 'error' in (ours[i] as object);
        if ((t instanceof Error) !== mineFailed) {
          throw new Error(`EXEC element ${i} (${show(cmds[i]!)}): server ${t instanceof Error ? t.message : 'ok'}, ours ${mineFailed ? JSON.stringify(ours[i]) : 'ok'}\n${log.join('\n')}`);
        }
      });
    }
  }

  async function reset(): Promise<void> {
    await server.call('SELECT', '0');
    await server.call('FLUSHALL');
    await server.call('FUNCTION', 'FLUSH');
  }

  for (const seed of SEEDS) {
    it(`Random command sequences (seed ${seed}): same keys, values, TTLs, stream groups and DEBUG DIGEST`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 40 }), async (steps) => {
          await reset();
          const ks = new Keyspace();
          const log: string[] = [];
          for (const step of steps) await runStep(ks, step, log);
          ks.expireAll(Date.now());
          const view = await readServerView(server.client);
          const diffs = diffViews(keyspaceView(ks), serverViewKeys(view), { timeTolerance: 2000 });
          if (diffs.length > 0) throw new Error(`dataset differs:\n${diffs.join('\n')}\n--- commands:\n${log.join('\n')}`);
          const theirs = ((await server.call('DEBUG', 'DIGEST')) as Buffer).toString();
          const ours = digestKeyspace(ks, { serverVersion: version }).digest;
          if (ours !== theirs) throw new Error(`DEBUG DIGEST ${theirs} != ours ${ours}\n${log.join('\n')}`);
          const libs = [...ks.functions.values()].map((l) => l.name).sort();
          expect(libs).toEqual(view.functions.map((f) => f.libraryName));
        }),
        { seed, numRuns: RUNS, endOnFailure: true },
      );
    });
  }
});
