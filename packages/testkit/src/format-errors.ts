// Capturing the FormatError a piece of code must throw, so tests can assert its code, offset,
// phase and key. Anything else thrown (a TypeError is a bug) propagates and fails the test.

import { expect } from 'vitest';

import { FormatError } from '@redis-forensics/core';
import { readRdb } from '@redis-forensics/rdb';

import { collect, feed } from './feed.js';

import type { ReadRdbOptions } from '@redis-forensics/rdb';
import type { FeedMode } from './feed.js';

/**
 * Run `fn` and return the FormatError it throws.
 * @throws whatever else `fn` throws; an Error when it throws nothing
 */
export function catchFormatError(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}

/**
 * Read `bytes` with readRdb in `mode` and return the FormatError it ends with. In a split mode the
 * same error (code, offset, phase, key) must come out of a whole read too, so every error test
 * is also a feed-mode test.
 * @param seed, maxChunk the random splits (see feed)
 */
export async function readRdbError(
  bytes: Uint8Array,
  mode: FeedMode,
  options: ReadRdbOptions = {},
  seed: number = 9,
  maxChunk: number = 97,
): Promise<FormatError> {
  const attempt = async (m: FeedMode): Promise<FormatError> => {
    try {
      await collect(readRdb(feed(bytes, m, seed, maxChunk), options));
    } catch (e) {
      if (e instanceof FormatError) return e;
      throw e;
    }
    throw new Error('expected a FormatError');
  };
  const e = await attempt(mode);
  if (mode !== 'whole') {
    const w = await attempt('whole');
    expect({ code: e.code, offset: e.offset, phase: e.phase, key: e.key }).toEqual({ code: w.code, offset: w.offset, phase: w.phase, key: w.key });
  }
  return e;
}
