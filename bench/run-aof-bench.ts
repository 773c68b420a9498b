// `npm run bench:aof`: time `rfx check` against `redis-check-aof` on the same >= 1 GiB AOF.
//
// 1. Generate (once; cached under bench/out/, which is git-ignored) a multi-part AOF of at least
//    1 GiB with the local redis-server (appendonly yes, aof-use-rdb-preamble no,
//    aof-timestamp-enabled yes, no automatic rewrite, so it is one incr file after an empty base):
//    a realistic write mix (strings with and without TTLs, counters, hashes, lists, sets, zsets,
//    streams, EXPIRE/DEL, MULTI/EXEC blocks, several dbs) generated as RESP and piped into
//    `redis-cli --pipe` in rounds until the incr file reaches the target size.
// 2. Copy it (redis-check-aof opens its input read-write), warm the page cache, run each checker 3
//    times on the copy's manifest under /usr/bin/time (wall time, peak RSS), and print the
//    medians, the ratio and a markdown table against the targets: rfx faster than
//    redis-check-aof, and under 200 MB peak RSS.
//
// Flags: --regen (ignore the cache), --size-mib N (default 1024), --runs N (default 3),
// --skip-rfx / --skip-redis-check (time one side only), --rfx-args "<extra rfx check args>",
// --cpu-prof (run rfx once more under `node --cpu-prof` and print its hottest functions).
// Needs packages/cli/dist/rfx.js (npm run build).

import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { redisServerVersion, requireRedisTool, startRedisServer } from '@redis-forensics/testkit';

import { dirSizes, ensureTimeTool, measureCommand, summarizeRuns, warmPageCache } from './measure.js';
import { pipeInto, prng } from './resp-pipe.js';

import type { Measured } from './measure.js';
import type { RespPipe } from './resp-pipe.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const RFX = join(ROOT, 'packages', 'cli', 'dist', 'rfx.js');
/** Bump when the generated data changes, so cached files are remade. */
const GENERATOR_VERSION = 1;
const MIB = 1024 * 1024;
const TARGET_RSS_MB = 200;
const MANIFEST = 'appendonly.aof.manifest';

// ---------------------------------------------------------------------------------------------
// RESP generation.

interface Gen {
  rnd: () => number;
  int(n: number): number;
  text(min: number, max: number): Buffer;
  binary(min: number, max: number): Buffer;
  hex(n: number): string;
}

function makeGen(seed: number): Gen {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const syll = ['ka', 'lo', 'mi', 'ne', 'ra', 'shi', 'to', 'va', 'be', 'qu', 'in', 'or', 'el', 'an', 'st', 'er', 'ion', 'da', 'pe', 'go'];
  const text = Buffer.allocUnsafe(8 * MIB);
  let p = 0;
  while (p < text.length - 16) {
    const n = 1 + int(4);
    for (let i = 0; i < n; i++) p += text.write(syll[int(syll.length)]!, p, 'latin1');
    text[p++] = rnd() < 0.1 ? 46 : 32;
  }
  text.fill(32, p);
  const binary = Buffer.allocUnsafe(8 * MIB);
  for (let i = 0; i < binary.length; i++) binary[i] = int(256);
  const slice = (pool: Buffer, min: number, max: number): Buffer => {
    const len = min + int(max - min + 1);
    const at = int(pool.length - len);
    return pool.subarray(at, at + len);
  };
  const HEX = '0123456789abcdef';
  return {
    rnd,
    int,
    text: (min, max) => slice(text, min, max),
    binary: (min, max) => slice(binary, min, max),
    hex: (n) => {
      let s = '';
      for (let i = 0; i < n; i++) s += HEX[int(16)];
      return s;
    },
  };
}

function jsonDoc(g: Gen, id: number): string {
  return `{"id":${id},"name":${JSON.stringify(g.text(8, 30).toString('latin1'))},"email":"u${id}@example.com","bio":${JSON.stringify(g.text(30, 220).toString('latin1'))},"score":${(g.rnd() * 1000).toFixed(2)},"active":${g.rnd() < 0.7},"updated":${1_700_000_000_000 + g.int(1e10)}}`;
}

const KEYS = 1_000_000;
const FIELDS = ['name', 'email', 'city', 'plan', 'visits', 'last_seen', 'lang', 'theme', 'score', 'device'];

/** One round of the write mix, until `bytes` of RESP have been written. */
async function writeMix(p: RespPipe, g: Gen, bytes: number, round: number): Promise<void> {
  const stop = p.bytes + bytes;
  while (p.bytes < stop) {
    // Check the byte count only at flushes (p.bytes moves in 8 MiB steps): cheap and good enough.
    for (let i = 0; i < 5000; i++) {
      const n = g.int(KEYS);
      const r = g.rnd();
      if (g.rnd() < 0.002) await p.cmd(['SELECT', String(g.int(4))]);
      if (r < 0.28) {
        const v = g.rnd() < 0.5 ? g.text(16, 200) : g.rnd() < 0.8 ? jsonDoc(g, n) : g.binary(64, 1500);
        if (g.rnd() < 0.08) await p.cmd(['SET', `cache:${n}`, v, 'EX', String(3600 + g.int(86400))]);
        else await p.cmd(['SET', `str:${n}`, v]);
      } else if (r < 0.38) {
        await p.cmd(g.rnd() < 0.7 ? ['INCR', `counter:${n % 50000}`] : ['INCRBY', `counter:${n % 50000}`, String(1 + g.int(100))]);
      } else if (r < 0.53) {
        const args: (string | Buffer)[] = ['HSET', `user:${n}`];
        const k = 1 + g.int(5);
        for (let f = 0; f < k; f++) args.push(FIELDS[g.int(FIELDS.length)]!, f % 2 === 0 ? g.text(3, 30) : String(g.int(1e6)));
        await p.cmd(args);
      } else if (r < 0.63) {
        const args: (string | Buffer)[] = [g.rnd() < 0.7 ? 'RPUSH' : 'LPUSH', `events:${n % 200000}`];
        const k = 1 + g.int(5);
        for (let e = 0; e < k; e++) args.push(g.rnd() < 0.3 ? String(g.int(1e9)) : g.text(8, 60));
        await p.cmd(args);
        if (g.rnd() < 0.1) await p.cmd(['LTRIM', `events:${n % 200000}`, '0', '99']);
      } else if (r < 0.71) {
        const args: (string | Buffer)[] = ['SADD', `tags:${n % 300000}`];
        const k = 1 + g.int(5);
        for (let e = 0; e < k; e++) args.push(g.rnd() < 0.5 ? String(g.int(1e5)) : g.text(3, 12));
        await p.cmd(args);
        if (g.rnd() < 0.2) await p.cmd(['SREM', `tags:${n % 300000}`, String(g.int(1e5))]);
      } else if (r < 0.79) {
        const args: (string | Buffer)[] = ['ZADD', `board:${n % 100000}`];
        const k = 1 + g.int(3);
        for (let e = 0; e < k; e++) args.push((g.rnd() * 1e4).toFixed(g.int(3)), `player:${g.int(1e6)}`);
        await p.cmd(args);
        if (g.rnd() < 0.2) await p.cmd(['ZINCRBY', `board:${n % 100000}`, String(1 + g.int(10)), `player:${g.int(1e6)}`]);
      } else if (r < 0.84) {
        await p.cmd(['EXPIRE', `user:${n}`, String(3600 + g.int(30 * 86400))]);
      } else if (r < 0.88) {
        await p.cmd(['DEL', `str:${n}`]);
      } else if (r < 0.93) {
        await p.cmd(['XADD', `stream:sensor:${n % 64}`, 'MAXLEN', '~', '10000', '*', 'temp', (15 + g.rnd() * 20).toFixed(2), 'hum', String(g.int(100)), 'note', g.text(5, 40)]);
      } else if (r < 0.95) {
        // A transaction: Redis logs it as MULTI ... EXEC.
        await p.cmd(['MULTI']);
        await p.cmd(['INCRBY', `balance:${n % 10000}`, String(-1 - g.int(50))]);
        await p.cmd(['INCRBY', `balance:${(n + 1) % 10000}`, String(1 + g.int(50))]);
        await p.cmd(['RPUSH', `ledger:${round}`, `${n}:${g.hex(12)}`]);
        await p.cmd(['EXEC']);
      } else {
        await p.cmd(['SET', `session:${g.hex(16)}`, g.text(40, 400), 'PX', String(60000 + g.int(3600000))]);
      }
    }
  }
}

interface CacheMeta {
  generatorVersion: number;
  targetBytes: number;
  /** Sizes of the files of the AOF directory. */
  files: Record<string, number>;
  totalBytes: number;
  server: string;
  generatedAt: string;
  generateSeconds: number;
  commands: number;
  respBytes: number;
}


async function generate(dest: string, targetBytes: number): Promise<CacheMeta> {
  const started = performance.now();
  const server = await startRedisServer({
    config: [
      ['appendonly', 'yes'],
      ['aof-use-rdb-preamble', 'no'],
      ['aof-timestamp-enabled', 'yes'],
      ['appendfsync', 'no'],
      ['auto-aof-rewrite-percentage', 0],
    ],
  });
  try {
    const g = makeGen(0xa0f);
    const aofDir = join(server.dir, 'appendonlydir');
    const incrSize = async (): Promise<number> => {
      const sizes = await dirSizes(aofDir);
      return Object.entries(sizes).filter(([n]) => n.includes('.incr.')).reduce((s, [, v]) => s + v, 0);
    };
    console.error(`generating a >= ${(targetBytes / MIB).toFixed(0)} MiB AOF with redis-server ${server.version} (aof-use-rdb-preamble no, aof-timestamp-enabled yes)`);
    let commands = 0;
    let respBytes = 0;
    for (let round = 0; ; round++) {
      const have = await incrSize();
      if (have >= targetBytes) break;
      if (round > 40) throw new Error(`the AOF did not reach ${targetBytes} bytes`);
      const chunk = Math.min(256 * MIB, Math.max(16 * MIB, Math.ceil((targetBytes - have) * 1.02)));
      const r = await pipeInto(server, (p) => writeMix(p, g, chunk, round));
      commands += r.commands;
      respBytes += r.bytes;
      console.error(`  round ${round + 1}: +${(r.bytes / MIB).toFixed(0)} MiB of RESP, AOF incr now ${((await incrSize()) / MIB).toFixed(0)} MiB (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    // Stop appending (flush, fsync, close), then take the directory away before the server goes.
    await server.call('CONFIG', 'SET', 'appendonly', 'no');
    await mkdir(dirname(dest), { recursive: true });
    await rm(dest, { recursive: true, force: true });
    try {
      await rename(aofDir, dest);
    } catch {
      await cp(aofDir, dest, { recursive: true });
    }
    const files = await dirSizes(dest);
    return {
      generatorVersion: GENERATOR_VERSION,
      targetBytes,
      files,
      totalBytes: Object.values(files).reduce((a, b) => a + b, 0),
      server: server.version,
      generatedAt: new Date().toISOString(),
      generateSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      commands,
      respBytes,
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Timing.

/** The hottest functions of a .cpuprofile by self time. */
async function hotSpots(profilePath: string, top: number): Promise<string[]> {
  interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
  const profile = JSON.parse(await readFile(profilePath, 'utf8')) as { nodes: Node[]; samples: number[] };
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const id of profile.samples) {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}

// ---------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const flag = (name: string): boolean => argv.includes(name);
  const value = (name: string, dflt: number): number => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  const targetBytes = Math.round(value('--size-mib', 1024) * MIB);
  const runs = value('--runs', 3);
  const cacheDir = join(OUT, `aof-${Math.round(targetBytes / MIB)}MiB`);
  const aofDir = join(cacheDir, 'appendonlydir');
  const metaFile = join(cacheDir, 'meta.json');

  let meta: CacheMeta | undefined;
  if (!flag('--regen') && existsSync(metaFile) && existsSync(aofDir)) {
    const m = JSON.parse(await readFile(metaFile, 'utf8')) as CacheMeta;
    if (m.generatorVersion === GENERATOR_VERSION && JSON.stringify(m.files) === JSON.stringify(await dirSizes(aofDir))) meta = m;
  }
  if (meta === undefined) {
    meta = await generate(aofDir, targetBytes);
    await writeFile(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  } else {
    console.error(`using cached ${relative(ROOT, aofDir)} (${(meta.totalBytes / MIB).toFixed(0)} MiB, generated ${meta.generatedAt}; --regen to remake)`);
  }

  if (!existsSync(RFX)) {
    console.error(`bench: ${relative(ROOT, RFX)} does not exist: run npm run build first`);
    return 1;
  }
  // redis-check-aof opens its input "r+": both checkers run on a copy, never on the cache.
  const copy = join(OUT, `aof-${Math.round(targetBytes / MIB)}MiB-copy`);
  await rm(copy, { recursive: true, force: true });
  await cp(aofDir, copy, { recursive: true });
  const manifest = join(copy, MANIFEST);

  const rfxArgsAt = argv.indexOf('--rfx-args');
  const rfxArgs = rfxArgsAt >= 0 ? argv[rfxArgsAt + 1]!.split(' ').filter((a) => a !== '') : [];
  const timeTool = ensureTimeTool();
  const rfxLabel = ['rfx check --no-progress', ...rfxArgs].join(' ');
  const rfxCmd: [string, string[]] = [process.execPath, [RFX, 'check', '--no-progress', ...rfxArgs, manifest]];
  const checkCmd: [string, string[]] = [requireRedisTool('redis-check-aof'), [manifest]];
  // redis-check-aof 7.0 has no --version; it comes with the server.
  const checkVersion = `redis-check-aof of redis-server ${redisServerVersion()}`;

  await warmPageCache(copy);
  const results: Record<string, Measured[]> = { rfx: [], redis: [] };
  try {
    for (let i = 0; i < runs; i++) {
      // Alternate, so that neither side always runs on a warmer machine.
      for (const side of i % 2 === 0 ? (['redis', 'rfx'] as const) : (['rfx', 'redis'] as const)) {
        if (side === 'rfx' && flag('--skip-rfx')) continue;
        if (side === 'redis' && flag('--skip-redis-check')) continue;
        const [cmd, args] = side === 'rfx' ? rfxCmd : checkCmd;
        const m = await measureCommand(cmd, args, timeTool, 2);
        results[side]!.push(m);
        console.error(`  run ${i + 1} ${side === 'rfx' ? rfxLabel : 'redis-check-aof'}: ${m.wallSeconds.toFixed(2)} s, ${m.peakRssMb.toFixed(0)} MB peak RSS, exit ${m.exitCode} (${m.outputTail})`);
        if (m.exitCode !== 0) console.error(`  !! ${side} exited ${m.exitCode}: ${m.outputTail}`);
      }
    }
    if (flag('--cpu-prof')) {
      const profDir = join(OUT, 'aof-cpu-prof');
      await rm(profDir, { recursive: true, force: true });
      await measureCommand(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, RFX, 'check', '--no-progress', ...rfxArgs, manifest], undefined);
      const prof = (await readdir(profDir)).find((n) => n.endsWith('.cpuprofile'));
      if (prof !== undefined) {
        console.error(`\nrfx check hot spots (self time, ${relative(ROOT, join(profDir, prof))}):`);
        for (const l of await hotSpots(join(profDir, prof), 20)) console.error(`  ${l}`);
      }
    }
  } finally {
    await rm(copy, { recursive: true, force: true });
  }

  const r = results['rfx']!.length > 0 ? summarizeRuns(results['rfx']!) : undefined;
  const c = results['redis']!.length > 0 ? summarizeRuns(results['redis']!) : undefined;
  const ratio = r !== undefined && c !== undefined ? r.wall / c.wall : NaN;
  const sizeMib = meta.totalBytes / MIB;

  const lines = [
    '',
    `## rfx check vs redis-check-aof (${new Date().toISOString().slice(0, 10)})`,
    '',
    `AOF: \`${relative(ROOT, aofDir)}\` (checked through a copy's manifest), ${sizeMib.toFixed(0)} MiB (${meta.totalBytes} bytes; ${Object.entries(meta.files).map(([n, s]) => `${n} ${s}`).join(', ')}), ` +
      `written by redis-server ${meta.server} with aof-use-rdb-preamble no and aof-timestamp-enabled yes (${meta.commands.toLocaleString('en-US')} commands via redis-cli --pipe, generated in ${meta.generateSeconds} s).`,
    `Machine: ${cpus().length} CPU(s), Node ${process.version}, ${checkVersion}; ${runs} runs each on a page-cached file, median wall time, max peak RSS (${timeTool === undefined ? '/proc VmHWM polling' : '/usr/bin/time -f "%e %M"'}).`,
    '',
    '| checker | runs (wall s) | median wall s | CPU s (user+sys) | MiB/s | peak RSS MB | exit | target |',
    '|---|---|---|---|---|---|---|---|',
  ];
  if (c !== undefined) lines.push(`| redis-check-aof ${meta.server} | ${c.runs} | ${c.wall.toFixed(2)} | ${c.cpu.toFixed(2)} | ${(sizeMib / c.wall).toFixed(0)} | ${c.rss.toFixed(0)} | ${c.ok ? 0 : 'FAIL'} | baseline |`);
  if (r !== undefined) {
    const wallOk = ratio < 1;
    const rssOk = r.rss < TARGET_RSS_MB;
    lines.push(`| ${rfxLabel} | ${r.runs} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(sizeMib / r.wall).toFixed(0)} | ${r.rss.toFixed(0)} | ${r.ok ? 0 : 'FAIL'} | faster than redis-check-aof: ${Number.isNaN(ratio) ? 'n/a' : wallOk ? 'MET' : 'MISSED'}; RSS < ${TARGET_RSS_MB} MB: ${rssOk ? 'MET' : 'MISSED'} |`);
  }
  lines.push(
    '',
    `Ratio rfx / redis-check-aof wall time: ${Number.isNaN(ratio) ? 'n/a' : `${ratio.toFixed(2)}x`} (target < 1x); ` +
      `rfx peak RSS ${r === undefined ? 'n/a' : `${r.rss.toFixed(0)} MB`} (target < ${TARGET_RSS_MB} MB); redis-check-aof peak RSS ${c === undefined ? 'n/a' : `${c.rss.toFixed(0)} MB`}.`,
    '',
  );
  process.stdout.write(lines.join('\n'));
  await writeFile(join(OUT, `aof-results-${Date.now()}.json`), `${JSON.stringify({ meta, runs: results, ratio }, null, 2)}\n`);
  return (r?.ok ?? true) && (c?.ok ?? true) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
