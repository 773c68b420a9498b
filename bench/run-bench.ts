// `npm run bench`: time `rfx check` against `redis-check-rdb` on the same >= 1 GiB RDB.
//
// 1. Generate (once; cached under bench/out/, which is git-ignored) an RDB of at least 1 GiB with
//    the local redis-server: a realistic mix of mostly small strings, hashes, lists, sets and zsets,
//    some 1M-element collections, streams with consumer groups, and TTLs. The commands are generated
//    as RESP and piped into `redis-cli --pipe`, then SAVE writes the file.
// 2. Run each checker 3 times under /usr/bin/time (wall time, peak RSS) on the page-cached file and
//    print the medians, the ratio and a markdown table against the targets: rfx within 2x of
//    redis-check-rdb's wall time, and under 200 MB peak RSS.
//
// Flags: --regen (ignore the cache), --size-mib N (default 1024), --runs N (default 3),
// --skip-rfx / --skip-redis-check (time one side only), --rfx-args "<extra rfx check args>".
// Until packages/cli/dist/rfx.js exists (npm run build), the rfx side is a library-based stand-in:
// this script re-run as `--check-with-library <file>`, iterating openRdb over every value.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { openRdb } from '@redis-forensics/rdb';
import { requireRedisTool, startRedisServer } from '@redis-forensics/testkit';

import { ensureTimeTool, measureCommand, summarizeRuns, warmPageCache } from './measure.js';
import { pipeInto, prng } from './resp-pipe.js';

import type { Measured } from './measure.js';
import type { RespPipe } from './resp-pipe.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
const RFX = join(ROOT, 'packages', 'cli', 'dist', 'rfx.js');
/** Bump when the generated data changes, so cached files are remade. */
const GENERATOR_VERSION = 1;
const MIB = 1024 * 1024;
const TARGET_RATIO = 2;
const TARGET_RSS_MB = 200;

// ---------------------------------------------------------------------------------------------
// The library-based stand-in for `rfx check`: full decode of every value, CRC verified.

async function checkWithLibrary(path: string): Promise<number> {
  let keys = 0;
  let checksum = 'none';
  for await (const ev of openRdb(path)) {
    if (ev.type === 'key' && (ev.part === undefined || ev.part.last)) keys++;
    if (ev.type === 'eof') checksum = ev.checksum;
  }
  process.stdout.write(`OK ${path}: ${keys} keys, checksum ${checksum}\n`);
  return checksum === 'match' || checksum === 'disabled' ? 0 : 65;
}

// ---------------------------------------------------------------------------------------------
// RESP generation.

interface Pools {
  text: Buffer;
  binary: Buffer;
}

function makePools(rnd: () => number): Pools {
  // Text: pseudo-words from syllables, so values look like names, titles and messages.
  const syll = ['ka', 'lo', 'mi', 'ne', 'ra', 'shi', 'to', 'va', 'be', 'qu', 'in', 'or', 'el', 'an', 'st', 'er', 'ion', 'da', 'pe', 'go'];
  const text = Buffer.allocUnsafe(8 * MIB);
  let p = 0;
  while (p < text.length - 16) {
    const n = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) p += text.write(syll[Math.floor(rnd() * syll.length)]!, p, 'latin1');
    text[p++] = rnd() < 0.1 ? 46 : 32; // '.' or ' '
  }
  text.fill(32, p);
  return { text, binary: randomBytes(8 * MIB) };
}

interface Gen {
  rnd: () => number;
  int(n: number): number;
  text(min: number, max: number): Buffer;
  binary(min: number, max: number): Buffer;
  hex(n: number): string;
}

function makeGen(seed: number): Gen {
  const rnd = prng(seed);
  const pools = makePools(rnd);
  const int = (n: number): number => Math.floor(rnd() * n);
  const slice = (pool: Buffer, min: number, max: number): Buffer => {
    const len = min + int(max - min + 1);
    const at = int(pool.length - len);
    return pool.subarray(at, at + len);
  };
  const HEX = '0123456789abcdef';
  return {
    rnd,
    int,
    text: (min, max) => slice(pools.text, min, max),
    binary: (min, max) => slice(pools.binary, min, max),
    hex: (n) => {
      let s = '';
      for (let i = 0; i < n; i++) s += HEX[int(16)];
      return s;
    },
  };
}

function jsonDoc(g: Gen, id: number): string {
  const tags = Array.from({ length: 1 + g.int(4) }, () => JSON.stringify(g.text(3, 12).toString('latin1').trim()));
  return `{"id":${id},"name":${JSON.stringify(g.text(8, 30).toString('latin1'))},"email":"u${id}@example.com","bio":${JSON.stringify(g.text(40, 300).toString('latin1'))},"tags":[${tags.join(',')}],"score":${(g.rnd() * 1000).toFixed(2)},"active":${g.rnd() < 0.7},"created":${1_600_000_000_000 + g.int(1e11)}}`;
}

/** A string value: counters, short text, tokens, JSON documents and binary blobs. */
function stringValue(g: Gen, i: number): string | Buffer {
  const r = g.rnd();
  if (r < 0.25) return String(g.int(r < 0.05 ? 2 ** 31 : 100_000));
  if (r < 0.45) return g.text(8, 60);
  if (r < 0.6) return g.hex(32);
  if (r < 0.9) return jsonDoc(g, i);
  return g.binary(64, 2048);
}

interface Plan {
  strings: number;
  hashes: number;
  lists: number;
  sets: number;
  zsets: number;
  streams: number;
  streamEntries: number;
  bigElements: number;
}

/** About 1.1 GiB of RDB at scale 1 (measured with Redis 7.0). */
function planFor(targetBytes: number): Plan {
  const scale = targetBytes / (1024 * MIB);
  return {
    strings: Math.round(2_300_000 * scale),
    hashes: Math.round(800_000 * scale),
    lists: Math.round(300_000 * scale),
    sets: Math.round(200_000 * scale),
    zsets: Math.round(200_000 * scale),
    streams: 10,
    streamEntries: Math.round(100_000 * scale),
    bigElements: Math.max(1000, Math.round(1_000_000 * Math.min(1, scale))),
  };
}

const TTL_DAYS = 86400;

async function writeSmallKeys(p: RespPipe, g: Gen, plan: Plan, db: number, round: number): Promise<void> {
  await p.cmd(['SELECT', String(db)]);
  const pre = round === 0 ? '' : `r${round}:`;
  // Strings: MSET in batches of 100; 10% with a TTL via SET EX.
  let batch: (string | Buffer)[] = ['MSET'];
  for (let i = 0; i < plan.strings; i++) {
    const kind = i % 4;
    const key = `${pre}${kind === 0 ? 'counter' : kind === 1 ? 'session' : kind === 2 ? 'cache:page' : 'user:profile'}:${i}`;
    const v = stringValue(g, i);
    if (g.rnd() < 0.1) {
      await p.cmd(['SET', key, v, 'EX', String(3600 + g.int(30 * TTL_DAYS))]);
      continue;
    }
    batch.push(key, v);
    if (batch.length >= 201) {
      await p.cmd(batch);
      batch = ['MSET'];
    }
  }
  if (batch.length > 1) await p.cmd(batch);
  // Small hashes (listpack): user records.
  for (let i = 0; i < plan.hashes; i++) {
    const n = 3 + g.int(12);
    const args: (string | Buffer)[] = ['HSET', `${pre}user:${i}`];
    const fields = ['name', 'email', 'city', 'plan', 'visits', 'last_seen', 'lang', 'theme', 'score', 'referrer', 'device', 'tz', 'age', 'country', 'status'];
    for (let f = 0; f < n; f++) args.push(fields[f]!, f % 3 === 1 ? String(g.int(1e6)) : g.text(3, 20));
    await p.cmd(args);
    if (i % 10 === 0) await p.cmd(['EXPIRE', `${pre}user:${i}`, String(3600 + g.int(30 * TTL_DAYS))]);
  }
  // Small lists: recent events.
  for (let i = 0; i < plan.lists; i++) {
    const args: (string | Buffer)[] = ['RPUSH', `${pre}events:${i}`];
    const n = 5 + g.int(25);
    for (let e = 0; e < n; e++) args.push(e % 4 === 0 ? String(g.int(1e9)) : g.text(5, 25));
    await p.cmd(args);
  }
  // Small sets: half intsets (ids), half string sets (tags).
  for (let i = 0; i < plan.sets; i++) {
    const args: (string | Buffer)[] = ['SADD', `${pre}${i % 2 === 0 ? 'follows' : 'tags'}:${i}`];
    const n = 3 + g.int(40);
    for (let e = 0; e < n; e++) args.push(i % 2 === 0 ? String(g.int(1e7)) : g.text(3, 15));
    await p.cmd(args);
  }
  // Small zsets (listpack): leaderboards.
  for (let i = 0; i < plan.zsets; i++) {
    const args: (string | Buffer)[] = ['ZADD', `${pre}board:${i}`];
    const n = 5 + g.int(25);
    for (let e = 0; e < n; e++) args.push((g.rnd() * 1e4).toFixed(g.int(4)), `player:${g.int(1e6)}`);
    await p.cmd(args);
  }
}

async function writeBigKeys(p: RespPipe, g: Gen, plan: Plan): Promise<void> {
  await p.cmd(['SELECT', '0']);
  const n = plan.bigElements;
  for (let i = 0; i < n; i += 1000) {
    const m = Math.min(1000, n - i);
    const l1: (string | Buffer)[] = ['RPUSH', 'big:list:queue'];
    const l2: (string | Buffer)[] = ['RPUSH', 'big:list:log'];
    const h1: (string | Buffer)[] = ['HSET', 'big:hash:sessions'];
    const h2: (string | Buffer)[] = ['HSET', 'big:hash:prices'];
    const z: (string | Buffer)[] = ['ZADD', 'big:zset:ranking'];
    const s: (string | Buffer)[] = ['SADD', 'big:set:visitors'];
    for (let j = i; j < i + m; j++) {
      l1.push(`job:${j}:${g.hex(8)}`);
      l2.push(j % 3 === 0 ? String(g.int(1e12)) : g.text(10, 40));
      h1.push(`sess:${g.hex(12)}`, g.text(10, 30));
      h2.push(`sku:${j}`, (g.rnd() * 1000).toFixed(2));
      z.push(String(g.int(1e9)), `player:${j}`);
      s.push(`visitor:${j}:${g.hex(6)}`);
    }
    for (const c of [l1, l2, h1, h2, z, s]) await p.cmd(c);
  }
  // Streams with consumer groups and pending entries.
  for (let s = 0; s < plan.streams; s++) {
    const key = `stream:sensor:${s}`;
    for (let e = 0; e < plan.streamEntries; e++) {
      if (e % 50 === 49) await p.cmd(['XADD', key, '*', 'event', 'calibrate', 'by', g.text(4, 12), 'note', g.text(10, 80)]);
      else await p.cmd(['XADD', key, '*', 'temp', (15 + g.rnd() * 20).toFixed(2), 'hum', String(g.int(100)), 'ok', '1']);
    }
    await p.cmd(['XGROUP', 'CREATE', key, 'analytics', '0']);
    await p.cmd(['XGROUP', 'CREATE', key, 'alerts', '$']);
    for (const c of ['worker-1', 'worker-2', 'worker-3']) await p.cmd(['XREADGROUP', 'GROUP', 'analytics', c, 'COUNT', String(1000 + g.int(2000)), 'STREAMS', key, '>']);
  }
}

interface CacheMeta {
  generatorVersion: number;
  targetBytes: number;
  size: number;
  server: string;
  generatedAt: string;
  generateSeconds: number;
  saveSeconds: number;
  commands: number;
  respBytes: number;
  keys: number;
  usedMemoryHuman: string;
}

async function generate(path: string, targetBytes: number): Promise<CacheMeta> {
  const started = performance.now();
  const server = await startRedisServer({ config: [['rdbcompression', 'yes']] });
  try {
    const g = makeGen(0x5eed);
    const plan = planFor(targetBytes);
    console.error(`generating ~${(targetBytes / MIB).toFixed(0)} MiB with redis-server ${server.version}: ${JSON.stringify(plan)}`);
    let commands = 0;
    let respBytes = 0;
    const add = (r: { commands: number; bytes: number }): void => {
      commands += r.commands;
      respBytes += r.bytes;
    };
    add(await pipeInto(server, async (p) => {
      await writeBigKeys(p, g, plan);
      await writeSmallKeys(p, g, plan, 0, 0);
      await writeSmallKeys(p, g, { ...plan, strings: Math.round(plan.strings / 10), hashes: Math.round(plan.hashes / 10), lists: 0, sets: 0, zsets: 0 }, 2, 0);
    }));
    console.error(`  written: ${commands} commands, ${(respBytes / MIB).toFixed(0)} MiB of RESP in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    let saveSeconds = 0;
    let size = 0;
    for (let round = 1; ; round++) {
      const t = performance.now();
      await server.save();
      saveSeconds += (performance.now() - t) / 1000;
      size = (await stat(server.rdbPath)).size;
      console.error(`  SAVE: ${(size / MIB).toFixed(0)} MiB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      if (size >= targetBytes || round > 4) break;
      // Top up with more small keys, in proportion to what is missing.
      const f = Math.min(1, ((targetBytes - size) / targetBytes) * 1.3 + 0.01);
      const more = { ...plan, strings: Math.ceil(plan.strings * f), hashes: Math.ceil(plan.hashes * f), lists: Math.ceil(plan.lists * f), sets: Math.ceil(plan.sets * f), zsets: Math.ceil(plan.zsets * f) };
      console.error(`  below ${(targetBytes / MIB).toFixed(0)} MiB: topping up by ${(f * 100).toFixed(0)}%`);
      add(await pipeInto(server, (p) => writeSmallKeys(p, g, more, 1, round)));
    }
    const info = ((await server.call('INFO', 'memory')) as Buffer).toString();
    const keys = ((await server.call('INFO', 'keyspace')) as Buffer).toString().match(/keys=(\d+)/g)?.reduce((n, s) => n + Number(s.slice(5)), 0) ?? 0;
    await mkdir(dirname(path), { recursive: true });
    try {
      await rename(server.rdbPath, path);
    } catch {
      await copyFile(server.rdbPath, path);
    }
    return {
      generatorVersion: GENERATOR_VERSION,
      targetBytes,
      size,
      server: server.version,
      generatedAt: new Date().toISOString(),
      generateSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      saveSeconds: Number(saveSeconds.toFixed(1)),
      commands,
      respBytes,
      keys,
      usedMemoryHuman: /used_memory_human:(\S+)/.exec(info)?.[1] ?? '?',
    };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Timing.

// ---------------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<number> {
  const childAt = argv.indexOf('--check-with-library');
  if (childAt >= 0) return checkWithLibrary(argv[childAt + 1]!);

  const flag = (name: string): boolean => argv.includes(name);
  const value = (name: string, dflt: number): number => {
    const i = argv.indexOf(name);
    return i >= 0 ? Number(argv[i + 1]) : dflt;
  };
  const targetBytes = Math.round(value('--size-mib', 1024) * MIB);
  const runs = value('--runs', 3);
  const file = join(OUT, `bench-${Math.round(targetBytes / MIB)}MiB.rdb`);
  const metaFile = `${file}.json`;

  let meta: CacheMeta | undefined;
  if (!flag('--regen') && existsSync(file) && existsSync(metaFile)) {
    const m = JSON.parse(await readFile(metaFile, 'utf8')) as CacheMeta;
    if (m.generatorVersion === GENERATOR_VERSION && m.size === (await stat(file)).size) meta = m;
  }
  if (meta === undefined) {
    meta = await generate(file, targetBytes);
    await writeFile(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  } else {
    console.error(`using cached ${relative(ROOT, file)} (${(meta.size / MIB).toFixed(0)} MiB, generated ${meta.generatedAt}; --regen to remake)`);
  }

  const rfxArgsAt = argv.indexOf('--rfx-args');
  const rfxArgs = rfxArgsAt >= 0 ? argv[rfxArgsAt + 1]!.split(' ').filter((a) => a !== '') : [];
  const timeTool = ensureTimeTool();
  const haveRfx = existsSync(RFX);
  const rfxLabel = haveRfx ? ['rfx check', ...rfxArgs].join(' ') : 'openRdb loop (rfx not built)';
  const rfxCmd: [string, string[]] = haveRfx
    ? [process.execPath, [RFX, 'check', '--no-progress', ...rfxArgs, file]]
    : [process.execPath, ['--conditions=@redis-forensics/source', '--import', 'tsx', fileURLToPath(import.meta.url), '--check-with-library', file]];
  if (!haveRfx) console.error(`bench: ${relative(ROOT, RFX)} does not exist (npm run build); timing the library loop instead`);
  const checkCmd: [string, string[]] = [requireRedisTool('redis-check-rdb'), [file]];

  await warmPageCache(file);
  const results: Record<string, Measured[]> = { rfx: [], redis: [] };
  for (let i = 0; i < runs; i++) {
    // Alternate, so that neither side always runs on a warmer machine.
    for (const side of i % 2 === 0 ? (['redis', 'rfx'] as const) : (['rfx', 'redis'] as const)) {
      if (side === 'rfx' && flag('--skip-rfx')) continue;
      if (side === 'redis' && flag('--skip-redis-check')) continue;
      const [cmd, args] = side === 'rfx' ? rfxCmd : checkCmd;
      const m = await measureCommand(cmd, args, timeTool, 3);
      results[side]!.push(m);
      console.error(`  run ${i + 1} ${side === 'rfx' ? rfxLabel : 'redis-check-rdb'}: ${m.wallSeconds.toFixed(2)} s, ${m.peakRssMb.toFixed(0)} MB peak RSS, exit ${m.exitCode} (${m.outputTail})`);
      if (m.exitCode !== 0) console.error(`  !! ${side} exited ${m.exitCode}: ${m.outputTail}`);
    }
  }

  const r = results['rfx']!.length > 0 ? summarizeRuns(results['rfx']!) : undefined;
  const c = results['redis']!.length > 0 ? summarizeRuns(results['redis']!) : undefined;
  const ratio = r !== undefined && c !== undefined ? r.wall / c.wall : NaN;
  const sizeMib = meta.size / MIB;

  const lines = [
    '',
    `## rfx check vs redis-check-rdb (${new Date().toISOString().slice(0, 10)})`,
    '',
    `File: \`${relative(ROOT, file)}\`, ${sizeMib.toFixed(0)} MiB (${meta.size} bytes), ${meta.keys.toLocaleString('en-US')} keys, written by redis-server ${meta.server} ` +
      `(generated in ${meta.generateSeconds} s incl. ${meta.saveSeconds} s SAVE; ${meta.commands.toLocaleString('en-US')} commands via redis-cli --pipe; server used_memory ${meta.usedMemoryHuman}).`,
    `Machine: ${(await import('node:os')).cpus().length} CPU(s), Node ${process.version}; ${runs} runs each on a page-cached file, median wall time, max peak RSS (${timeTool === undefined ? '/proc VmHWM polling' : '/usr/bin/time %e %M'}).`,
    '',
    '| checker | runs (wall s) | median wall s | CPU s (user+sys) | MiB/s | peak RSS MB | exit | target |',
    '|---|---|---|---|---|---|---|---|',
  ];
  if (c !== undefined) lines.push(`| redis-check-rdb ${meta.server} | ${c.runs} | ${c.wall.toFixed(2)} | ${c.cpu.toFixed(2)} | ${(sizeMib / c.wall).toFixed(0)} | ${c.rss.toFixed(0)} | ${c.ok ? 0 : 'FAIL'} | baseline |`);
  if (r !== undefined) {
    const wallOk = ratio <= TARGET_RATIO;
    const rssOk = r.rss < TARGET_RSS_MB;
    lines.push(`| ${rfxLabel} | ${r.runs} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(sizeMib / r.wall).toFixed(0)} | ${r.rss.toFixed(0)} | ${r.ok ? 0 : 'FAIL'} | wall <= ${TARGET_RATIO}x: ${Number.isNaN(ratio) ? 'n/a' : wallOk ? 'MET' : 'MISSED'}; RSS < ${TARGET_RSS_MB} MB: ${rssOk ? 'MET' : 'MISSED'} |`);
  }
  const cpuRatio = r !== undefined && c !== undefined ? r.cpu / c.cpu : NaN;
  lines.push(
    '',
    `Ratio rfx / redis-check-rdb wall time: ${Number.isNaN(ratio) ? 'n/a' : `${ratio.toFixed(2)}x`} (target <= ${TARGET_RATIO}x); ` +
      `CPU time: ${Number.isNaN(cpuRatio) ? 'n/a' : `${cpuRatio.toFixed(2)}x`} (steadier when other work shares the machine); ` +
      `rfx peak RSS ${r === undefined ? 'n/a' : `${r.rss.toFixed(0)} MB`} (target < ${TARGET_RSS_MB} MB).`,
    '',
  );
  process.stdout.write(lines.join('\n'));
  await writeFile(join(OUT, `results-${Date.now()}.json`), `${JSON.stringify({ meta, runs: results, ratio, cpuRatio }, null, 2)}\n`);
  return (r?.ok ?? true) && (c?.ok ?? true) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
