// applyCommand semantics with expected values from the Redis documentation (command pages'
// examples) and Redis's own test suite (tests/unit/*.tcl), not from this engine's output.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { crc64 } from '@redis-forensics/core';
import { applyCommand, digestKeyspace, Keyspace, latin1ToBytes, UnsupportedCommandError } from '@redis-forensics/keyspace';

import type { CommandContext, CommandResult, Reply } from '@redis-forensics/keyspace';

const LIVE: CommandContext = { loading: false, now: 1_700_000_000_000, serverVersion: '7.4.1' };

/** Run a command; return its reply, or throw with the error reply. */
function r(ks: Keyspace, ...args: string[]): Reply {
  const res = applyCommand(ks, args.map(latin1ToBytes), LIVE);
  if (!res.ok) throw new Error(res.error);
  return res.reply;
}

function err(ks: Keyspace, ...args: string[]): string {
  const res: CommandResult = applyCommand(ks, args.map(latin1ToBytes), LIVE);
  if (res.ok) throw new Error(`expected an error, got ${String(res.reply)}`);
  return res.error;
}

const text = (ks: Keyspace, key: string, db = 0): unknown => {
  const e = ks.get(db, latin1ToBytes(key));
  if (e === undefined) return null;
  const v = e.value;
  if (typeof v === 'string') return v;
  if (v.type === 'mstring') return Buffer.from(v.view()).toString('latin1');
  if (v.type === 'list') return v.toArray();
  if (v.type === 'set') return [...v.set].sort();
  if (v.type === 'zset') return [...v.index].flat();
  if (v.type === 'hash') return Object.fromEntries(v.map);
  return v.type;
};

describe('Strings (docs examples, tests/unit/type/string.tcl, incr.tcl)', () => {
  it('APPEND: creates, then appends ("Hello" + " World" = 11 bytes)', () => {
    const ks = new Keyspace();
    expect(r(ks, 'APPEND', 'mykey', 'Hello')).toBe(5);
    expect(r(ks, 'APPEND', 'mykey', ' World')).toBe(11);
    expect(text(ks, 'mykey')).toBe('Hello World');
  });

  it('SETRANGE: overwrites, and pads a missing key with zero bytes', () => {
    const ks = new Keyspace();
    r(ks, 'SET', 'key1', 'Hello World');
    expect(r(ks, 'SETRANGE', 'key1', '6', 'Redis')).toBe(11);
    expect(text(ks, 'key1')).toBe('Hello Redis');
    expect(r(ks, 'SETRANGE', 'key2', '6', 'Redis')).toBe(11);
    expect(text(ks, 'key2')).toBe('\0\0\0\0\0\0Redis');
    expect(r(ks, 'SETRANGE', 'key3', '0', '')).toBe(0);
    expect(text(ks, 'key3')).toBeNull();
  });

  it('INCRBYFLOAT: docs examples 10.50 + 0.1 = "10.6", -5 = "5.6", 5.0e3 + 2.0e2 = "5200"; replies the stored text', () => {
    const ks = new Keyspace();
    r(ks, 'SET', 'mykey', '10.50');
    expect(r(ks, 'INCRBYFLOAT', 'mykey', '0.1')).toBe('10.6');
    expect(r(ks, 'INCRBYFLOAT', 'mykey', '-5')).toBe('5.6');
    r(ks, 'SET', 'mykey', '5.0e3');
    expect(r(ks, 'INCRBYFLOAT', 'mykey', '2.0e2')).toBe('5200');
  });

  it('INCRBYFLOAT: embedded NUL, spaces, NaN/Infinity results fail and change nothing (incr.tcl)', () => {
    const ks = new Keyspace();
    r(ks, 'SET', 'foo', '1');
    r(ks, 'SETRANGE', 'foo', '2', '2');
    expect(err(ks, 'INCRBYFLOAT', 'foo', '1')).toMatch(/valid float/);
    r(ks, 'SET', 'novar', '    11');
    expect(err(ks, 'INCRBYFLOAT', 'novar', '1.0')).toMatch(/valid float/);
    r(ks, 'SET', 'foo', '0');
    expect(err(ks, 'INCRBYFLOAT', 'foo', '+inf')).toMatch(/NaN or Infinity/);
    expect(text(ks, 'foo')).toBe('0');
  });

  it('INCR family: overflow and DECRBY LLONG_MIN are errors (incr.tcl)', () => {
    const ks = new Keyspace();
    r(ks, 'SET', 'novar', '1');
    expect(err(ks, 'INCRBY', 'novar', '9223372036854775807')).toBe('ERR increment or decrement would overflow');
    r(ks, 'SET', 'x', '0');
    expect(err(ks, 'DECRBY', 'x', '-9223372036854775808')).toMatch(/decrement would overflow/);
    r(ks, 'SET', 'novar', '    11');
    expect(err(ks, 'INCR', 'novar')).toBe('ERR value is not an integer or out of range');
    expect(r(ks, 'INCRBY', 'fresh', '17179869184')).toBe(17179869184n);
  });

  it('SET: EX/PX/EXAT/PXAT validation (string.tcl "SET with EX with big integer should report an error")', () => {
    const ks = new Keyspace();
    expect(err(ks, 'SET', 'foo', 'bar', 'EX', '10000000000000000')).toBe("ERR invalid expire time in 'set' command");
    expect(err(ks, 'SET', 'foo', 'bar', 'EX', '-9999999999999999')).toBe("ERR invalid expire time in 'set' command");
    expect(err(ks, 'SET', 'foo', 'bar', 'EX', '10', 'PX', '100')).toBe('ERR syntax error');
    expect(err(ks, 'SET', 'foo', 'bar', 'KEEPTTL', 'EX', '10')).toBe('ERR syntax error');
    expect(ks.size).toBe(0);
    expect(r(ks, 'SET', 'foo', 'bar', 'EX', '60')).toEqual({ status: 'OK' });
    expect(ks.get(0, latin1ToBytes('foo'))!.expireAt).toBe(LIVE.now! + 60_000);
    expect(r(ks, 'SET', 'foo', 'baz', 'KEEPTTL')).toEqual({ status: 'OK' });
    expect(ks.get(0, latin1ToBytes('foo'))!.expireAt).toBe(LIVE.now! + 60_000);
    r(ks, 'SET', 'foo', 'qux');
    expect(ks.get(0, latin1ToBytes('foo'))!.expireAt).toBeNull();
  });

  it('SET NX/XX with GET returns the old value (7.0)', () => {
    const ks = new Keyspace();
    expect(r(ks, 'SET', 'k', 'v1', 'NX', 'GET')).toBeNull();
    expect(r(ks, 'SET', 'k', 'v2', 'NX', 'GET')).toBe('v1');
    expect(text(ks, 'k')).toBe('v1');
    expect(r(ks, 'SET', 'k', 'v3', 'XX', 'GET')).toBe('v1');
    r(ks, 'LPUSH', 'l', 'x');
    expect(err(ks, 'SET', 'l', 'v', 'GET')).toMatch(/^WRONGTYPE/);
  });

  it('SETBIT / BITOP: docs examples', () => {
    const ks = new Keyspace();
    expect(r(ks, 'SETBIT', 'mykey', '7', '1')).toBe(0);
    expect(r(ks, 'SETBIT', 'mykey', '7', '0')).toBe(1);
    expect(text(ks, 'mykey')).toBe('\0');
    r(ks, 'SET', 'key1', 'foobar');
    r(ks, 'SET', 'key2', 'abcdef');
    expect(r(ks, 'BITOP', 'AND', 'dest', 'key1', 'key2')).toBe(6);
    expect(text(ks, 'dest')).toBe('`bc`ab');
  });

  it('BITFIELD: docs examples (INCRBY i5 / GET u4; OVERFLOW WRAP, SAT, FAIL on u2)', () => {
    const ks = new Keyspace();
    expect(r(ks, 'BITFIELD', 'mykey', 'INCRBY', 'i5', '100', '1', 'GET', 'u4', '0')).toEqual([1, 0]);
    const ks2 = new Keyspace();
    const steps = [[1, 1], [2, 2], [3, 3], [0, 3]];
    for (const [wrap, sat] of steps) {
      expect(r(ks2, 'BITFIELD', 'mykey', 'incrby', 'u2', '100', '1', 'OVERFLOW', 'SAT', 'incrby', 'u2', '102', '1')).toEqual([wrap, sat]);
    }
    const ks3 = new Keyspace();
    for (let i = 0; i < 3; i++) r(ks3, 'BITFIELD', 'mykey', 'OVERFLOW', 'FAIL', 'incrby', 'u2', '102', '1');
    expect(r(ks3, 'BITFIELD', 'mykey', 'OVERFLOW', 'FAIL', 'incrby', 'u2', '102', '1')).toEqual([null]);
  });
});

describe('Keys and expiry (tests/unit/expire.tcl)', () => {
  it('EXPIRE NX/XX/GT/LT on keys with and without a TTL', () => {
    const ks = new Keyspace();
    r(ks, 'SET', 'foo', 'bar');
    expect(r(ks, 'EXPIRE', 'foo', '100', 'XX')).toBe(0);
    expect(r(ks, 'EXPIRE', 'foo', '100', 'GT')).toBe(0);
    expect(r(ks, 'EXPIRE', 'foo', '100', 'LT')).toBe(1);
    expect(r(ks, 'EXPIRE', 'foo', '200', 'NX')).toBe(0);
    expect(r(ks, 'EXPIRE', 'foo', '200', 'GT')).toBe(1);
    expect(r(ks, 'EXPIRE', 'foo', '100', 'GT')).toBe(0);
    expect(err(ks, 'EXPIRE', 'foo', '100', 'NX', 'XX')).toBe('ERR NX and XX, GT or LT options at the same time are not compatible');
    expect(err(ks, 'EXPIRE', 'foo', '100', 'GT', 'LT')).toBe('ERR GT and LT options at the same time are not compatible');
    expect(err(ks, 'EXPIRE', 'foo', '9223370399119966')).toBe("ERR invalid expire time in 'expire' command");
  });

  it('EXPIRE with a past time deletes the key live, but keeps it with that time while loading an AOF', () => {
    const live = new Keyspace();
    r(live, 'SET', 'foo', 'bar');
    expect(r(live, 'EXPIRE', 'foo', '-1')).toBe(1);
    expect(live.size).toBe(0);
    const loading = new Keyspace();
    applyCommand(loading, ['SET', 'foo', 'bar'].map(latin1ToBytes), { now: LIVE.now! });
    expect(applyCommand(loading, ['PEXPIREAT', 'foo', '1000'].map(latin1ToBytes), { now: LIVE.now! })).toEqual({ ok: true, reply: 1 });
    expect(loading.get(0, latin1ToBytes('foo'))!.expireAt).toBe(1000);
  });

  it('RENAME keeps the TTL; RENAMENX onto an existing key does nothing; MOVE and COPY', () => {
    const ks = new Keyspace();
    r(ks, 'SET', 'a', '1', 'PX', '5000');
    expect(r(ks, 'RENAME', 'a', 'b')).toEqual({ status: 'OK' });
    expect(ks.get(0, latin1ToBytes('b'))!.expireAt).toBe(LIVE.now! + 5000);
    r(ks, 'SET', 'c', '2');
    expect(r(ks, 'RENAMENX', 'b', 'c')).toBe(0);
    expect(err(ks, 'RENAME', 'nosuch', 'x')).toBe('ERR no such key');
    expect(r(ks, 'MOVE', 'b', '1')).toBe(1);
    expect(ks.get(1, latin1ToBytes('b'))!.expireAt).toBe(LIVE.now! + 5000);
    expect(r(ks, 'COPY', 'c', 'd', 'DB', '1')).toBe(1);
    expect(err(ks, 'COPY', 'c', 'c')).toBe('ERR source and destination objects are the same');
  });

  it('SWAPDB swaps contents, SELECT moves the client, FLUSHALL empties every db', () => {
    const ks = new Keyspace();
    r(ks, 'SET', 'x', '0');
    r(ks, 'SELECT', '1');
    r(ks, 'SET', 'y', '1');
    r(ks, 'SWAPDB', '0', '1');
    expect(text(ks, 'y', 0)).toBe('1');
    expect(text(ks, 'x', 1)).toBe('0');
    expect(err(ks, 'SELECT', '16')).toBe('ERR DB index is out of range');
    r(ks, 'FLUSHALL');
    expect(ks.size).toBe(0);
  });
});

describe('Lists (docs examples)', () => {
  it('LINSERT, LREM -2, LTRIM 1 -1, LPOP with count', () => {
    const ks = new Keyspace();
    r(ks, 'RPUSH', 'mylist', 'Hello', 'World');
    expect(r(ks, 'LINSERT', 'mylist', 'BEFORE', 'World', 'There')).toBe(3);
    expect(text(ks, 'mylist')).toEqual(['Hello', 'There', 'World']);
    expect(r(ks, 'LINSERT', 'mylist', 'AFTER', 'nope', 'x')).toBe(-1);
    r(ks, 'DEL', 'mylist');
    r(ks, 'RPUSH', 'mylist', 'hello', 'hello', 'foo', 'hello');
    expect(r(ks, 'LREM', 'mylist', '-2', 'hello')).toBe(2);
    expect(text(ks, 'mylist')).toEqual(['hello', 'foo']);
    r(ks, 'DEL', 'mylist');
    r(ks, 'RPUSH', 'mylist', 'one', 'two', 'three');
    r(ks, 'LTRIM', 'mylist', '1', '-1');
    expect(text(ks, 'mylist')).toEqual(['two', 'three']);
    r(ks, 'DEL', 'mylist');
    r(ks, 'RPUSH', 'mylist', 'one', 'two', 'three', 'four', 'five');
    expect(r(ks, 'LPOP', 'mylist')).toBe('one');
    expect(r(ks, 'LPOP', 'mylist', '2')).toEqual(['two', 'three']);
    expect(text(ks, 'mylist')).toEqual(['four', 'five']);
    expect(r(ks, 'RPOP', 'mylist', '5')).toEqual(['five', 'four']);
    expect(ks.size).toBe(0);
  });

  it('LMOVE RIGHT LEFT then LEFT RIGHT; LMPOP', () => {
    const ks = new Keyspace();
    r(ks, 'RPUSH', 'mylist', 'one', 'two', 'three');
    expect(r(ks, 'LMOVE', 'mylist', 'myotherlist', 'RIGHT', 'LEFT')).toBe('three');
    expect(r(ks, 'LMOVE', 'mylist', 'myotherlist', 'LEFT', 'RIGHT')).toBe('one');
    expect(text(ks, 'mylist')).toEqual(['two']);
    expect(text(ks, 'myotherlist')).toEqual(['three', 'one']);
    expect(r(ks, 'LMPOP', '2', 'non1', 'non2', 'LEFT', 'COUNT', '10')).toBeNull();
    r(ks, 'LPUSH', 'l', 'one', 'two', 'three', 'four', 'five');
    expect(r(ks, 'LMPOP', '1', 'l', 'LEFT')).toEqual(['l', ['five']]);
    expect(r(ks, 'LMPOP', '1', 'l', 'RIGHT', 'COUNT', '10')).toEqual(['l', ['one', 'two', 'three', 'four']]);
  });

  it('BLPOP with data acts like LPOP (as logged in the AOF); without data it times out at once', () => {
    const ks = new Keyspace();
    expect(r(ks, 'BLPOP', 'a', 'b', '0')).toBeNull();
    r(ks, 'RPUSH', 'b', 'x', 'y');
    expect(r(ks, 'BLPOP', 'a', 'b', '0')).toEqual(['b', 'x']);
    expect(err(ks, 'BLPOP', 'b', '-1')).toBe('ERR timeout is negative');
  });
});

describe('Sets and sorted sets (docs examples)', () => {
  it('SINTERSTORE / SUNIONSTORE / SDIFFSTORE', () => {
    const ks = new Keyspace();
    r(ks, 'SADD', 'key1', 'a', 'b', 'c');
    r(ks, 'SADD', 'key2', 'c', 'd', 'e');
    expect(r(ks, 'SINTERSTORE', 'key', 'key1', 'key2')).toBe(1);
    expect(text(ks, 'key')).toEqual(['c']);
    expect(r(ks, 'SUNIONSTORE', 'key', 'key1', 'key2')).toBe(5);
    expect(r(ks, 'SDIFFSTORE', 'key', 'key1', 'key2')).toBe(2);
    expect(text(ks, 'key')).toEqual(['a', 'b']);
    expect(r(ks, 'SINTERSTORE', 'key', 'key1', 'nosuch')).toBe(0);
    expect(text(ks, 'key')).toBeNull();
  });

  it('ZADD orders by score then member; ZUNIONSTORE / ZINTERSTORE WEIGHTS 2 3', () => {
    const ks = new Keyspace();
    r(ks, 'ZADD', 'myzset', '1', 'one');
    r(ks, 'ZADD', 'myzset', '1', 'uno');
    r(ks, 'ZADD', 'myzset', '2', 'two', '3', 'three');
    expect(text(ks, 'myzset')).toEqual(['one', 1, 'uno', 1, 'two', 2, 'three', 3]);
    r(ks, 'ZADD', 'zset1', '1', 'one', '2', 'two');
    r(ks, 'ZADD', 'zset2', '1', 'one', '2', 'two', '3', 'three');
    expect(r(ks, 'ZUNIONSTORE', 'out', '2', 'zset1', 'zset2', 'WEIGHTS', '2', '3')).toBe(3);
    expect(text(ks, 'out')).toEqual(['one', 5, 'three', 9, 'two', 10]);
    expect(r(ks, 'ZINTERSTORE', 'out', '2', 'zset1', 'zset2', 'WEIGHTS', '2', '3')).toBe(2);
    expect(text(ks, 'out')).toEqual(['one', 5, 'two', 10]);
  });

  it('ZADD flags: INCR with GT/LT/NX, incompatible combinations, NaN from inf + -inf', () => {
    const ks = new Keyspace();
    expect(r(ks, 'ZADD', 'z', 'CH', '1', 'a', '2', 'b')).toBe(2);
    expect(r(ks, 'ZADD', 'z', 'GT', 'CH', '0', 'a', '3', 'b')).toBe(1);
    expect(r(ks, 'ZADD', 'z', 'NX', 'INCR', '5', 'a')).toBeNull();
    expect(err(ks, 'ZADD', 'z', 'NX', 'XX', '1', 'a')).toBe('ERR XX and NX options at the same time are not compatible');
    expect(err(ks, 'ZADD', 'z', 'GT', 'LT', '1', 'a')).toBe('ERR GT, LT, and/or NX options at the same time are not compatible');
    r(ks, 'ZADD', 'z', 'inf', 'c');
    expect(err(ks, 'ZINCRBY', 'z', '-inf', 'c')).toBe('ERR resulting score is not a number (NaN)');
  });

  it('ZREMRANGEBYSCORE -inf (2, ZREMRANGEBYLEX [alpha [omega, ZRANGESTORE 2 -1', () => {
    const ks = new Keyspace();
    r(ks, 'ZADD', 'myzset', '1', 'one', '2', 'two', '3', 'three');
    expect(r(ks, 'ZREMRANGEBYSCORE', 'myzset', '-inf', '(2')).toBe(1);
    expect(text(ks, 'myzset')).toEqual(['two', 2, 'three', 3]);
    r(ks, 'ZADD', 'lex', '0', 'aaaa', '0', 'b', '0', 'c', '0', 'd', '0', 'e');
    r(ks, 'ZADD', 'lex', '0', 'foo', '0', 'zap', '0', 'zip', '0', 'ALPHA', '0', 'alpha');
    expect(r(ks, 'ZREMRANGEBYLEX', 'lex', '[alpha', '[omega')).toBe(6);
    expect(text(ks, 'lex')).toEqual(['ALPHA', 0, 'aaaa', 0, 'zap', 0, 'zip', 0]);
    r(ks, 'ZADD', 'srczset', '1', 'one', '2', 'two', '3', 'three', '4', 'four');
    expect(r(ks, 'ZRANGESTORE', 'dstzset', 'srczset', '2', '-1')).toBe(2);
    expect(text(ks, 'dstzset')).toEqual(['three', 3, 'four', 4]);
  });
});

describe('Hashes and field TTLs (docs examples, 7.4+)', () => {
  it('HINCRBYFLOAT docs examples; HINCRBY on a non-integer fails', () => {
    const ks = new Keyspace();
    r(ks, 'HSET', 'mykey', 'field', '10.50');
    expect(r(ks, 'HINCRBYFLOAT', 'mykey', 'field', '0.1')).toBe('10.6');
    expect(r(ks, 'HINCRBYFLOAT', 'mykey', 'field', '-5')).toBe('5.6');
    r(ks, 'HSET', 'mykey', 'field', '5.0e3');
    expect(r(ks, 'HINCRBYFLOAT', 'mykey', 'field', '2.0e2')).toBe('5200');
    expect(r(ks, 'HINCRBY', 'mykey', 'field', '1')).toBe(5201n);
    r(ks, 'HSET', 'mykey', 'field', '10.6');
    expect(err(ks, 'HINCRBY', 'mykey', 'field', '1')).toBe('ERR hash value is not an integer');
  });

  it('HEXPIRE / HPERSIST replies: 1 set, -2 no field, 0 condition not met, -1 no TTL', () => {
    const ks = new Keyspace();
    r(ks, 'HSET', 'mykey', 'field1', 'hello', 'field2', 'world');
    expect(r(ks, 'HEXPIRE', 'mykey', '10', 'FIELDS', '3', 'field1', 'field2', 'field3')).toEqual([1, 1, -2]);
    expect(r(ks, 'HEXPIRE', 'mykey', '5', 'GT', 'FIELDS', '1', 'field1')).toEqual([0]);
    expect(r(ks, 'HEXPIRE', 'no-key', '20', 'NX', 'FIELDS', '2', 'field1', 'field2')).toEqual([-2, -2]);
    expect(r(ks, 'HPERSIST', 'mykey', 'FIELDS', '1', 'field1')).toEqual([1]);
    expect(r(ks, 'HPERSIST', 'mykey', 'FIELDS', '1', 'field1')).toEqual([-1]);
    expect(err(ks, 'HEXPIRE', 'mykey', '10', 'FIELDS', '2', 'field1')).toBe('ERR The `numfields` parameter must match the number of arguments');
  });

  it('A field TTL in the past deletes the field live (and the hash with its last field), but is kept while loading', () => {
    const ks = new Keyspace();
    r(ks, 'HSET', 'h', 'f', 'v');
    expect(r(ks, 'HPEXPIREAT', 'h', '1000', 'FIELDS', '1', 'f')).toEqual([2]);
    expect(ks.size).toBe(0);
    const loading = new Keyspace();
    applyCommand(loading, ['HSET', 'h', 'f', 'v'].map(latin1ToBytes));
    expect(applyCommand(loading, ['HPEXPIREAT', 'h', '1000', 'FIELDS', '1', 'f'].map(latin1ToBytes))).toEqual({ ok: true, reply: [1] });
  });
});

describe('HyperLogLog (tests/unit/hyperloglog.tcl, docs)', () => {
  it('PFADD without elements creates an empty HLL with count 0; 1 then 0 when nothing changes', () => {
    const ks = new Keyspace();
    expect(r(ks, 'PFADD', 'hll')).toBe(1);
    expect(r(ks, 'PFCOUNT', 'hll')).toBe(0);
    expect(r(ks, 'PFADD', 'hll', 'a', 'b', 'c')).toBe(1);
    expect(r(ks, 'PFADD', 'hll', 'a', 'b')).toBe(0);
    expect(r(ks, 'PFADD', 'hll', '')).toBe(1);
  });

  it('PFCOUNT of 1..5 is 5, of 1..10 is 10; PFMERGE of the docs sets counts 6', () => {
    const ks = new Keyspace();
    r(ks, 'PFADD', 'hll', '1', '2', '3', '4', '5');
    expect(r(ks, 'PFCOUNT', 'hll')).toBe(5);
    r(ks, 'PFADD', 'hll', '6', '7', '8', '9', '10');
    expect(r(ks, 'PFCOUNT', 'hll')).toBe(10);
    r(ks, 'PFADD', 'hll1', 'foo', 'bar', 'zap', 'a');
    r(ks, 'PFADD', 'hll2', 'a', 'b', 'c', 'foo');
    expect(r(ks, 'PFMERGE', 'hll3', 'hll1', 'hll2')).toEqual({ status: 'OK' });
    expect(r(ks, 'PFCOUNT', 'hll3')).toBe(6);
    r(ks, 'SET', 'foo', 'bar');
    expect(err(ks, 'PFADD', 'foo', 'bar')).toMatch(/^WRONGTYPE/);
  });

  it('The empty HLL is "HYLL", sparse, a valid zero cache, one XZERO covering 16384 registers (createHLLObject)', () => {
    const ks = new Keyspace();
    applyCommand(ks, ['PFADD', 'hll'].map(latin1ToBytes));
    const bytes = Buffer.from((ks.get(0, latin1ToBytes('hll'))!.value as { view(): Uint8Array }).view());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('HYLL\x01');
    expect([...bytes.subarray(16)]).toEqual([0x7f, 0xff]);
    expect(bytes[15]! & 0x80).toBe(0x80); // PFADD marks the cache stale even without elements
  });

  it('A sparse HLL is promoted to dense once it would exceed hll-sparse-max-bytes (3000)', () => {
    const ks = new Keyspace();
    const els: string[] = [];
    for (let i = 0; i < 2000; i++) els.push(`ele:${i}`);
    r(ks, 'PFADD', 'hll', ...els);
    const bytes = (ks.get(0, latin1ToBytes('hll'))!.value as { view(): Uint8Array }).view();
    expect(bytes[4]).toBe(0);
    expect(bytes.byteLength).toBe(12304);
    const count = r(ks, 'PFCOUNT', 'hll') as number;
    expect(Math.abs(count - 2000) / 2000).toBeLessThan(0.05);
  });
});

describe('Streams (t_stream.c rules)', () => {
  it('XADD: 0-0 and IDs not above the top are errors; ms-* picks the next sequence', () => {
    const ks = new Keyspace();
    expect(err(ks, 'XADD', 's', '0-0', 'f', 'v')).toBe('ERR The ID specified in XADD must be greater than 0-0');
    expect(ks.size).toBe(0);
    expect(r(ks, 'XADD', 's', '5-1', 'f', 'v')).toBe('5-1');
    expect(err(ks, 'XADD', 's', '5-1', 'f', 'v')).toBe('ERR The ID specified in XADD is equal or smaller than the target stream top item');
    expect(r(ks, 'XADD', 's', '5-*', 'f', 'v')).toBe('5-2');
    expect(r(ks, 'XADD', 's', '6-*', 'f', 'v')).toBe('6-0');
    expect(r(ks, 'XADD', 'fresh', 'NOMKSTREAM', '*', 'f', 'v')).toBeNull();
    expect(r(ks, 'XADD', 's', 'MAXLEN', '2', '7-0', 'f', 'v')).toBe('7-0');
    expect(r(ks, 'XDEL', 's', '6-0', '9-9')).toBe(1);
  });

  it('XGROUP / XREADGROUP / XACK / XCLAIM move entries through the PEL', () => {
    const ks = new Keyspace();
    for (let i = 1; i <= 3; i++) r(ks, 'XADD', 's', `${i}-0`, 'f', `v${i}`);
    expect(r(ks, 'XGROUP', 'CREATE', 's', 'g', '0')).toEqual({ status: 'OK' });
    expect(err(ks, 'XGROUP', 'CREATE', 's', 'g', '0')).toBe('BUSYGROUP Consumer Group name already exists');
    expect(r(ks, 'XREADGROUP', 'GROUP', 'g', 'alice', 'COUNT', '2', 'STREAMS', 's', '>')).toEqual([['s', [['1-0', ['f', 'v1']], ['2-0', ['f', 'v2']]]]]);
    expect(r(ks, 'XACK', 's', 'g', '1-0', '9-0')).toBe(1);
    expect(r(ks, 'XCLAIM', 's', 'g', 'bob', '0', '2-0', 'JUSTID')).toEqual(['2-0']);
    expect(r(ks, 'XGROUP', 'DELCONSUMER', 's', 'g', 'bob')).toBe(1);
    expect(err(ks, 'XCLAIM', 's', 'nog', 'bob', '0', '2-0')).toMatch(/^NOGROUP/);
  });
});

describe('MULTI / EXEC and unreplayable commands', () => {
  it('EXEC runs the queued commands in order; an error inside does not undo the others', () => {
    const ks = new Keyspace();
    r(ks, 'MULTI');
    expect(r(ks, 'SET', 'a', '1')).toEqual({ status: 'QUEUED' });
    r(ks, 'LPUSH', 'a', 'x');
    r(ks, 'INCR', 'a');
    expect(r(ks, 'EXEC')).toEqual([{ status: 'OK' }, { error: 'WRONGTYPE Operation against a key holding the wrong kind of value' }, 2n]);
    expect(text(ks, 'a')).toBe('2');
    expect(err(ks, 'EXEC')).toBe('ERR EXEC without MULTI');
  });

  it('A failing command leaves the keyspace unchanged (same digest)', () => {
    const ks = new Keyspace();
    r(ks, 'RPUSH', 'l', 'a', 'b');
    const before = digestKeyspace(ks).digest;
    for (const cmd of [['INCR', 'l'], ['SET', 'l', 'x', 'EX', '0'], ['LSET', 'l', '5', 'x'], ['ZADD', 'l', '1', 'm'], ['SETRANGE', 'l', '-1', 'x']]) err(ks, ...cmd);
    expect(digestKeyspace(ks).digest).toBe(before);
  });

  it('EVAL, FCALL and unknown (module) commands throw UnsupportedCommandError naming command, file and offset', () => {
    const ks = new Keyspace();
    const ctx = { file: 'appendonly.aof', offset: 1234, index: 7 };
    expect(() => applyCommand(ks, ['EVAL', 'return 1', '0'].map(latin1ToBytes), ctx)).toThrow(UnsupportedCommandError);
    try {
      applyCommand(ks, ['BF.ADD', 'k', 'x'].map(latin1ToBytes), ctx);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UnsupportedCommandError);
      const u = e as UnsupportedCommandError;
      expect([u.command, u.file, u.offset, u.index, u.reason]).toEqual(['BF.ADD', 'appendonly.aof', 1234, 7, 'module-or-unknown']);
      expect(u.message).toMatch(/BF\.ADD.*appendonly\.aof.*1234/);
    }
  });

  it('PING, DEBUG and SCRIPT LOAD change nothing', () => {
    const ks = new Keyspace();
    for (const cmd of [['PING'], ['DEBUG', 'SLEEP', '0'], ['SCRIPT', 'LOAD', 'return 1'], ['SCRIPT', 'FLUSH']]) {
      expect(applyCommand(ks, cmd.map(latin1ToBytes)).ok).toBe(true);
    }
    expect(ks.size).toBe(0);
  });
});

describe('RESTORE (cluster.c restoreCommand): DUMP payloads of redis-server 7.0.15, decoded synchronously', () => {
  // fixtures/generated/7.0/dump-small: the DUMP reply of every key, the server's view of every key
  // (TTLs) and its DEBUG DIGEST of the whole dataset.
  const dir = join(import.meta.dirname, '../../../fixtures/generated/7.0');
  const lines = (name: string): Record<string, unknown>[] =>
    readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l !== '' && l.includes('"key"')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const dumps = lines('dump-small.dump.jsonl').map((o) => ({
    db: o['db'] as number,
    key: Buffer.from(o['key'] as string, 'base64').toString('latin1'),
    payload: Buffer.from(o['dump_b64'] as string, 'base64').toString('latin1'),
  }));
  const expireAt = new Map(lines('dump-small.expected.jsonl').map((o) => [`${o['db']}:${Buffer.from(o['key'] as string, 'base64').toString('latin1')}`, o['expire_at_ms'] as number | null]));
  const meta = JSON.parse(readFileSync(join(dir, 'dump-small.meta.json'), 'utf8')) as { digest: string };
  const ctx: CommandContext = { loading: false, now: 1_700_000_000_000, serverVersion: '7.0.15' };
  const run = (ks: Keyspace, ...args: string[]): CommandResult => applyCommand(ks, args.map(latin1ToBytes), ctx);
  const payloadOf = (key: string): string => dumps.find((d) => d.key === key)!.payload;
  /** The payload with its object replaced by `body` and a valid footer (RDB 10, CRC64). */
  const withFooter = (body: string): string => {
    const head = Buffer.concat([Buffer.from(body, 'latin1'), Buffer.from([10, 0])]);
    const crc = Buffer.alloc(8);
    crc.writeBigUInt64LE(crc64(head));
    return Buffer.concat([head, crc]).toString('latin1');
  };

  it('Every key RESTOREd (ABSTTL for the TTLs): DEBUG DIGEST equals the server\'s', () => {
    const ks = new Keyspace();
    for (const d of dumps) {
      expect(run(ks, 'SELECT', String(d.db)).ok).toBe(true);
      const at = expireAt.get(`${d.db}:${d.key}`) ?? null;
      const res = run(ks, 'RESTORE', d.key, at === null ? '0' : String(at), d.payload, ...(at === null ? [] : ['ABSTTL']));
      expect(res, d.key).toEqual({ ok: true, reply: { status: 'OK' } });
    }
    expect(ks.size).toBe(dumps.length);
    expect(digestKeyspace(ks, { serverVersion: '7.0.15' }).digest).toBe(meta.digest);
  });

  it('Values: a list, a set, a zset and a hash as the small dataset wrote them', () => {
    const ks = new Keyspace();
    for (const key of ['s:list', 's:set', 's:zset', 's:hash']) expect(run(ks, 'RESTORE', key, '0', payloadOf(key)).ok).toBe(true);
    expect(text(ks, 's:list')).toEqual(Array.from({ length: 20 }, (_, i) => `e${i}`));
    expect(text(ks, 's:set')).toEqual(Array.from({ length: 10 }, (_, i) => String(i)));
    expect(text(ks, 's:zset')).toEqual(['a', 1, 'b', 2]);
    expect(text(ks, 's:hash')).toEqual({ f: 'v', n: '1' });
  });

  it('Inside MULTI: queued, restored at EXEC', () => {
    const ks = new Keyspace();
    run(ks, 'MULTI');
    expect(run(ks, 'RESTORE', 'k', '0', payloadOf('s:str2'))).toEqual({ ok: true, reply: { status: 'QUEUED' } });
    expect(run(ks, 'EXEC')).toEqual({ ok: true, reply: [{ status: 'OK' }] });
    expect(text(ks, 'k')).toBe('c'.repeat(30));
  });

  it('Errors in restoreCommand\'s order: BUSYKEY, TTL, then the footer, then the object', () => {
    const ks = new Keyspace();
    const payload = payloadOf('s:str0');
    run(ks, 'SET', 'busy', 'x');
    expect(run(ks, 'RESTORE', 'busy', '0', 'garbage')).toEqual({ ok: false, error: 'BUSYKEY Target key name already exists.' });
    expect(run(ks, 'RESTORE', 'k', '-1', 'garbage')).toEqual({ ok: false, error: 'ERR Invalid TTL value, must be >= 0' });
    const flipped = Buffer.from(payload, 'latin1');
    flipped[2]! ^= 1;
    expect(run(ks, 'RESTORE', 'k', '0', flipped.toString('latin1'))).toEqual({ ok: false, error: 'ERR DUMP payload version or checksum are wrong' });
    expect(run(ks, 'RESTORE', 'k', '0', 'short')).toEqual({ ok: false, error: 'ERR DUMP payload version or checksum are wrong' });
    const body = payload.slice(0, -10);
    expect(run(ks, 'RESTORE', 'k', '0', withFooter(body.slice(0, -1)))).toEqual({ ok: false, error: 'ERR Bad data format' });
    expect(run(ks, 'RESTORE', 'k', '0', withFooter(`\x08${body.slice(1)}`))).toEqual({ ok: false, error: 'ERR Bad data format' });
    expect(ks.size).toBe(1);
    expect(run(ks, 'RESTORE', 'busy', '0', payload, 'REPLACE')).toEqual({ ok: true, reply: { status: 'OK' } });
    expect(text(ks, 'busy')).toBe('a'.repeat(10));
  });
});
