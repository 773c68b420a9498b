// DEBUG DIGEST and DEBUG DIGEST-VALUE: SHA1-based digests of the dataset, order-independent for
// keys, sets, hashes and zsets (xor), order-dependent for lists and streams (mix).
// Source of truth: redis/src/debug.c xorDigest, mixDigest, xorObjectDigest, computeDatasetDigest.
//
// Per type: strings and list elements are mixed as their bytes; set members are xored; zset
// members are mixed with the score text (`%.17g` up to 7.0, fpconv_dtoa from 7.2); hash fields
// are mixed with their values (plus "!!hexpire!!" for a field with a TTL, 7.4+); streams mix
// `<ms>.<seq>` then each field and value of every entry (consumer groups are not part of it);
// a key with a TTL xors "!!expire!!". Module values are digested by the module's own callback,
// which we cannot run: they are reported in `unsupported` and contribute nothing.

import { createHash } from 'node:crypto';

import { doubleStyleFor, formatDouble } from './number-text.js';
import { streamIdParts } from './stream-id.js';
import { stringBytes, typeOf } from './values.js';

import type { Keyspace } from './keyspace.js';
import type { DoubleStyle } from './number-text.js';
import type { RedisValue } from './values.js';

const OBJ_TYPE: Record<string, number> = { string: 0, list: 1, set: 2, zset: 3, hash: 4, module: 5, stream: 6 };

function sha1(data: Uint8Array): Buffer {
  return createHash('sha1').update(data).digest();
}

/** digest ^= SHA1(data). */
function xorDigest(digest: Uint8Array, data: Uint8Array): void {
  const h = sha1(data);
  for (let j = 0; j < 20; j++) digest[j]! ^= h[j]!;
}

/** digest = SHA1(digest ^ SHA1(data)). */
function mixDigest(digest: Uint8Array, data: Uint8Array): void {
  xorDigest(digest, data);
  digest.set(sha1(digest));
}

const text = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const EXPIRE_MARK = text('!!expire!!');
const HEXPIRE_MARK = text('!!hexpire!!');

/** Options of {@link digestKeyspace}. */
export interface DigestOptions {
  /**
   * Server version whose digest to reproduce: before 7.2 zset scores are written with `%.17g`,
   * from 7.2 with fpconv_dtoa. Defaults to the latest.
   */
  serverVersion?: string;
}

/** The result of {@link digestKeyspace}. */
export interface DigestResult {
  /** 40 hex chars, as DEBUG DIGEST prints it (all zeros for an empty dataset). */
  digest: string;
  /** Keys whose value could not be digested exactly (module values), as `db:key` latin1. */
  unsupported: string[];
}

/**
 * Digest one value into the key's digest, as xorObjectDigest does after the key itself was mixed.
 * @returns false for a module value (not digestible here)
 * @see redis/src/debug.c xorObjectDigest
 */
function xorObjectDigest(digest: Uint8Array, v: RedisValue, hasExpire: boolean, style: DoubleStyle): boolean {
  const type = typeOf(v);
  const aux = Buffer.alloc(4);
  aux.writeUInt32BE(OBJ_TYPE[type]!);
  mixDigest(digest, aux);
  let ok = true;
  if (typeof v === 'string' || v.type === 'mstring') {
    mixDigest(digest, stringBytes(v));
  } else if (v.type === 'list') {
    for (const e of v) mixDigest(digest, text(e));
  } else if (v.type === 'set') {
    for (const m of v.set) xorDigest(digest, text(m));
  } else if (v.type === 'zset') {
    for (const [m, s] of v.index) {
      const ele = new Uint8Array(20);
      mixDigest(ele, text(m));
      mixDigest(ele, text(formatDouble(s, style)));
      xorDigest(digest, ele);
    }
  } else if (v.type === 'hash') {
    for (const [f, val] of v.map) {
      const ele = new Uint8Array(20);
      mixDigest(ele, text(f));
      mixDigest(ele, text(val));
      if (v.expires?.has(f)) xorDigest(ele, HEXPIRE_MARK);
      xorDigest(digest, ele);
    }
  } else if (v.type === 'stream') {
    for (const [id, fields] of v.entries()) {
      const { ms, seq } = streamIdParts(id);
      mixDigest(digest, text(`${ms}.${seq}`));
      for (const f of fields) mixDigest(digest, text(f));
    }
  } else {
    ok = false;
  }
  if (hasExpire) xorDigest(digest, EXPIRE_MARK);
  return ok;
}

/**
 * DEBUG DIGEST of the whole keyspace: for each non-empty db, mix the db number (u32 BE), then xor
 * in each key's digest (key bytes mixed, then the value).
 * @see redis/src/debug.c computeDatasetDigest
 */
export function digestKeyspace(ks: Keyspace, options: DigestOptions = {}): DigestResult {
  const style = doubleStyleFor(options.serverVersion);
  const final = new Uint8Array(20);
  const unsupported: string[] = [];
  for (const db of ks.dbs) {
    if (db.dict.size === 0) continue;
    const aux = Buffer.alloc(4);
    aux.writeUInt32BE(db.id);
    mixDigest(final, aux);
    for (const [key, v] of db.dict) {
      const digest = new Uint8Array(20);
      mixDigest(digest, text(key));
      if (!xorObjectDigest(digest, v, db.expires.has(key), style)) unsupported.push(`${db.id}:${key}`);
      xorDigest(final, digest);
    }
  }
  return { digest: Buffer.from(final).toString('hex'), unsupported };
}

/**
 * DEBUG DIGEST-VALUE of one key (the value's digest without the key name), or 40 zeros for a
 * missing key.
 * @see redis/src/debug.c debugCommand "digest-value"
 */
export function digestValue(ks: Keyspace, db: number, key: Uint8Array, options: DigestOptions = {}): string {
  const d = ks.db(db);
  const k = Buffer.from(key).toString('latin1');
  const v = d.dict.get(k);
  const digest = new Uint8Array(20);
  if (v !== undefined) xorObjectDigest(digest, v, d.expires.has(k), doubleStyleFor(options.serverVersion));
  return Buffer.from(digest).toString('hex');
}
