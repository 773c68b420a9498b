// Warnings for an AOF written for a Redis that will not load all of it: the rewrite writes every
// key in the commands that recreate it (HPEXPIREAT for hash field TTLs, XADD for streams, FUNCTION
// LOAD for libraries) whatever the target; a release without those commands stops loading there.

import { Buffer } from 'node:buffer';

import { escapeBytes } from '@redis-forensics/core';

import type { RedisTarget } from './redis-target.js';

/** The first release with each command the rewrite may write. */
const NEEDS = {
  hpexpireat: [7, 4, 'hash field TTLs (HPEXPIREAT)'],
  stream: [5, 0, 'streams (XADD)'],
  function: [7, 0, 'function libraries (FUNCTION LOAD)'],
} as const;

type Need = (typeof NEEDS)[keyof typeof NEEDS];

function lacks(target: RedisTarget, need: Need): boolean {
  const r = target.release;
  return r.major < need[0] || (r.major === need[0] && r.minor < need[1]);
}

/**
 * Pass events through, calling `warn` for each key or library whose commands the target release
 * does not have.
 * @param events the reader's or keyspaceToEvents' events
 * @param target the release the AOF is for
 * @param warn receives one message per key or library
 */
export async function* withTargetWarnings<E extends { type: string }>(
  events: AsyncIterable<E> | Iterable<E>,
  target: RedisTarget,
  warn: (message: string) => void,
): AsyncGenerator<E, void, undefined> {
  const version = target.version.replace(/\.0$/, '');
  const say = (what: string, need: Need): void => warn(`${what}: ${need[2]} need Redis ${need[0]}.${need[1]}; the target is Redis ${version}, which stops loading the AOF there`);
  let hashWarned = false;
  for await (const ev of events) {
    if (ev.type === 'function' && lacks(target, NEEDS.function)) {
      const code = (ev as unknown as { code: Uint8Array }).code;
      const head = Buffer.from(code.buffer, code.byteOffset, Math.min(code.byteLength, 200)).toString('latin1').split('\n')[0]!;
      const lib = /\bname=(\S+)/.exec(head)?.[1];
      say(`function library ${lib === undefined ? '(unnamed)' : escapeBytes(Buffer.from(lib, 'latin1'), 100)}`, NEEDS.function);
    } else if (ev.type === 'key') {
      const k = ev as unknown as { db: number; key: Uint8Array; value: { kind: string; entries?: { expireAt?: number | null }[] }; part?: { index: number } };
      const first = k.part === undefined || k.part.index === 0;
      const name = `key ${escapeBytes(k.key, 100)} in db ${k.db}`;
      if (first) hashWarned = false;
      if (first && k.value.kind === 'stream' && lacks(target, NEEDS.stream)) say(name, NEEDS.stream);
      if (!hashWarned && k.value.kind === 'hash' && lacks(target, NEEDS.hpexpireat) && k.value.entries!.some((e) => (e.expireAt ?? null) !== null)) {
        hashWarned = true;
        say(name, NEEDS.hpexpireat);
      }
    }
    yield ev;
  }
}
