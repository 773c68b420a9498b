// rfx diff: two datasets of any formats (RDB file, AOF file, appendonlydir), key by key, at the
// data level (see compare-values.ts). Each side is loaded as rfx convert reads it: an RDB as it
// is, an AOF replayed (optionally up to a point in time).

import { Buffer } from 'node:buffer';

import { rdbValueOf, typeOf } from '@redis-forensics/keyspace';

import { loadDataset } from '../../dataset-input.js';
import { UsageError } from '../../usage-error.js';
import { compareValues } from './compare-values.js';

import type { RedisTypeName } from '@redis-forensics/keyspace';
import type { LoadedDataset } from '../../dataset-input.js';
import type { ProgressReporter } from '../../render/progress.js';
import type { ReplayPoint } from '../../replay-point.js';
import type { ElementDiff } from './compare-values.js';

/** Differences listed per key by default (`--max-elements`). */
export const DEFAULT_MAX_ELEMENTS = 10;

/** One side of the comparison. */
export interface DiffSide {
  path: string;
  point?: ReplayPoint | undefined;
  sourceVersion?: string | undefined;
}

/** What `rfx diff` compares. */
export interface DiffOptions {
  a: DiffSide;
  b: DiffSide;
  /** Differences listed per key (all are counted). Defaults to {@link DEFAULT_MAX_ELEMENTS}. */
  maxElements?: number;
  skipUnsupported?: boolean;
  now: number;
  /** Progress of loading each side. */
  progress?: ((side: 'a' | 'b') => ProgressReporter) | undefined;
}

/** How one key differs. */
export interface KeyDiff {
  db: number;
  key: Uint8Array;
  /** `added`: only in b; `removed`: only in a; `type`: the type changed; `changed`: value and/or TTL. */
  change: 'added' | 'removed' | 'type' | 'changed';
  typeA: RedisTypeName | null;
  typeB: RedisTypeName | null;
  expireAtA: number | null;
  expireAtB: number | null;
  valueChanged: boolean;
  ttlChanged: boolean;
  /** Differences inside the value (changed keys). */
  differences: number;
  /** The first `maxElements` of them. */
  elements: ElementDiff[];
}

/** How a function library differs. */
export interface FunctionDiff {
  name: string;
  change: 'added' | 'removed' | 'changed';
}

/** Keys per kind of difference. */
export interface DiffCounts {
  keysA: number;
  keysB: number;
  added: number;
  removed: number;
  typeChanged: number;
  valueChanged: number;
  ttlChanged: number;
  /** Keys in both, equal in type, value and TTL. */
  unchanged: number;
  /** Keys that differ in any way. */
  differing: number;
}

/** The comparison, as data. */
export interface DiffReport {
  a: LoadedDataset;
  b: LoadedDataset;
  maxElements: number;
  /** Differing keys by db, then key bytes. */
  keys: KeyDiff[];
  functions: FunctionDiff[];
  counts: DiffCounts;
  equal: boolean;
}

const byBytes = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
const keyBytes = (k: string): Uint8Array => new Uint8Array(Buffer.from(k, 'latin1'));

async function loadSide(side: DiffSide, name: 'a' | 'b', options: DiffOptions): Promise<LoadedDataset> {
  const progress = options.progress?.(name);
  try {
    return await loadDataset(
      side.path,
      { point: side.point, pointOption: `--${name}-until-offset`, skipUnsupported: options.skipUnsupported ?? false, now: options.now, sourceVersion: side.sourceVersion, progress },
      () => new UsageError(`--${name}-until-index, --${name}-until-offset and --${name}-until-timestamp replay an AOF; ${side.path} is an RDB file`, ''),
    );
  } finally {
    progress?.stop();
  }
}

/**
 * Load both datasets and compare them key by key.
 * @returns every difference (keys sorted by db, then bytes)
 * @throws {@link UsageError} for a point on an RDB side; FormatError for bad input;
 *   UnsupportedCommandError; Node I/O errors
 */
export async function runDiff(options: DiffOptions): Promise<DiffReport> {
  const maxElements = options.maxElements ?? DEFAULT_MAX_ELEMENTS;
  const a = await loadSide(options.a, 'a', options);
  const b = await loadSide(options.b, 'b', options);
  const counts: DiffCounts = { keysA: a.keyspace.size, keysB: b.keyspace.size, added: 0, removed: 0, typeChanged: 0, valueChanged: 0, ttlChanged: 0, unchanged: 0, differing: 0 };
  const keys: KeyDiff[] = [];
  const dbCount = Math.max(a.keyspace.dbs.length, b.keyspace.dbs.length);
  for (let db = 0; db < dbCount; db++) {
    const da = a.keyspace.dbs[db];
    const dbb = b.keyspace.dbs[db];
    const inDb: [string, KeyDiff][] = [];
    for (const [k, va] of da?.dict ?? []) {
      const expireAtA = da!.expires.get(k) ?? null;
      const vb = dbb?.dict.get(k);
      if (vb === undefined) {
        inDb.push([k, { db, key: keyBytes(k), change: 'removed', typeA: typeOf(va), typeB: null, expireAtA, expireAtB: null, valueChanged: false, ttlChanged: false, differences: 0, elements: [] }]);
        counts.removed++;
        continue;
      }
      const expireAtB = dbb!.expires.get(k) ?? null;
      const typeA = typeOf(va);
      const typeB = typeOf(vb);
      if (typeA !== typeB) {
        inDb.push([k, { db, key: keyBytes(k), change: 'type', typeA, typeB, expireAtA, expireAtB, valueChanged: true, ttlChanged: expireAtA !== expireAtB, differences: 0, elements: [] }]);
        counts.typeChanged++;
        continue;
      }
      const cmp = compareValues(rdbValueOf(va), rdbValueOf(vb), { maxElements, streamCounters: a.streamCountersKnown(db, k) && b.streamCountersKnown(db, k) });
      const ttlChanged = expireAtA !== expireAtB;
      if (cmp.differences === 0 && !ttlChanged) {
        counts.unchanged++;
        continue;
      }
      if (cmp.differences > 0) counts.valueChanged++;
      if (ttlChanged) counts.ttlChanged++;
      inDb.push([k, { db, key: keyBytes(k), change: 'changed', typeA, typeB, expireAtA, expireAtB, valueChanged: cmp.differences > 0, ttlChanged, differences: cmp.differences, elements: cmp.elements }]);
    }
    for (const [k, vb] of dbb?.dict ?? []) {
      if (da?.dict.has(k) === true) continue;
      inDb.push([k, { db, key: keyBytes(k), change: 'added', typeA: null, typeB: typeOf(vb), expireAtA: null, expireAtB: dbb!.expires.get(k) ?? null, valueChanged: false, ttlChanged: false, differences: 0, elements: [] }]);
      counts.added++;
    }
    inDb.sort((x, y) => byBytes(x[0], y[0]));
    for (const [, d] of inDb) keys.push(d);
  }
  counts.differing = keys.length;
  const functions: FunctionDiff[] = [];
  const fa = a.keyspace.functions;
  const fb = b.keyspace.functions;
  for (const name of [...new Set([...fa.keys(), ...fb.keys()])].sort(byBytes)) {
    const x = fa.get(name);
    const y = fb.get(name);
    if (x === undefined) functions.push({ name, change: 'added' });
    else if (y === undefined) functions.push({ name, change: 'removed' });
    else if (x.code !== y.code) functions.push({ name, change: 'changed' });
  }
  return { a, b, maxElements, keys, functions, counts, equal: keys.length === 0 && functions.length === 0 };
}
