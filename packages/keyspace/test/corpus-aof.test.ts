// Golden test (STYLE.md 9.3): every corpus AOF (plain, RDB preamble, timestamped, with FLUSHALL,
// truncated, truncated inside MULTI) replayed with replayAof over openAof must give what the
// server of that version held after loading it: `<case>.expected.jsonl` key by key and
// `<case>.digest`. The aof-flushall case is also replayed with its FLUSHALL cut out
// (meta.json flushall_at) against `aof-flushall.noflush.*`.

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { openAof } from '@redis-forensics/aof';
import { digestKeyspace, replayAof } from '@redis-forensics/keyspace';

import { corpusServerVersion, diffOracle, readOracle } from './corpus-oracle.js';
import { keyspaceView } from './keyspace-view.js';

const CORPUS = join(import.meta.dirname, '../../../fixtures/corpus');
const CASES = ['aof-plain', 'aof-preamble', 'aof-timestamp', 'aof-flushall', 'aof-truncated', 'aof-truncated-multi'];

/** 5.0.14's own rewrite drops an empty stream, so the XADD 0-0 / XSETID / XGROUP that rebuild it fail there too. */
const EXPECTED_ERRORS: Record<string, number> = { '5.0.14/aof-plain': 3 };

function aofPath(version: string, name: string): string | null {
  for (const p of [join(CORPUS, version, `${name}.aofdir`), join(CORPUS, version, `${name}.aof`)]) if (existsSync(p)) return p;
  return null;
}

const cases: [string, string][] = [];
for (const version of readdirSync(CORPUS).sort()) {
  if (!existsSync(join(CORPUS, version, 'summary.json'))) continue;
  for (const name of CASES) if (aofPath(version, name) !== null) cases.push([version, name]);
}

const temp = mkdtempSync(join(tmpdir(), 'rfx-keyspace-aof-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

async function replayAndCompare(version: string, path: string, oracleBase: string): Promise<void> {
  const serverVersion = corpusServerVersion(version);
  const report = await replayAof(openAof(path), { serverVersion });
  expect(report.skipped).toEqual([]);
  const oracle = readOracle(join(CORPUS, version, `${oracleBase}.expected.jsonl`));
  expect(diffOracle(keyspaceView(report.keyspace), oracle.keys)).toEqual([]);
  expect(digestKeyspace(report.keyspace, { serverVersion }).digest).toBe(readFileSync(join(CORPUS, version, `${oracleBase}.digest`), 'utf8').trim());
  if (oracle.functions !== null) expect([...report.keyspace.functions.keys()].sort()).toEqual(oracle.functions);
  expect(report.errors.length).toBe(EXPECTED_ERRORS[`${version}/${oracleBase}`] ?? 0);
}

describe('Corpus AOFs: replayAof', () => {
  it.each(cases)('%s %s: same keys and DEBUG DIGEST as the server after loading it', async (version, name) => {
    await replayAndCompare(version, aofPath(version, name)!, name);
  });

  const flushCases = cases.filter(([, name]) => name === 'aof-flushall');
  it.each(flushCases)('%s aof-flushall without its FLUSHALL: the noflush oracle', async (version) => {
    const meta = JSON.parse(readFileSync(join(CORPUS, version, 'aof-flushall.meta.json'), 'utf8')) as {
      flushall_at: { file: string; offset: number; length: number }[];
    };
    const src = aofPath(version, 'aof-flushall')!;
    const dst = join(temp, version, src.endsWith('.aofdir') ? 'aof-flushall.aofdir' : 'aof-flushall.aof');
    cpSync(src, dst, { recursive: true });
    for (const cut of meta.flushall_at) {
      const file = join(temp, version, cut.file);
      const bytes = readFileSync(file);
      expect(bytes.subarray(cut.offset, cut.offset + cut.length).toString('latin1')).toBe('*1\r\n$8\r\nFLUSHALL\r\n');
      writeFileSync(file, Buffer.concat([bytes.subarray(0, cut.offset), bytes.subarray(cut.offset + cut.length)]));
    }
    await replayAndCompare(version, dst, 'aof-flushall.noflush');
  });
});
