// `npm run bench:replay`: time `rfx convert <aof> --to rdb` (replay of the whole AOF, then the RDB
// writer) against `redis-server` loading the same AOF and saving it (`SAVE`), on a >= 1 GiB AOF.
//
// 1. The input is the cached multi-part AOF of `npm run bench:aof` (bench/out/aof-<N>MiB/
//    appendonlydir, git-ignored). When it is missing (or with --regen) it is made by that script's
//    own generator: bench/run-aof-bench.ts run with `--runs 0 --skip-rfx --skip-redis-check`.
// 2. rfx side: `node [--max-old-space-size=MB] rfx.js convert <dir> --to rdb -o <tmp>/out.rdb --yes
//    --force --no-progress` under /usr/bin/time (wall time, peak RSS). The replay holds the whole
//    dataset in memory; Node's default heap limit is enough for 1 GiB (--heap-mb N runs it with
//    --max-old-space-size=N when a bigger AOF needs more).
// 3. redis side: the AOF dir is copied to a temp dir and `redis-server --dir <tmp> --appendonly yes
//    --appenddirname <dirname> --port 0 --unixsocket <tmp>/r.sock --save ''` started under
//    /usr/bin/time; wall time is from spawn until `SAVE` has answered (PING is polled over the
//    socket: the server answers -LOADING until the AOF is loaded), peak RSS is the server's VmHWM
//    read from /proc/<pid>/status just before `SHUTDOWN NOSAVE` (/usr/bin/time's %M is kept too).
//    `DEBUG SET-ACTIVE-EXPIRE 0` is sent as soon as the socket answers, so keys whose TTL passed
//    since the AOF was generated are not expired between the load and the key count.
// 4. Once (on the first run of each side): `rfx check --json out.rdb` must exit 0, and its key
//    count (per db) must equal the server's after the load (INFO keyspace, i.e. DBSIZE of each db).
// 5. 3 runs each, alternating, median wall time, max peak RSS; ratio and a markdown table against
//    the target: rfx within 2x of redis-server's time.
//
// Flags: --regen (remake the AOF), --size-mib N (default 1024), --runs N (default 3),
// --skip-rfx / --skip-redis (time one side only), --heap-mb N (node --max-old-space-size; default
// 0: Node's own limit), --rfx-args "<extra rfx convert args>".
// Needs packages/cli/dist/rfx.js (built with `npm run build` when missing).

import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { redisServerVersion, requireRedisTool } from '@redis-forensics/testkit';

import { dirSizes, ensureTimeTool, median, startMeasured, summarizeRuns, warmPageCache } from './measure.js';

import type { Measured } from './measure.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const RFX = join(ROOT, 'packages', 'cli', 'dist', 'rfx.js');
const AOF_BENCH = join(ROOT, 'bench', 'run-aof-bench.ts');
/** Must match GENERATOR_VERSION of bench/run-aof-bench.ts (its cache is reused). */
const GENERATOR_VERSION = 1;
const MIB = 1024 * 1024;
const TARGET_RATIO = 2;
/** Node's own heap limit (about 4 GiB here) is enough for the 1 GiB AOF (about 2.1 GB peak RSS). */
const DEFAULT_HEAP_MB = 0;

interface CacheMeta {
  generatorVersion: number;
  files: Record<string, number>;
  totalBytes: number;
  server: string;
  generatedAt: string;
  commands: number;
}


async function cachedMeta(cacheDir: string): Promise<CacheMeta | undefined> {
  const metaFile = join(cacheDir, 'meta.json');
  const aofDir = join(cacheDir, 'appendonlydir');
  if (!existsSync(metaFile) || !existsSync(aofDir)) return undefined;
  const m = JSON.parse(await readFile(metaFile, 'utf8')) as CacheMeta;
  return m.generatorVersion === GENERATOR_VERSION && JSON.stringify(m.files) === JSON.stringify(await dirSizes(aofDir)) ? m : undefined;
}

/** Run a command with inherited stdio; throws unless it exits 0. */
function runInherit(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], cwd: ROOT });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

// ---------------------------------------------------------------------------------------------
// Timing.

// ---------------------------------------------------------------------------------------------
// A minimal RESP client over the unix socket (one command per connection; enough for polling).

type Reply = string | number | null | Error | Reply[];

function parseReply(buf: Buffer, at: number): [Reply, number] | undefined {
  const eol = buf.indexOf('\r\n', at, 'latin1');
  if (eol < 0) return undefined;
  const head = buf.toString('latin1', at + 1, eol);
  const next = eol + 2;
  switch (buf[at]) {
    case 0x2b: return [head, next]; // +
    case 0x2d: return [new Error(head), next]; // -
    case 0x3a: return [Number(head), next]; // :
    case 0x24: { // $
      const n = Number(head);
      if (n < 0) return [null, next];
      if (buf.length < next + n + 2) return undefined;
      return [buf.toString('utf8', next, next + n), next + n + 2];
    }
    case 0x2a: { // *
      const n = Number(head);
      if (n < 0) return [null, next];
      const items: Reply[] = [];
      let p = next;
      for (let i = 0; i < n; i++) {
        const r = parseReply(buf, p);
        if (r === undefined) return undefined;
        items.push(r[0]);
        p = r[1];
      }
      return [items, p];
    }
    default: throw new Error(`unexpected RESP byte ${buf[at]}`);
  }
}

/** Send one command; resolves with the reply (an Error value for -ERR), rejects on socket errors. */
function command(socketPath: string, args: string[], timeoutMs = 0): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    let buf = Buffer.alloc(0);
    if (timeoutMs > 0) {
      sock.setTimeout(timeoutMs, () => {
        sock.destroy();
        reject(new Error(`timeout waiting for ${args[0]}`));
      });
    }
    sock.on('error', reject);
    sock.on('close', () => reject(new Error(`connection closed before the reply to ${args[0]}`)));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const r = parseReply(buf, 0);
      if (r !== undefined) {
        sock.destroy();
        resolve(r[0]);
      }
    });
    sock.on('connect', () => sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `INFO keyspace` as { db: keys }. */
function keyspace(info: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^db(\d+):keys=(\d+)/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

interface RedisRun extends Measured {
  /** start -> loaded (PING answers +PONG), seconds. */
  loadSeconds: number;
  /** start -> SAVE done, seconds: the figure compared. */
  saveDoneSeconds: number;
  /** /usr/bin/time %e: includes SHUTDOWN. */
  processSeconds: number;
  /** VmHWM of redis-server before SHUTDOWN. */
  vmHwmMb: number;
  /** /usr/bin/time %M (or the VmHWM polling). */
  timeRssMb: number;
  keys: Record<string, number>;
  rdbBytes: number;
}

/** A redis-server we started and have not stopped yet, killed on exit whatever happens. */
const liveServers = new Set<number>();
process.once('exit', () => {
  for (const pid of liveServers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => process.exit(130));
}

async function runRedis(aofDir: string, timeTool: string | undefined): Promise<RedisRun> {
  const dir = await mkdtemp(join(tmpdir(), 'rfx-replay-bench-redis-'));
  try {
    const dirname = 'appendonlydir';
    await cp(aofDir, join(dir, dirname), { recursive: true });
    await warmPageCache(join(dir, dirname));
    const sock = join(dir, 'r.sock');
    const srv = startMeasured(requireRedisTool('redis-server'), [
      '--dir', dir, '--appendonly', 'yes', '--appenddirname', dirname, '--port', '0', '--unixsocket', sock,
      '--unixsocketperm', '700', '--save', '', '--dbfilename', 'dump.rdb', '--daemonize', 'no', '--logfile', '',
      '--enable-debug-command', 'local',
    ], timeTool);
    // With /usr/bin/time, srv.pid is time's; the server's own pid comes from INFO below.
    liveServers.add(srv.pid);
    let exited = false;
    void srv.done.then(() => (exited = true));
    let serverPid: number | undefined;
    let activeExpireOff = false;
    let loaded = 0;
    for (;;) {
      if (exited) throw new Error(`redis-server exited before loading: ${(await srv.done).output.slice(-2000)}`);
      if (existsSync(sock)) {
        if (!activeExpireOff) {
          const r = await command(sock, ['DEBUG', 'SET-ACTIVE-EXPIRE', '0']).catch((e: Error) => e);
          if (r === 'OK') activeExpireOff = true;
        }
        if (serverPid === undefined) {
          const info = await command(sock, ['INFO', 'server']).catch((e: Error) => e);
          if (typeof info === 'string') {
            serverPid = Number(/process_id:(\d+)/.exec(info)![1]);
            liveServers.add(serverPid);
          }
        }
        const pong = await command(sock, ['PING']).catch((e: Error) => e);
        if (pong === 'PONG') {
          loaded = performance.now();
          break;
        }
      }
      await sleep(10);
    }
    const persistence = String(await command(sock, ['INFO', 'persistence']));
    if (!/^loading:0/m.test(persistence)) throw new Error('PING answered but INFO persistence says loading');
    if (!activeExpireOff) console.error('  !! DEBUG SET-ACTIVE-EXPIRE 0 was refused: the key count may be off by expired keys');
    const keys = keyspace(String(await command(sock, ['INFO', 'keyspace'])));
    const saved = await command(sock, ['SAVE']);
    const saveDone = performance.now();
    if (saved !== 'OK') throw new Error(`SAVE failed: ${String(saved)}`);
    let vmHwmMb = NaN;
    if (serverPid !== undefined) {
      const status = await readFile(`/proc/${serverPid}/status`, 'utf8').catch(() => '');
      const m = /VmHWM:\s+(\d+)/.exec(status);
      if (m !== null) vmHwmMb = Number(m[1]) / 1024;
    }
    await command(sock, ['SHUTDOWN', 'NOSAVE']).catch(() => undefined);
    const timer = setTimeout(() => {
      if (serverPid !== undefined) process.kill(serverPid, 'SIGKILL');
      srv.kill();
    }, 30_000);
    const m = await srv.done;
    clearTimeout(timer);
    liveServers.delete(srv.pid);
    if (serverPid !== undefined) liveServers.delete(serverPid);
    const rdbBytes = (await stat(join(dir, 'dump.rdb'))).size;
    return {
      ...m,
      exitCode: 0, // SHUTDOWN NOSAVE; what counts is that SAVE answered OK
      loadSeconds: (loaded - srv.started) / 1000,
      saveDoneSeconds: (saveDone - srv.started) / 1000,
      processSeconds: m.wallSeconds,
      wallSeconds: (saveDone - srv.started) / 1000,
      vmHwmMb,
      timeRssMb: m.peakRssMb,
      peakRssMb: Number.isNaN(vmHwmMb) ? m.peakRssMb : Math.max(vmHwmMb, m.peakRssMb),
      keys,
      rdbBytes,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

interface CheckJson {
  ok: boolean;
  keys: number;
  expires: number;
  alreadyExpired: number;
  databases: Record<string, number>;
  checksum: string;
}

function rfxCheck(file: string): { exitCode: number; json: CheckJson | undefined; text: string } {
  try {
    const text = execFileSync(process.execPath, [RFX, 'check', '--json', '--no-progress', file], { encoding: 'utf8', maxBuffer: 64 * MIB });
    return { exitCode: 0, json: JSON.parse(text) as CheckJson, text };
  } catch (e) {
    const err = e as { status?: number; stdout?: string };
    let json: CheckJson | undefined;
    try {
      json = JSON.parse(err.stdout ?? '') as CheckJson;
    } catch {
      // not JSON
    }
    return { exitCode: err.status ?? 1, json, text: err.stdout ?? String(e) };
  }
}

async function main(argv: string[]): Promise<number> {
  const flag = (name: string): boolean => argv.includes(name);
  const value = (name: string, dflt: number): number => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  const sizeMib = value('--size-mib', 1024);
  const runs = value('--runs', 3);
  const heapMb = value('--heap-mb', DEFAULT_HEAP_MB);
  const cacheDir = join(OUT, `aof-${Math.round(sizeMib)}MiB`);
  const aofDir = join(cacheDir, 'appendonlydir');

  if (!existsSync(RFX)) {
    console.error(`bench: ${relative(ROOT, RFX)} does not exist: running npm run build`);
    await runInherit('npm', ['run', 'build']);
  }
  let meta = flag('--regen') ? undefined : await cachedMeta(cacheDir);
  if (meta === undefined) {
    console.error(`bench: generating ${relative(ROOT, aofDir)} with bench/run-aof-bench.ts's generator`);
    await runInherit(process.execPath, [
      '--conditions=@redis-forensics/source', '--import', 'tsx', AOF_BENCH,
      '--size-mib', String(sizeMib), '--runs', '0', '--skip-rfx', '--skip-redis-check', ...(flag('--regen') ? ['--regen'] : []),
    ]);
    meta = await cachedMeta(cacheDir);
    if (meta === undefined) throw new Error(`${relative(ROOT, aofDir)} is still missing after generating it`);
  } else {
    console.error(`using cached ${relative(ROOT, aofDir)} (${(meta.totalBytes / MIB).toFixed(0)} MiB, generated ${meta.generatedAt}; --regen to remake)`);
  }

  const rfxArgsAt = argv.indexOf('--rfx-args');
  const rfxArgs = rfxArgsAt >= 0 ? argv[rfxArgsAt + 1]!.split(' ').filter((a) => a !== '') : [];
  const nodeArgs = heapMb > 0 ? [`--max-old-space-size=${heapMb}`] : [];
  const work = await mkdtemp(join(tmpdir(), 'rfx-replay-bench-'));
  const outRdb = join(work, 'out.rdb');
  const rfxLabel = ['rfx convert --to rdb', ...rfxArgs].join(' ') + (heapMb > 0 ? ` (node --max-old-space-size=${heapMb})` : '');
  const rfxCmd: [string, string[]] = [process.execPath, [...nodeArgs, RFX, 'convert', aofDir, '--to', 'rdb', '-o', outRdb, '--yes', '--force', '--no-progress', ...rfxArgs]];
  const timeTool = ensureTimeTool();
  const version = redisServerVersion();

  await warmPageCache(aofDir);
  const rfxRuns: Measured[] = [];
  const redisRuns: RedisRun[] = [];
  let check: ReturnType<typeof rfxCheck> | undefined;
  let rfxRdbBytes = 0;
  let rfxSummary = '';
  try {
    for (let i = 0; i < runs; i++) {
      for (const side of i % 2 === 0 ? (['redis', 'rfx'] as const) : (['rfx', 'redis'] as const)) {
        if (side === 'rfx') {
          if (flag('--skip-rfx')) continue;
          await rm(outRdb, { force: true });
          const m = await startMeasured(rfxCmd[0], rfxCmd[1], timeTool).done;
          rfxRuns.push(m);
          const tail = m.outputTail;
          console.error(`  run ${i + 1} ${rfxLabel}: ${m.wallSeconds.toFixed(2)} s, ${m.peakRssMb.toFixed(0)} MB peak RSS, exit ${m.exitCode} (${tail})`);
          if (m.exitCode !== 0) {
            console.error(`  !! rfx exited ${m.exitCode}:\n${m.output}`);
            continue;
          }
          if (check === undefined) {
            rfxSummary = m.outputTail;
            rfxRdbBytes = (await stat(outRdb)).size;
            check = rfxCheck(outRdb);
            console.error(`  rfx check ${relative(ROOT, outRdb)}: exit ${check.exitCode}, ${check.json?.keys ?? '?'} keys (${JSON.stringify(check.json?.databases ?? {})}), ${check.json?.expires ?? '?'} expires, ${check.json?.alreadyExpired ?? '?'} already expired, checksum ${check.json?.checksum ?? '?'}`);
          }
        } else {
          if (flag('--skip-redis')) continue;
          const m = await runRedis(aofDir, timeTool);
          redisRuns.push(m);
          const total = Object.values(m.keys).reduce((a, b) => a + b, 0);
          console.error(`  run ${i + 1} redis-server load+SAVE: ${m.saveDoneSeconds.toFixed(2)} s (loaded at ${m.loadSeconds.toFixed(2)} s; process ${m.processSeconds.toFixed(2)} s with SHUTDOWN), ${m.vmHwmMb.toFixed(0)} MB VmHWM (time %M ${m.timeRssMb.toFixed(0)} MB), ${total} keys ${JSON.stringify(m.keys)}, dump.rdb ${m.rdbBytes} bytes`);
        }
      }
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }

  // Equality, once: rfx check exits 0 and its key count (per db) equals the server's after the load.
  const serverKeys = redisRuns[0]?.keys;
  const serverTotal = serverKeys === undefined ? undefined : Object.values(serverKeys).reduce((a, b) => a + b, 0);
  const perDbEqual = serverKeys !== undefined && check?.json !== undefined &&
    JSON.stringify(Object.entries(serverKeys).sort()) === JSON.stringify(Object.entries(check.json.databases).sort());
  const equal = check !== undefined && check.exitCode === 0 && check.json !== undefined && serverTotal === check.json.keys && perDbEqual;

  const r = rfxRuns.length > 0 ? summarizeRuns(rfxRuns) : undefined;
  const c = redisRuns.length > 0 ? summarizeRuns(redisRuns) : undefined;
  const ratio = r !== undefined && c !== undefined ? r.wall / c.wall : NaN;
  const aofMib = meta.totalBytes / MIB;
  const loadMedian = redisRuns.length > 0 ? median(redisRuns.map((m) => m.loadSeconds)) : NaN;

  const lines = [
    '',
    `## AOF replay: rfx convert --to rdb vs redis-server load + SAVE (${new Date().toISOString().slice(0, 10)})`,
    '',
    `AOF: \`${relative(ROOT, aofDir)}\`, ${aofMib.toFixed(0)} MiB (${meta.totalBytes} bytes; ${Object.entries(meta.files).map(([n, s]) => `${n} ${s}`).join(', ')}), ` +
      `written by redis-server ${meta.server} (${meta.commands.toLocaleString('en-US')} commands; the cache of \`npm run bench:aof\`).`,
    `Machine: ${cpus().length} CPU(s), Node ${process.version}, redis-server ${version}; ${runs} runs each, alternating, page-cached input, median wall time, max peak RSS ` +
      `(${timeTool === undefined ? '/proc VmHWM polling' : '/usr/bin/time -f "%e %M"'}; for redis-server also VmHWM before SHUTDOWN). ` +
      `redis-server: wall time from spawn to \`SAVE\` done on a copy of the AOF dir (loaded after ${Number.isNaN(loadMedian) ? 'n/a' : loadMedian.toFixed(2)} s, median).`,
    '',
    '| side | runs (wall s) | median wall s | CPU s (user+sys) | AOF MiB/s | peak RSS MB | RDB bytes | exit | target |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  if (c !== undefined) lines.push(`| redis-server ${version} load + SAVE | ${c.runs} | ${c.wall.toFixed(2)} | ${c.cpu.toFixed(2)} | ${(aofMib / c.wall).toFixed(0)} | ${c.rss.toFixed(0)} | ${redisRuns[0]!.rdbBytes} | ${c.ok ? 0 : 'FAIL'} | baseline |`);
  if (r !== undefined) {
    lines.push(`| ${rfxLabel} | ${r.runs} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(aofMib / r.wall).toFixed(0)} | ${r.rss.toFixed(0)} | ${rfxRdbBytes || 'n/a'} | ${r.ok ? 0 : 'FAIL'} | within ${TARGET_RATIO}x of redis-server: ${Number.isNaN(ratio) ? 'n/a' : ratio <= TARGET_RATIO ? 'MET' : 'MISSED'} |`);
  }
  lines.push(
    '',
    `Ratio rfx / redis-server wall time: ${Number.isNaN(ratio) ? 'n/a' : `${ratio.toFixed(2)}x`} (target <= ${TARGET_RATIO}x); ` +
      `peak RSS rfx ${r === undefined ? 'n/a' : `${r.rss.toFixed(0)} MB`}, redis-server ${c === undefined ? 'n/a' : `${c.rss.toFixed(0)} MB`}.`,
    `Equality: rfx check on out.rdb exit ${check?.exitCode ?? 'n/a'}, ${check?.json?.keys ?? 'n/a'} keys ${JSON.stringify(check?.json?.databases ?? {})}; ` +
      `redis-server after the load: ${serverTotal ?? 'n/a'} keys ${JSON.stringify(serverKeys ?? {})} (INFO keyspace, DBSIZE per db): ${check === undefined || serverKeys === undefined ? 'not checked' : equal ? 'EQUAL' : 'DIFFERENT'}.`,
    '',
  );
  process.stdout.write(lines.join('\n'));
  await mkdir(OUT, { recursive: true });
  await writeFile(join(OUT, `replay-results-${Date.now()}.json`), `${JSON.stringify({ meta, heapMb, rfxSummary, check: check?.json, runs: { rfx: rfxRuns, redis: redisRuns }, ratio, equal }, null, 2)}\n`);
  const checked = check === undefined || serverKeys === undefined || equal;
  return (r?.ok ?? true) && (c?.ok ?? true) && checked ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
