// rfx check --duplicate-keys: a key stored twice in one db makes redis-server refuse the file
// ("Duplicate key found in RDB file"), so check must say so; the same key in two dbs is fine.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { rdbBytes } from '@redis-forensics/testkit';

import { runCheck } from '../../../src/commands/check/run-check.js';
import { FingerprintSet, keyFingerprint } from '../../../src/duplicate-keys.js';
import { runCli, TEST_NOW } from '../../run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rfx-dupkeys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

describe('check --duplicate-keys', () => {
  it('Key stored twice in db 0: RDB_DUPLICATE_KEY at the second record, exit 65', async () => {
    const b = rdbBytes(10).selectDb(0).stringKey('a', '1').stringKey('k', 'first').stringKey('b', '2').mark('second').stringKey('k', 'again');
    const path = await file('dup.rdb', b.eof());
    const report = await runCheck({ file: path, now: TEST_NOW, duplicateKeys: true });
    expect(report.ok).toBe(false);
    expect(report.error).toMatchObject({ code: 'RDB_DUPLICATE_KEY', offset: b.at('second'), phase: 'read-key' });
    expect(Buffer.from(report.error!.key!).toString()).toBe('k');
    const cli = await runCli(['check', '--duplicate-keys', path]);
    expect(cli.exitCode).toBe(65);
    expect(cli.stdout).toContain('RDB_DUPLICATE_KEY');
  });

  it('Same file without the option: OK, as the check is opt-in', async () => {
    const path = await file('dup2.rdb', rdbBytes(10).selectDb(0).stringKey('k', '1').stringKey('k', '2').eof());
    expect((await runCheck({ file: path, now: TEST_NOW })).ok).toBe(true);
  });

  it('Same key in two databases: not a duplicate', async () => {
    const path = await file('twodbs.rdb', rdbBytes(10).selectDb(0).stringKey('k', '1').selectDb(1).stringKey('k', '2').eof());
    const report = await runCheck({ file: path, now: TEST_NOW, duplicateKeys: true });
    expect(report.ok).toBe(true);
    const cli = await runCli(['check', '--duplicate-keys', path]);
    expect(cli.exitCode).toBe(0);
    expect(cli.stdout).toContain('no key is stored twice in a database');
  });

  it('Real corpus file with 10,106 keys: no duplicates reported', async () => {
    const report = await runCheck({ file: new URL('../../../../../fixtures/corpus/7.0.15/rdb-full.rdb', import.meta.url).pathname, now: TEST_NOW, duplicateKeys: true });
    expect(report.ok).toBe(true);
    expect(report.keys).toBe(10106);
  });

  it('FingerprintSet: 300,000 distinct keys grow the table and are all new; each repeat is found', () => {
    const set = new FingerprintSet();
    for (let i = 0; i < 300_000; i++) {
      const [h, l] = keyFingerprint(i % 3, Buffer.from(`key:${i}`));
      expect(set.add(h, l)).toBe(true);
    }
    expect(set.size).toBe(300_000);
    for (const i of [0, 1, 150_000, 299_999]) {
      const [h, l] = keyFingerprint(i % 3, Buffer.from(`key:${i}`));
      expect(set.add(h, l)).toBe(false);
    }
  });
});
