import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCheck } from '../../../src/commands/check/run-check.js';
import { corpusFile, corpusRdbCases, expectedKeys } from '../../corpus.js';
import { runCli, TEST_NOW } from '../../run-cli.js';

let dir: string;
let full: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rfx-check-'));
  full = await readFile(corpusFile('7.4.1', 'rdb-full.rdb'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function corrupt(name: string, bytes: Uint8Array): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, bytes);
  return file;
}

describe('rfx check', () => {
  it.each(corpusRdbCases())('Corpus %s/%s: OK, exit 0, as many keys as the server loaded', async (version, name) => {
    const report = await runCheck({ file: corpusFile(version, `${name}.rdb`), now: TEST_NOW });
    expect(report.error).toBeNull();
    expect(report.ok).toBe(true);
    const expected = [...expectedKeys(version, name).values()];
    expect(report.keys).toBe(expected.length);
    expect(report.expires).toBe(expected.filter((k) => k.expireAt !== null).length);
    const types: Record<string, number> = {};
    for (const k of expected) types[k.type] = (types[k.type] ?? 0) + 1;
    expect(report.types).toEqual(types);
  });

  it('Valid file: prints OK with the counts', async () => {
    const run = await runCli(['check', corpusFile('7.4.1', 'rdb-full.rdb')]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.replace(corpusFile('7.4.1', 'rdb-full.rdb'), '<file>')).toMatchInlineSnapshot(`
      "OK <file>: RDB version 12, 115,829 bytes (113.1 KiB), checksum match
      keys 1,111, expires 71, already expired 0 (string 669, hash 160, list 112, set 90, zset 76, stream 4)
      "
    `);
  });

  it('Already expired: keys whose expire time is at or before now are counted', async () => {
    const now = 4102444800500; // 2100-01-01T00:00:00.500Z
    const expected = [...expectedKeys('7.4.1', 'rdb-full').values()].filter((k) => k.expireAt !== null && k.expireAt <= now);
    const report = await runCheck({ file: corpusFile('7.4.1', 'rdb-full.rdb'), now });
    expect(expected.length).toBeGreaterThan(0);
    expect(report.alreadyExpired).toBe(expected.length);
  });

  it('Flipped byte in the checksum: RDB_CHECKSUM_MISMATCH, exit 65, hexdump with the byte marked', async () => {
    const bytes = Buffer.from(full);
    bytes[bytes.length - 3]! ^= 0xff;
    const file = await corrupt('crc.rdb', bytes);
    const run = await runCli(['check', file]);
    expect(run.exitCode).toBe(65);
    expect(run.stdout.replace(file, '<file>')).toMatchInlineSnapshot(`
      "CORRUPT <file>: RDB version 12, 115,829 bytes (113.1 KiB)
      RDB_CHECKSUM_MISMATCH at offset 115821 (0x1c46d) while check-sum: stored CRC64 0xad56de1b29336201, computed 0xad56211b29336201
      RDB_CHECKSUM_MISMATCH: the CRC64 stored after the EOF opcode differs from the CRC64 of the file (rfx explain RDB_CHECKSUM_MISMATCH)
      read before the error: keys 1,111, expires 71, already expired 0 (string 669, hash 160, list 112, set 90, zset 76, stream 4)

      0001c440:                                        62 31 35               b15
      0001c450: 01 78 00 00 17 65 6d 70 74 79 20 6b 65 79 20 6e  .x...empty key n
      0001c460: 61 6d 65 20 69 6e 20 64 62 20 31 35 ff 01 62 33  ame in db 15..b3
                                                       ^^
      0001c470: 29 1b de 56 ad                                   )..V.
      "
    `);
  });

  it('Truncated file: RDB_UNEXPECTED_EOF at the end of the file, with phase and key', async () => {
    const file = await corrupt('truncated.rdb', full.subarray(0, 50_000));
    const report = await runCheck({ file, now: TEST_NOW });
    expect(report.ok).toBe(false);
    expect(report.error).toMatchObject({ code: 'RDB_UNEXPECTED_EOF', offset: 50_000, phase: 'read-object-value' });
    expect(Buffer.from(report.error!.key!).toString()).toBe('hash:large');
    expect(report.around).toEqual({ offset: 50_000 - 32, bytes: new Uint8Array(full.subarray(50_000 - 32, 50_000)) });
    const run = await runCli(['check', file]);
    expect(run.exitCode).toBe(65);
    expect(run.stdout).toContain('RDB_UNEXPECTED_EOF at offset 50000 (0xc350) while read-object-value, key "hash:large": ');
    expect(run.stdout).toMatch(/\n0000c350:\n {10}\^ end of file\n$/);
  });

  it('Bad magic: RDB_BAD_MAGIC at offset 0', async () => {
    const file = await corrupt('magic.rdb', Buffer.concat([Buffer.from('RIDES'), full.subarray(5)]));
    const run = await runCli(['check', file, '--json']);
    expect(run.exitCode).toBe(65);
    const report = JSON.parse(run.stdout) as { ok: boolean; error: { code: string; offset: number }; version: null };
    expect(report).toMatchObject({ ok: false, version: null, error: { code: 'RDB_BAD_MAGIC', offset: 0 } });
  });

  it('--json: one object with ok, file, size, version, counts and error', async () => {
    const bytes = Buffer.from(full);
    bytes[bytes.length - 1]! ^= 0x01;
    const file = await corrupt('crc-json.rdb', bytes);
    const run = await runCli(['check', file, '--json']);
    expect(run.exitCode).toBe(65);
    expect(run.stdout.endsWith('}\n')).toBe(true);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      file,
      size: 115829,
      magic: 'REDIS',
      version: 12,
      keys: 1111,
      expires: 71,
      alreadyExpired: 0,
      types: expect.objectContaining({ string: 669, stream: 4 }) as unknown,
      databases: { '0': 105, '1': 1002, '15': 4 },
      checksum: null,
      trailingBytes: 0,
      warnings: [],
      error: {
        code: 'RDB_CHECKSUM_MISMATCH',
        offset: 115821,
        phase: 'check-sum',
        key: null,
        detail: expect.stringMatching(/^stored CRC64 0x[0-9a-f]{16}, computed 0x[0-9a-f]{16}$/) as unknown,
        message: expect.stringMatching(/^RDB_CHECKSUM_MISMATCH at offset 115821 \(0x1c46d\) while check-sum: /) as unknown,
        explanation: 'the CRC64 stored after the EOF opcode differs from the CRC64 of the file',
      },
      around: { offset: 115789, hex: expect.stringMatching(/^[0-9a-f]{80}$/) as unknown },
      duplicateKeysChecked: false,
    });
  });

  it('Trailing bytes after the checksum: OK with a warning', async () => {
    const file = await corrupt('trailing.rdb', Buffer.concat([full, Buffer.from('junk')]));
    const run = await runCli(['check', file]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('warning: RDB_TRAILING_BYTES: 4 bytes after the end of the RDB (offset 115829); Redis ignores them');
    const json = JSON.parse((await runCli(['check', file, '--json'])).stdout) as { ok: boolean; trailingBytes: number; warnings: string[] };
    expect(json).toMatchObject({ ok: true, trailingBytes: 4 });
    expect(json.warnings).toHaveLength(1);
  });

  it('Missing file: exit 66 and one line on stderr', async () => {
    const run = await runCli(['check', join(dir, 'nope.rdb')]);
    expect(run.exitCode).toBe(66);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`rfx: cannot open ${join(dir, 'nope.rdb')}: no such file or directory (ENOENT)\n`);
  });

  it('Directory without an AOF manifest: MANIFEST_NOT_FOUND, exit 65 (a directory is read as an appendonlydir)', async () => {
    const run = await runCli(['check', dir]);
    expect(run.exitCode).toBe(65);
    expect(run.stderr).toContain(`MANIFEST_NOT_FOUND at offset 0 (0x0): no *.manifest file in ${dir}`);
  });

  it('Keys in parts: same counts as whole keys', async () => {
    const whole = await runCheck({ file: corpusFile('7.4.1', 'rdb-full.rdb'), now: TEST_NOW });
    const parts = await runCheck({ file: corpusFile('7.4.1', 'rdb-full.rdb'), now: TEST_NOW, partBytes: 200 });
    expect(parts).toEqual(whole);
  });
});
