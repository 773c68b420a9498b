// Golden test (STYLE.md 9.3): every corpus RDB loaded with loadRdbIntoKeyspace must give the
// server's DEBUG DIGEST (`<case>.digest`), every key's DEBUG DIGEST-VALUE (5.0+) and the
// server's view of every key (`<case>.expected.jsonl`).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { digestKeyspace, digestValue, Keyspace, loadRdbIntoKeyspace } from '@redis-forensics/keyspace';
import { openRdb } from '@redis-forensics/rdb';

import { corpusServerVersion, diffOracle, readOracle } from './corpus-oracle.js';
import { keyspaceView } from './keyspace-view.js';

const CORPUS = join(import.meta.dirname, '../../../fixtures/corpus');

const cases: [string, string][] = [];
for (const version of readdirSync(CORPUS).sort()) {
  if (!existsSync(join(CORPUS, version, 'summary.json'))) continue;
  for (const f of readdirSync(join(CORPUS, version)).sort()) if (f.endsWith('.rdb')) cases.push([version, f.slice(0, -4)]);
}

describe('Corpus RDBs: loadRdbIntoKeyspace + digestKeyspace', () => {
  it.each(cases)('%s %s: DEBUG DIGEST, DIGEST-VALUE and every key as the server reports them', async (version, name) => {
    const ks = new Keyspace();
    await loadRdbIntoKeyspace(ks, openRdb(join(CORPUS, version, `${name}.rdb`)));
    const serverVersion = corpusServerVersion(version);
    const { digest, unsupported } = digestKeyspace(ks, { serverVersion });
    expect(digest).toBe(readFileSync(join(CORPUS, version, `${name}.digest`), 'utf8').trim());
    // Module values are digested by the module's callback; the corpus test modules have none,
    // so their (opaque) values add nothing on the server either.
    if (name !== 'rdb-module') expect(unsupported).toEqual([]);
    const oracle = readOracle(join(CORPUS, version, `${name}.expected.jsonl`));
    const plain = oracle.keys.filter((k) => ['string', 'list', 'set', 'zset', 'hash', 'stream'].includes(k.type));
    const mine = keyspaceView(ks).filter((k) => k.type !== 'module');
    expect(diffOracle(mine, plain)).toEqual([]);
    const badDigests = oracle.keys
      .filter((k) => k.digestValue !== undefined && k.type !== 'test__rdb' && k.type !== 'test___dt')
      .filter((k) => digestValue(ks, k.db, Buffer.from(k.key, 'hex'), { serverVersion }) !== k.digestValue)
      .map((k) => `${k.db}:${Buffer.from(k.key, 'hex').toString('latin1')}`);
    expect(badDigests).toEqual([]);
    if (oracle.functions !== null) expect([...ks.functions.keys()].sort()).toEqual(oracle.functions);
  });
});
