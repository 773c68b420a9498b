// decodeDumpPayload against real DUMP payloads: every key of fixtures/generated/7.0/dump-small
// (DUMP replies of redis-server 7.0.15, taken right after the SAVE that wrote dump-small.rdb, so
// each payload must decode to the value readRdb reads for the same key), and the module values
// whose DUMP the 5.0 .. 8.0 corpus servers recorded. Then the footer checks of verifyDumpPayload
// (length, RDB version, CRC64) and damaged payloads: every cut, trailing bytes, random mutations.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';

import { crc64, FormatError } from '@redis-forensics/core';
import { decodeDumpPayload, mergeKeyParts, RDB_VERSION, readRdb } from '@redis-forensics/rdb';
import { catchFormatError, collect, feed } from '@redis-forensics/testkit';

import type { RdbKeyEvent } from '@redis-forensics/rdb';

const FIXTURES = join(import.meta.dirname, '../../../fixtures');
const GENERATED = join(FIXTURES, 'generated/7.0');

interface DumpLine {
  db: number;
  key: string;
  payload: Uint8Array;
}

function dumpLines(): DumpLine[] {
  return readFileSync(join(GENERATED, 'dump-small.dump.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const o = JSON.parse(l) as { db: number; dump_b64: string; key: string };
      return { db: o.db, key: o.key, payload: new Uint8Array(Buffer.from(o.dump_b64, 'base64')) };
    });
}

/** Values in a comparable form (bytes as hex, bigints as text). */
function normalise(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x instanceof Uint8Array) return Buffer.from(x).toString('hex');
    if (typeof x === 'bigint') return x.toString();
    return x;
  });
}

/** `body` with a DUMP footer: RDB version (u16le) and the CRC64 of everything before it (u64le). */
function withFooter(body: Uint8Array, rdbVersion = 10): Uint8Array {
  const out = new Uint8Array(body.length + 10);
  out.set(body);
  const view = new DataView(out.buffer);
  view.setUint16(body.length, rdbVersion, true);
  view.setBigUint64(body.length + 2, crc64(out.subarray(0, body.length + 2)), true);
  return out;
}

const LINES = dumpLines();
const byKey = (key: string): Uint8Array => {
  const line = LINES.find((l) => Buffer.from(l.key, 'base64').toString('latin1') === key);
  if (line === undefined) throw new Error(`no DUMP of ${key} in the fixture`);
  return line.payload;
};

describe('decodeDumpPayload: real payloads', () => {
  const rdb = new Uint8Array(readFileSync(join(GENERATED, 'dump-small.rdb')));

  it('Fixture: a payload for every key of dump-small.rdb', async () => {
    const keys = mergeKeyParts(await collect(readRdb(feed(rdb, 'whole', 1))));
    expect(LINES.map((l) => `${l.db}:${l.key}`).sort()).toEqual(keys.map((k) => `${k.db}:${Buffer.from(k.key).toString('base64')}`).sort());
    expect(new Set(keys.map((k) => k.encoding)).size).toBeGreaterThanOrEqual(6);
  });

  it.each(LINES.map((l) => [`db ${l.db} ${Buffer.from(l.key, 'base64').toString('latin1')}`, l] as const))(
    'Redis 7.0.15 DUMP of %s: the value, type and encoding readRdb reads from the SAVE',
    async (_label, line) => {
      const keys = mergeKeyParts(await collect(readRdb(feed(rdb, 'whole', 1))));
      const saved = keys.find((k) => k.db === line.db && Buffer.from(k.key).toString('base64') === line.key) as RdbKeyEvent;
      const dump = decodeDumpPayload(line.payload);
      expect(dump.rdbVersion).toBe(10);
      expect(dump.rdbType).toBe(saved.rdbType);
      expect(dump.encoding).toBe(saved.encoding);
      expect(dump.redisType).toBe(saved.redisType);
      expect(normalise(dump.value)).toBe(normalise(saved.value));
      expect(dump.checksum).toBe(new DataView(line.payload.buffer).getBigUint64(line.payload.length - 8, true));
    },
  );

  const modules = ['5.0.14', '6.2.16', '7.2.6', '7.4.1', '8.0-m01'].flatMap((version) => {
    const dir = join(FIXTURES, 'corpus', version);
    const rdbVersion = Number(readFileSync(join(dir, 'rdb-module.rdb')).subarray(5, 9).toString('latin1'));
    return readFileSync(join(dir, 'rdb-module.expected.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"dump_b64"'))
      .map((l) => {
        const o = JSON.parse(l) as { key: string; value: { dump_b64: string; module_type: string } };
        return [`${version} ${Buffer.from(o.key, 'base64').toString('latin1')}`, rdbVersion, o.value.module_type, new Uint8Array(Buffer.from(o.value.dump_b64, 'base64'))] as const;
      });
  });

  it.each(modules)('Corpus %s: the module value whose DUMP the server recorded', (_label, rdbVersion, moduleType, payload) => {
    const dump = decodeDumpPayload(payload);
    expect(dump.rdbVersion).toBe(rdbVersion);
    expect(dump.redisType).toBe('module');
    expect(dump.value.kind).toBe('module');
    if (dump.value.kind === 'module') expect(dump.value.module.moduleName).toBe(moduleType);
  });
});

describe('decodeDumpPayload: the footer (verifyDumpPayload)', () => {
  const payload = byKey('s:list');
  const footerAt = payload.length - 10;

  it('CRC mismatch in the object: RDB_CHECKSUM_MISMATCH at the stored CRC', () => {
    const bad = payload.slice();
    bad[3]! ^= 0x20;
    const e = catchFormatError(() => decodeDumpPayload(bad));
    expect([e.code, e.offset, e.phase]).toEqual(['RDB_CHECKSUM_MISMATCH', payload.length - 8, 'check-sum']);
  });

  it('CRC mismatch in the stored CRC: RDB_CHECKSUM_MISMATCH; verifyChecksum: false reads the value', () => {
    const bad = payload.slice();
    bad[payload.length - 1]! ^= 1;
    const e = catchFormatError(() => decodeDumpPayload(bad));
    expect([e.code, e.offset]).toEqual(['RDB_CHECKSUM_MISMATCH', payload.length - 8]);
    expect(normalise(decodeDumpPayload(bad, { verifyChecksum: false }).value)).toBe(normalise(decodeDumpPayload(payload).value));
  });

  it(`RDB version above RDB_VERSION (${RDB_VERSION}): RDB_UNSUPPORTED_VERSION at the footer; maxVersion raises the limit`, () => {
    const newer = withFooter(payload.subarray(0, footerAt), RDB_VERSION + 1);
    const e = catchFormatError(() => decodeDumpPayload(newer));
    expect([e.code, e.offset, e.phase]).toEqual(['RDB_UNSUPPORTED_VERSION', footerAt, 'check-sum']);
    expect(decodeDumpPayload(newer, { maxVersion: RDB_VERSION + 1 }).rdbVersion).toBe(RDB_VERSION + 1);
    // Older versions are accepted, as `rdbver > RDB_VERSION` is the only version test.
    expect(decodeDumpPayload(withFooter(payload.subarray(0, footerAt), 6)).rdbVersion).toBe(6);
  });

  it('RDB version checked before the CRC, as in verifyDumpPayload', () => {
    const bad = payload.slice();
    bad[footerAt] = 99;
    expect(catchFormatError(() => decodeDumpPayload(bad)).code).toBe('RDB_UNSUPPORTED_VERSION');
  });

  it.each([0, 1, 9])('%i bytes: shorter than the footer, RDB_UNEXPECTED_EOF at the end', (length) => {
    const e = catchFormatError(() => decodeDumpPayload(payload.subarray(0, length)));
    expect([e.code, e.offset, e.phase]).toEqual(['RDB_UNEXPECTED_EOF', length, 'check-sum']);
  });
});

describe('decodeDumpPayload: damaged objects', () => {
  it.each(LINES.map((l) => [Buffer.from(l.key, 'base64').toString('latin1'), l.payload] as const))(
    'Every cut of %s: a FormatError at an offset inside the payload, never another error',
    (_label, payload) => {
      for (let cut = 0; cut < payload.length; cut++) {
        const e = catchFormatError(() => decodeDumpPayload(payload.subarray(0, cut)));
        if (cut < 10) expect([e.code, e.offset]).toEqual(['RDB_UNEXPECTED_EOF', cut]);
        else if (e.code === 'RDB_UNSUPPORTED_VERSION') expect(e.offset).toBe(cut - 10);
        else expect([e.code, e.offset]).toEqual(['RDB_CHECKSUM_MISMATCH', cut - 8]);
      }
    },
  );

  it.each(LINES.map((l) => [Buffer.from(l.key, 'base64').toString('latin1'), l.payload] as const))(
    'Every cut of the object of %s under a valid footer: RDB_UNEXPECTED_EOF where the footer starts',
    (_label, payload) => {
      const body = payload.subarray(0, payload.length - 10);
      for (let cut = 0; cut < body.length; cut++) {
        const e = catchFormatError(() => decodeDumpPayload(withFooter(body.subarray(0, cut))));
        expect([e.code, e.offset], `cut at ${cut}: ${e.message}`).toEqual(['RDB_UNEXPECTED_EOF', cut]);
      }
    },
  );

  it('A byte between the object and the footer: RDB_TRAILING_BYTES where the object ends', () => {
    const payload = byKey('s:str0');
    const body = payload.subarray(0, payload.length - 10);
    const e = catchFormatError(() => decodeDumpPayload(withFooter(Buffer.concat([body, Buffer.from([0])]))));
    expect([e.code, e.offset]).toEqual(['RDB_TRAILING_BYTES', body.length]);
  });

  it.each([8, 0xff, 0xf5])('Type byte 0x%s: RDB_UNKNOWN_TYPE at offset 0', (t) => {
    const payload = byKey('s:str0');
    const body = Buffer.from(payload.subarray(0, payload.length - 10));
    body[0] = t;
    const e = catchFormatError(() => decodeDumpPayload(withFooter(body)));
    expect([e.code, e.offset]).toEqual(['RDB_UNKNOWN_TYPE', 0]);
  });

  it('Deep validation: a duplicate set member is refused; deep: false reads it', () => {
    const payload = byKey('s:sset');
    const dump = decodeDumpPayload(payload);
    expect(dump.value.kind).toBe('set');
    // SET (type 2) of the one-byte strings "a" "b" "c" (in hash table order): make the last one
    // equal to the one before it.
    const body = Buffer.from(payload.subarray(0, payload.length - 10));
    expect(dump.rdbType).toBe(2);
    expect([body[body.length - 4], body[body.length - 2]]).toEqual([1, 1]);
    body[body.length - 1] = body[body.length - 3]!;
    const e = catchFormatError(() => decodeDumpPayload(withFooter(body)));
    expect(e.code).toBe('RDB_DUPLICATE_ELEMENT');
    expect(decodeDumpPayload(withFooter(body), { deep: false }).value).toMatchObject({ kind: 'set' });
  });

  it('Limits before allocation: a string above maxStringBytes is RDB_LIMIT_EXCEEDED', () => {
    const e = catchFormatError(() => decodeDumpPayload(byKey('s:long'), { maxStringBytes: 1000 }));
    expect(e.code).toBe('RDB_LIMIT_EXCEEDED');
    expect(e.offset).toBeGreaterThan(0);
  });

  test.prop([fc.constantFrom(...LINES.map((l) => l.payload)), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 })], { numRuns: 500 })(
    'Random byte mutations of a real payload (footer recomputed): a value or a FormatError, nothing else',
    (payload, flips) => {
      const body = Buffer.from(payload.subarray(0, payload.length - 10));
      for (const [at, x] of flips) body[at % body.length]! ^= x;
      try {
        decodeDumpPayload(withFooter(body));
      } catch (e) {
        expect(e).toBeInstanceOf(FormatError);
        expect((e as FormatError).offset).toBeGreaterThanOrEqual(0);
        expect((e as FormatError).offset).toBeLessThanOrEqual(body.length);
      }
    },
  );
});
