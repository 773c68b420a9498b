// `npm run fixtures`: regenerate fixtures/generated/<major.minor>/ with the local redis-server.
// Each case: start a private server with the case's config, write the dataset with real commands,
// SAVE, copy the dump, read the server's own view of every key (the oracle), have redis-check-rdb
// referee the file, and write <case>.rdb, <case>.expected.jsonl and <case>.meta.json (and, for
// cases that ask for them, every key's DUMP payload in <case>.dump.jsonl).

import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  formatExpectedJsonl,
  readServerView,
  redisServerVersion,
  requireRedisTool,
  runCommands,
  runRedisCheckRdb,
  smallDatasetCommands,
  startRedisServer,
  writeFullDataset,
} from '@redis-forensics/testkit';

import type { RedisCommand, RedisServerHandle, ServerKey } from '@redis-forensics/testkit';

interface FixtureCase {
  name: string;
  /** Extra server config besides the harness defaults (`--save ''`, unix socket only, private dir). */
  config: [string, string | number][];
  /** Write the dataset; returns the command summary for meta.json. */
  write(server: RedisServerHandle): Promise<string[]>;
  /** Read OBJECT FREQ / IDLETIME into the oracle. */
  evictionInfo: boolean;
  /** Also write `<case>.dump.jsonl`: the DUMP payload of every key, taken after SAVE. */
  dumps?: boolean;
}

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FULL_BULK_KEYS = 500;
const SEED = 1;

/** The small dataset's 19 keys in the order the LFU case reads them. */
function smallDatasetKeys(): { db: number; key: string }[] {
  const keys: { db: number; key: string }[] = [];
  let db = 0;
  for (const [name, ...args] of smallDatasetCommands()) {
    if (name === 'SELECT') db = Number(args[0]);
    else if (name !== 'PEXPIREAT' && !keys.some((k) => k.db === db && k.key === String(args[0]))) keys.push({ db, key: String(args[0]) });
  }
  return keys;
}

const CASES: FixtureCase[] = [
  {
    name: 'rdb-full',
    config: [],
    evictionInfo: false,
    write: (server) => writeFullDataset(server.client, { bulkKeys: FULL_BULK_KEYS, seed: SEED }),
  },
  {
    name: 'rdb-lfu',
    config: [['maxmemory-policy', 'allkeys-lfu'], ['lfu-log-factor', 0], ['lfu-decay-time', 0]],
    evictionInfo: true,
    async write(server) {
      await runCommands(server.client, smallDatasetCommands());
      // Key i is read (DUMP) 7*i times, every 3rd key not at all: with lfu-log-factor 0 every
      // access adds one to the counter (LFU_INIT_VAL 5), and lfu-decay-time 0 keeps it there.
      const reads: RedisCommand[] = [];
      smallDatasetKeys().forEach(({ db, key }, i) => {
        if (i % 3 === 0) return;
        reads.push(['SELECT', db]);
        for (let j = 0; j < 7 * i; j++) reads.push(['DUMP', key]);
      });
      reads.push(['SELECT', 0]);
      await runCommands(server.client, reads);
      return [
        'small dataset: 18 keys of all basic types in db 0 + 1 key in db 3',
        'allkeys-lfu with lfu-log-factor 0 and lfu-decay-time 0: key i read (DUMP) 7*i times (every 3rd key untouched) -> FREQ opcodes',
      ];
    },
  },
  {
    name: 'dump-small',
    config: [],
    evictionInfo: false,
    dumps: true,
    async write(server) {
      await runCommands(server.client, smallDatasetCommands());
      return ['small dataset: 18 keys of all basic types in db 0 + 1 key in db 3', 'DUMP of every key after SAVE -> dump-small.dump.jsonl'];
    },
  },
  {
    name: 'rdb-lru',
    config: [['maxmemory-policy', 'allkeys-lru']],
    evictionInfo: true,
    async write(server) {
      await runCommands(server.client, smallDatasetCommands());
      await new Promise((r) => setTimeout(r, 3_000));
      const reads: RedisCommand[] = [];
      smallDatasetKeys().forEach(({ db, key }, i) => {
        if (i % 2 === 0) reads.push(['SELECT', db], ['DUMP', key]);
      });
      reads.push(['SELECT', 0]);
      await runCommands(server.client, reads);
      return [
        'small dataset: 18 keys of all basic types in db 0 + 1 key in db 3',
        'allkeys-lru: every 2nd key read (DUMP) after a 3 s pause -> IDLE opcodes of 0 and 3 s',
      ];
    },
  },
];

/**
 * One line per key, in the view's order (db, then key bytes): `{"db", "dump_b64", "key"}` with the
 * key and the payload DUMP replied in base64.
 */
async function dumpJsonl(server: RedisServerHandle, keys: readonly ServerKey[]): Promise<string> {
  const lines: string[] = [];
  for (const k of keys) {
    await server.call('SELECT', k.db);
    const payload = (await server.call('DUMP', k.key)) as Buffer;
    lines.push(JSON.stringify({ db: k.db, dump_b64: payload.toString('base64'), key: k.key.toString('base64') }));
  }
  await server.call('SELECT', 0);
  return lines.map((l) => `${l}\n`).join('');
}

async function makeCase(c: FixtureCase, outDir: string): Promise<{ name: string; bytes: number; keys: number; check: number }> {
  const server = await startRedisServer({ config: c.config });
  try {
    const commands = await c.write(server);
    const digestBeforeSave = ((await server.call('DEBUG', 'DIGEST')) as Buffer).toString();
    const saved = await server.save();
    // The view is read after SAVE, FREQ/IDLETIME first: reading values touches keys.
    const view = await readServerView(server.client, { digest: true, evictionInfo: c.evictionInfo });
    const rdbFile = join(outDir, `${c.name}.rdb`);
    await copyFile(saved, rdbFile);
    await writeFile(join(outDir, `${c.name}.expected.jsonl`), formatExpectedJsonl(view));
    if (c.dumps === true) await writeFile(join(outDir, `${c.name}.dump.jsonl`), await dumpJsonl(server, view.keys));
    const check = await runRedisCheckRdb(rdbFile);
    if (!check.ok) throw new Error(`redis-check-rdb rejects ${rdbFile}:\n${check.output}`);
    const bytes = await readFile(rdbFile);
    const keysPerDb: Record<string, number> = {};
    for (const k of view.keys) keysPerDb[String(k.db)] = (keysPerDb[String(k.db)] ?? 0) + 1;
    const meta = {
      case: c.name,
      generator: 'scripts/make-fixtures.ts (npm run fixtures)',
      date: new Date().toISOString(),
      server: execFileSync(requireRedisTool('redis-server'), ['--version'], { encoding: 'utf8' }).trim(),
      version: server.version,
      argv: server.argv.map((a) => (a === '' ? "''" : a.replace(server.dir, '<tmp>'))).join(' '),
      config: Object.fromEntries(c.config),
      seed: SEED,
      commands,
      files: [`${c.name}.rdb`, `${c.name}.expected.jsonl`, ...(c.dumps === true ? [`${c.name}.dump.jsonl`] : [])],
      rdb_header: bytes.subarray(0, 9).toString('latin1'),
      size: bytes.length,
      keys_per_db: keysPerDb,
      digest: digestBeforeSave,
      functions: view.functions.map((f) => f.libraryName),
      check: { tool: 'redis-check-rdb', rc: check.exitCode, secs: Number((check.ms / 1000).toFixed(3)), tail: check.output.trim().split('\n').slice(-4) },
    };
    await writeFile(join(outDir, `${c.name}.meta.json`), `${JSON.stringify(meta, null, 2)}\n`);
    return { name: c.name, bytes: bytes.length, keys: view.keys.length, check: check.exitCode };
  } finally {
    await server.stop();
  }
}

const version = redisServerVersion();
const outDir = join(ROOT, 'fixtures', 'generated', version.split('.').slice(0, 2).join('.'));
await mkdir(outDir, { recursive: true });
const only = process.argv.slice(2);
for (const c of CASES) {
  if (only.length > 0 && !only.includes(c.name)) continue;
  const r = await makeCase(c, outDir);
  console.log(`${relative(ROOT, join(outDir, `${r.name}.rdb`))}: ${r.bytes} bytes, ${r.keys} keys, redis-check-rdb rc ${r.check}`);
}
