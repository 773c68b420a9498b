import { describe, expect, it } from 'vitest';

import { commandKeys } from '@redis-forensics/aof';

const keys = (...argv: string[]): string[] => commandKeys(argv.map((a) => Buffer.from(a))).map((k) => Buffer.from(k).toString());

describe('commandKeys', () => {
  it.each([
    [['SET', 'k', 'v', 'PXAT', '1'], ['k']],
    [['mset', 'a', '1', 'b', '2'], ['a', 'b']],
    [['DEL', 'a', 'b', 'c'], ['a', 'b', 'c']],
    [['RENAME', 'a', 'b'], ['a', 'b']],
    [['BLPOP', 'a', 'b', '0'], ['a', 'b']],
    [['BITOP', 'AND', 'dst', 's1', 's2'], ['dst', 's1', 's2']],
    [['SUNIONSTORE', 'dst', 's1', 's2'], ['dst', 's1', 's2']],
    [['ZUNIONSTORE', 'dst', '2', 'a', 'b', 'WEIGHTS', '1', '2'], ['dst', 'a', 'b']],
    [['LMPOP', '2', 'a', 'b', 'LEFT'], ['a', 'b']],
    [['BZMPOP', '0', '1', 'z', 'MIN'], ['z']],
    [['EVAL', 'return 1', '1', 'k', 'arg'], ['k']],
    [['SORT', 'src', 'BY', 'x', 'STORE', 'dst'], ['src', 'dst']],
    [['GEORADIUS', 'g', '0', '0', '1', 'km', 'STORE', 'dst'], ['g', 'dst']],
    [['XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', 's1', 's2', '>', '>'], ['s1', 's2']],
    [['XGROUP', 'CREATE', 's', 'g', '$'], ['s']],
    [['MIGRATE', 'h', 'p', '', '0', '5', 'KEYS', 'a', 'b'], ['a', 'b']],
    [['SELECT', '1'], []],
    [['FLUSHALL'], []],
  ])('%j: keys %j', (argv, expected) => {
    expect(keys(...argv)).toEqual(expected);
  });
});
