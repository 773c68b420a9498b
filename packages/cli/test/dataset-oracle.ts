// Oracles for the commands that write datasets (rewrite, convert, diff): the corpus DEBUG DIGEST of
// what the real server held, compared with the digest of a file rfx wrote, read back through the
// libraries (the keyspace's replay and RDB load), not through the CLI code under test.

import { readFileSync } from 'node:fs';

import { openAof } from '@redis-forensics/aof';
import { digestKeyspace, Keyspace, loadRdbIntoKeyspace, replayAof } from '@redis-forensics/keyspace';
import { openRdb } from '@redis-forensics/rdb';

import { corpusFile } from './corpus.js';

/** The server version whose digest rules apply to a corpus folder. */
export function corpusServerVersion(folder: string): string {
  if (folder.startsWith('valkey-')) return '7.2.4';
  if (folder === '7.4-rc2') return '7.4.0';
  if (folder === '8.0-m01') return '8.0.0';
  return folder;
}

/** `<case>.digest` of a corpus folder: DEBUG DIGEST of the server that wrote the case. */
export function corpusDigest(version: string, name: string): string {
  return readFileSync(corpusFile(version, `${name}.digest`), 'utf8').trim();
}

/**
 * DEBUG DIGEST of what a file holds: an AOF (any layout) replayed, or an RDB file loaded.
 * @param path the file or appendonlydir
 * @param kind how to read it
 * @param digestVersion the server version whose digest rules to use (zset score text)
 * @param replayVersion the server version the replay follows (defaults to `digestVersion`)
 */
export async function fileDigest(path: string, kind: 'aof' | 'rdb', digestVersion: string, replayVersion: string = digestVersion): Promise<string> {
  let ks: Keyspace;
  if (kind === 'aof') {
    const report = await replayAof(openAof(path), { serverVersion: replayVersion, now: 1_800_000_000_000 });
    if (report.errors.length > 0) throw new Error(`replaying ${path}: ${report.errors.map((e) => e.error).join('; ')}`);
    ks = report.keyspace;
  } else {
    ks = new Keyspace();
    await loadRdbIntoKeyspace(ks, openRdb(path));
  }
  return digestKeyspace(ks, { serverVersion: digestVersion }).digest;
}
