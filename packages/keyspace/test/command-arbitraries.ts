// Test helper: fast-check arbitraries of write commands over a small key space (7 keys, 2 dbs), for
// the differential test against redis-server 7.0. Arguments are latin1 strings (one char per
// byte). Values are drawn from small pools so that commands collide: wrong types, existing
// members, integer and float edge cases, expire times far in the future, in the past, relative.

import fc from 'fast-check';

/** One step: a command, or a MULTI block of commands. */
export type Step =
  | { kind: 'cmd'; argv: string[] }
  | { kind: 'multi'; cmds: string[][] }
  | { kind: 'restore'; src: string; argv: string[] }
  | { kind: 'seq'; cmds: string[][] }
  | { kind: 'fnrestore'; policy: string[] };

// Each family mostly uses its own key (so that structures build up: groups with PELs, long lists),
// and sometimes one of the shared keys (so that types collide: WRONGTYPE, RENAME over other types).
const SHARED = ['k0', 'k1', '\x00k\xff'];
const familyKey = (own: string): fc.Arbitrary<string> =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(own) }, { weight: 1, arbitrary: fc.constantFrom(...SHARED) });
export const keyArb: fc.Arbitrary<string> = fc.constantFrom(...SHARED, 'str', 'list', 'set', 'zset', 'hash', 'stream', 'hll', 'geo');
const strKey = familyKey('str');
const listKey = familyKey('list');
const setKey = familyKey('set');
const zsetKey = familyKey('zset');
const hashKey = familyKey('hash');
const streamKey = familyKey('stream');
const hllKey = familyKey('hll');
const geoKey = familyKey('geo');
const valueArb = fc.oneof(
  fc.constantFrom('', 'a', 'b', 'hello', 'x'.repeat(70), '\x00\xff\r\n', '0', '1', '-1', '10', '007', ' 42', '3.5', '-2.25', '1e3', '0x10',
    '9223372036854775807', '-9223372036854775808', '9223372036854775808', 'inf', '-inf', 'nan', '1.7976931348623157e308', '5e-324'),
  fc.integer({ min: -1000, max: 1000 }).map(String),
);
const memberArb = fc.constantFrom('a', 'b', 'c', 'd', 'e', '1', '2', '10', '-3', '\xff', 'long'.repeat(20));
const scoreArb = fc.oneof(
  fc.integer({ min: -10, max: 10 }).map(String),
  fc.constantFrom('1.5', '-2.25', 'inf', '-inf', '+inf', '0', '-0', '1e300', '0.1', '(1', 'nan', 'abc', '3.000000001'),
);
const intArb = fc.oneof(fc.integer({ min: -6, max: 6 }).map(String), fc.constantFrom('100', '-100', '9223372036854775807', '-9223372036854775808', 'x', '1.5'));
const smallCount = fc.oneof(fc.integer({ min: 0, max: 5 }).map(String), fc.constantFrom('-1', 'x'));
const FUTURE_S = 4102444800; // 2100-01-01
const relSecondsArb = fc.oneof(fc.integer({ min: 1, max: 100 }).map((n) => String(n * 1000)), fc.constantFrom('-1', '0', 'x'));
const relMsArb = fc.oneof(fc.integer({ min: 1, max: 100 }).map((n) => String(n * 1_000_000)), fc.constantFrom('-1', '0'));
const absSecondsArb = fc.oneof(fc.integer({ min: 0, max: 1000 }).map((n) => String(FUTURE_S + n * 7)), fc.constantFrom('1', '0'));
const absMsArb = fc.oneof(fc.integer({ min: 0, max: 1000 }).map((n) => String(FUTURE_S * 1000 + n * 7001)), fc.constantFrom('1', '0'));
const expireCond = fc.constantFrom<string[]>([], [], ['NX'], ['XX'], ['GT'], ['LT'], ['NX', 'XX']);
const fieldArb = fc.constantFrom('f1', 'f2', 'f3', 'n', '\x00');
const streamIdArb = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 3 })).map(([a, b]) => `${a}-${b}`),
  fc.integer({ min: 0, max: 30 }).map(String),
  fc.constantFrom('0-0', '-', '+', 'x'),
);
const groupArb = fc.constantFrom('g1', 'g2');
const consumerArb = fc.constantFrom('alice', 'bob', 'carol', 'dave');
const dbArb = fc.constantFrom('0', '1', '2', '16', 'x');
const lonArb = fc.oneof(fc.double({ min: -180, max: 180, noNaN: true }).map((d) => d.toFixed(5)), fc.constantFrom('13.361389', '15.087269', '200'));
const latArb = fc.oneof(fc.double({ min: -85, max: 85, noNaN: true }).map((d) => d.toFixed(5)), fc.constantFrom('38.115556', '37.502669', '86'));
const unitArb = fc.constantFrom('m', 'km', 'mi', 'ft');
const LIBS = [
  "#!lua name=lib1\nredis.register_function('f1', function(keys, args) return 1 end)",
  "#!lua name=lib2\nredis.register_function('f2', function(keys, args) return 2 end)",
];

type Part = fc.Arbitrary<string> | fc.Arbitrary<readonly string[]> | string;
const opt = (a: fc.Arbitrary<readonly string[]>): fc.Arbitrary<string[]> => fc.oneof(fc.constant([] as string[]), a.map((x) => [...x]));
const c = (...parts: Part[]): fc.Arbitrary<string[]> =>
  fc.tuple(...parts.map((p) => (typeof p === 'string' ? fc.constant(p) : p))).map((xs) => (xs as (string | readonly string[])[]).flat());
const many = (a: fc.Arbitrary<string[]>, max = 3): fc.Arbitrary<string[]> => fc.array(a, { minLength: 1, maxLength: max }).map((xs) => xs.flat());

const stringCmds = [
  c('SET', strKey, valueArb, opt(fc.constantFrom(['NX'], ['XX'], ['GET'], ['NX', 'GET'], ['XX', 'GET'])),
    opt(fc.oneof(c('EX', relSecondsArb), c('PX', relMsArb), c('EXAT', absSecondsArb), c('PXAT', absMsArb), fc.constant(['KEEPTTL'])))),
  c('SETNX', strKey, valueArb),
  c('SETEX', strKey, relSecondsArb, valueArb),
  c('PSETEX', strKey, relMsArb, valueArb),
  c('GETSET', strKey, valueArb),
  c('GETDEL', strKey),
  c('GETEX', strKey, opt(fc.oneof(c('EX', relSecondsArb), c('PXAT', absMsArb), fc.constant(['PERSIST'])))),
  c('MSET', many(c(strKey, valueArb))),
  c('MSETNX', many(c(strKey, valueArb))),
  c('APPEND', strKey, valueArb),
  c('SETRANGE', strKey, fc.constantFrom('0', '1', '5', '100', '-1'), valueArb),
  c('INCR', strKey),
  c('DECR', strKey),
  c('INCRBY', strKey, intArb),
  c('DECRBY', strKey, intArb),
  c('INCRBYFLOAT', strKey, fc.constantFrom('0.1', '-0.1', '1.5', '3', '1e3', '-5', '1.7976931348623157e308', '0x10', 'inf', 'x', '2.5e-10', '10.50')),
  c('SETBIT', strKey, fc.constantFrom('0', '7', '8', '100', '-1'), fc.constantFrom('0', '1', '2')),
  c('BITOP', fc.constantFrom('AND', 'OR', 'XOR', 'NOT', 'BAD'), strKey, many(strKey.map((k) => [k]), 2)),
  c('BITFIELD', strKey, many(fc.oneof(
    c('GET', fc.constantFrom('i8', 'u4', 'i64', 'u63', 'i65'), fc.constantFrom('0', '5', '#1')),
    c('SET', fc.constantFrom('i8', 'u4', 'u8', 'i16'), fc.constantFrom('0', '3', '#2'), intArb),
    c('INCRBY', fc.constantFrom('i8', 'u4', 'u2'), fc.constantFrom('0', '4', '#1'), intArb),
    c('OVERFLOW', fc.constantFrom('WRAP', 'SAT', 'FAIL')),
  ), 3)),
];

const keyCmds = [
  c(fc.constantFrom('DEL', 'UNLINK'), many(keyArb.map((k) => [k]), 2)),
  c(fc.constantFrom('EXPIRE'), keyArb, relSecondsArb, expireCond),
  c(fc.constantFrom('PEXPIRE'), keyArb, relMsArb, expireCond),
  c(fc.constantFrom('EXPIREAT'), keyArb, absSecondsArb, expireCond),
  c(fc.constantFrom('PEXPIREAT'), keyArb, absMsArb, expireCond),
  c('PERSIST', keyArb),
  c(fc.constantFrom('RENAME', 'RENAMENX'), keyArb, keyArb),
  c('MOVE', keyArb, dbArb),
  c('COPY', keyArb, keyArb, opt(fc.constantFrom(['REPLACE'], ['DB', '1'], ['DB', '0', 'REPLACE'], ['DB', '99']))),
];

const dbCmds = [
  c('SWAPDB', fc.constantFrom('0', '1'), fc.constantFrom('0', '1', '20')),
  c('SELECT', fc.constantFrom('0', '1')),
  c('FLUSHDB'),
];

const listCmds = [
  c(fc.constantFrom('LPUSH', 'RPUSH', 'LPUSHX', 'RPUSHX'), listKey, many(valueArb.map((v) => [v]), 4)),
  c('LINSERT', listKey, fc.constantFrom('BEFORE', 'AFTER', 'x'), valueArb, valueArb),
  c('LSET', listKey, intArb, valueArb),
  c('LREM', listKey, intArb, valueArb),
  c('LTRIM', listKey, intArb, intArb),
  c(fc.constantFrom('LPOP', 'RPOP'), listKey, opt(smallCount.map((n) => [n]))),
  c('RPOPLPUSH', listKey, listKey),
  c('LMOVE', listKey, listKey, fc.constantFrom('LEFT', 'RIGHT'), fc.constantFrom('LEFT', 'RIGHT', 'UP')),
  c('BLMOVE', listKey, listKey, fc.constantFrom('LEFT', 'RIGHT'), fc.constantFrom('LEFT', 'RIGHT'), '0.01'),
  c(fc.constantFrom('BLPOP', 'BRPOP'), many(listKey.map((k) => [k]), 2), '0.01'),
  c('LMPOP', fc.constantFrom('1', '2'), listKey, listKey, fc.constantFrom('LEFT', 'RIGHT'), opt(c('COUNT', smallCount))),
  c('BLMPOP', '0.01', '1', listKey, fc.constantFrom('LEFT', 'RIGHT'), opt(c('COUNT', smallCount))),
  c('BRPOPLPUSH', listKey, listKey, '0.01'),
  c('SORT', listKey, opt(fc.constantFrom(['ALPHA'], ['DESC'], ['ALPHA', 'DESC'], ['BY', 'nosort'], ['LIMIT', '1', '2'], ['BY', 'k*'], ['GET', '#'])), 'STORE', listKey),
];

const setCmds = [
  c('SADD', setKey, many(memberArb.map((m) => [m]), 4)),
  c('SREM', setKey, many(memberArb.map((m) => [m]), 3)),
  c('SPOP', setKey, opt(smallCount.map((n) => [n]))),
  c('SMOVE', setKey, setKey, memberArb),
  c(fc.constantFrom('SINTERSTORE', 'SUNIONSTORE', 'SDIFFSTORE'), setKey, many(setKey.map((k) => [k]), 3)),
];

const zsetCmds = [
  c('ZADD', zsetKey, opt(fc.constantFrom(['NX'], ['XX'], ['GT'], ['LT'], ['CH'], ['XX', 'GT', 'CH'], ['INCR'], ['NX', 'INCR'], ['GT', 'LT'])),
    many(c(scoreArb, memberArb), 3)),
  c('ZINCRBY', zsetKey, scoreArb, memberArb),
  c('ZREM', zsetKey, many(memberArb.map((m) => [m]), 3)),
  c('ZREMRANGEBYSCORE', zsetKey, scoreArb, scoreArb),
  c('ZREMRANGEBYRANK', zsetKey, intArb, intArb),
  c('ZREMRANGEBYLEX', zsetKey, fc.constantFrom('-', '[a', '(b', '[1', 'x'), fc.constantFrom('+', '[c', '(d', '[10')),
  c(fc.constantFrom('ZPOPMIN', 'ZPOPMAX'), zsetKey, opt(smallCount.map((n) => [n]))),
  c(fc.constantFrom('BZPOPMIN', 'BZPOPMAX'), many(zsetKey.map((k) => [k]), 2), '0.01'),
  c('ZMPOP', '2', zsetKey, zsetKey, fc.constantFrom('MIN', 'MAX'), opt(c('COUNT', smallCount))),
  c('BZMPOP', '0.01', '1', zsetKey, fc.constantFrom('MIN', 'MAX'), opt(c('COUNT', smallCount))),
  c(fc.constantFrom('ZUNIONSTORE', 'ZINTERSTORE'), zsetKey, '2', zsetKey, zsetKey,
    opt(c('WEIGHTS', fc.constantFrom('1', '2', '-1', '0', 'inf'), fc.constantFrom('1', '0.5', 'x'))),
    opt(c('AGGREGATE', fc.constantFrom('SUM', 'MIN', 'MAX')))),
  c('ZDIFFSTORE', zsetKey, '2', zsetKey, zsetKey),
  c('ZRANGESTORE', zsetKey, zsetKey, fc.constantFrom('0', '1', '-1', '(1', '-inf', '[a', '-'), fc.constantFrom('-1', '2', '+inf', '(5', '[c', '+'),
    opt(fc.constantFrom(['BYSCORE'], ['BYLEX'], ['REV'], ['BYSCORE', 'REV'], ['BYSCORE', 'LIMIT', '1', '2'], ['BYLEX', 'REV', 'LIMIT', '0', '1']))),
];

const hashCmds = [
  c(fc.constantFrom('HSET', 'HMSET'), hashKey, many(c(fieldArb, valueArb), 3)),
  c('HSETNX', hashKey, fieldArb, valueArb),
  c('HDEL', hashKey, many(fieldArb.map((f) => [f]), 2)),
  c('HINCRBY', hashKey, fieldArb, intArb),
  c('HINCRBYFLOAT', hashKey, fieldArb, fc.constantFrom('0.1', '-1.5', '3', 'inf', '1e10', 'x')),
];

const streamCmds = [
  c('XADD', streamKey, opt(fc.constantFrom(['NOMKSTREAM'], ['MAXLEN', '3'], ['MAXLEN', '~', '2'], ['MINID', '5'], ['MAXLEN', '=', '1'], ['MAXLEN', '~', '1', 'LIMIT', '1'], ['MINID', '~', '3'])),
    fc.oneof(streamIdArb, fc.constantFrom('*', '7-*', '40-*')), many(c(fieldArb, valueArb), 2)),
  c('XDEL', streamKey, many(streamIdArb.map((i) => [i]), 2)),
  c('XTRIM', streamKey, fc.constantFrom(['MAXLEN', '2'], ['MINID', '10'], ['MAXLEN', '~', '1'], ['MINID', '=', '3-0'], ['LIMIT', '2'])),
  c('XSETID', streamKey, streamIdArb, opt(fc.constantFrom(['ENTRIESADDED', '50'], ['MAXDELETEDID', '5-0'], ['ENTRIESADDED', '1', 'MAXDELETEDID', '0-1']))),
  c('XGROUP', 'CREATE', streamKey, groupArb, fc.constantFrom('$', '0', '0', '5-0', '100'), fc.constantFrom(['MKSTREAM'], ['MKSTREAM'], [], ['ENTRIESREAD', '2'], ['MKSTREAM', 'ENTRIESREAD', '-1'])),
  c('XREADGROUP', 'GROUP', groupArb, consumerArb, 'STREAMS', streamKey, '>'),
  c('XGROUP', 'SETID', streamKey, groupArb, fc.constantFrom('$', '0', '5-0'), opt(fc.constantFrom(['ENTRIESREAD', '3']))),
  c('XGROUP', fc.constantFrom('DESTROY'), streamKey, groupArb),
  c('XGROUP', fc.constantFrom('CREATECONSUMER', 'DELCONSUMER'), streamKey, groupArb, consumerArb),
  c('XACK', streamKey, groupArb, many(streamIdArb.map((i) => [i]), 2)),
  c('XCLAIM', streamKey, groupArb, consumerArb, fc.constantFrom('0', '3600000'), many(streamIdArb.map((i) => [i]), 2),
    opt(fc.constantFrom(['FORCE'], ['JUSTID'], ['IDLE', '1000'], ['TIME', '1600000000000'], ['RETRYCOUNT', '5'], ['LASTID', '20-0'], ['FORCE', 'JUSTID', 'RETRYCOUNT', '2']))),
  c('XAUTOCLAIM', streamKey, groupArb, consumerArb, fc.constantFrom('0', '3600000'), fc.constantFrom('0', '5-0', '(3-0'), opt(fc.constantFrom(['COUNT', '1'], ['JUSTID'], ['COUNT', '2', 'JUSTID']))),
  c('XREADGROUP', 'GROUP', groupArb, consumerArb, opt(fc.constantFrom(['COUNT', '2'], ['NOACK'], ['COUNT', '1', 'NOACK'])), 'STREAMS', streamKey, fc.constantFrom('>', '>', '0', '5-0')),
];

const otherCmds = [
  c('PFADD', hllKey, opt(many(fc.constantFrom('a', 'b', 'c', 'hello', 'x1', 'x2', 'x3', 'x4').map((m) => [m]), 4))),
  c('PFMERGE', hllKey, many(hllKey.map((k) => [k]), 2)),
  c('PFCOUNT', hllKey),
  c('GEOADD', geoKey, opt(fc.constantFrom(['NX'], ['XX'], ['CH'])), many(c(lonArb, latArb, memberArb), 2)),
  c('GEOSEARCHSTORE', keyArb, geoKey, fc.oneof(c('FROMLONLAT', lonArb, latArb), c('FROMMEMBER', memberArb)),
    fc.oneof(c('BYRADIUS', fc.constantFrom('100', '1000', '5000'), unitArb), c('BYBOX', fc.constantFrom('100', '4000'), fc.constantFrom('200', '4000'), unitArb)),
    opt(fc.constantFrom(['ASC'], ['DESC'], ['COUNT', '1'], ['STOREDIST'], ['COUNT', '2', 'DESC', 'STOREDIST']))),
  c('GEORADIUS', geoKey, lonArb, latArb, fc.constantFrom('200', '5000'), 'km', fc.constantFrom('STORE', 'STOREDIST'), keyArb),
  c('GEORADIUSBYMEMBER', geoKey, memberArb, fc.constantFrom('200', '5000'), 'km', fc.constantFrom('STORE', 'STOREDIST'), keyArb),
  c('FUNCTION', 'LOAD', opt(fc.constant(['REPLACE'])), fc.constantFrom(...LIBS)),
  c('FUNCTION', 'DELETE', fc.constantFrom('lib1', 'lib2')),
  c('FUNCTION', 'FLUSH'),
];

/** Any single write command of the families above. */
export const commandArb: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 4, arbitrary: fc.oneof(...stringCmds) },
  { weight: 3, arbitrary: fc.oneof(...keyCmds) },
  { weight: 1, arbitrary: fc.oneof(...dbCmds) },
  { weight: 3, arbitrary: fc.oneof(...listCmds) },
  { weight: 2, arbitrary: fc.oneof(...setCmds) },
  { weight: 3, arbitrary: fc.oneof(...zsetCmds) },
  { weight: 2, arbitrary: fc.oneof(...hashCmds) },
  { weight: 6, arbitrary: fc.oneof(...streamCmds) },
  { weight: 2, arbitrary: fc.oneof(...otherCmds) },
);

/** Command sequences that build structures the random commands then work on. */
const setupArb: fc.Arbitrary<string[][]> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 12 }), groupArb, consumerArb, fc.constantFrom('1', '2', '5'), fc.boolean(), fc.integer({ min: 0, max: 7 })).map(([n, g, consumer, count, noack, extra]) => {
    const cmds: string[][] = [];
    for (let i = 1; i <= n; i++) cmds.push(['XADD', 'stream', `${i * 2}-${i % 3}`, i % 4 === 0 ? 'g' : 'f1', `v${i}`, ...(i % 5 === 0 ? ['f2', 'x'] : [])]);
    cmds.push(['XGROUP', 'CREATE', 'stream', g, '0', 'MKSTREAM']);
    cmds.push(['XREADGROUP', 'GROUP', g, consumer, 'COUNT', count, ...(noack ? ['NOACK'] : []), 'STREAMS', 'stream', '>']);
    cmds.push(['XREADGROUP', 'GROUP', g, 'bob', 'COUNT', count, 'STREAMS', 'stream', '>']);
    if (extra & 1) cmds.push(['XCLAIM', 'stream', g, 'carol', '0', '2-1', '4-2', '6-0', ...(extra & 4 ? ['JUSTID'] : ['RETRYCOUNT', '3'])]);
    if (extra & 2) cmds.push(['XAUTOCLAIM', 'stream', g, 'dave', '0', '0', 'COUNT', '2', ...(extra & 4 ? ['JUSTID'] : [])]);
    if (extra & 4) cmds.push(['XDEL', 'stream', '4-2']);
    return cmds;
  }),
  fc.array(valueArb, { minLength: 1, maxLength: 8 }).map((vs) => [['RPUSH', 'list', ...vs]]),
  // Big HLLs: sparse -> dense promotion, merges of dense and sparse, cached counts.
  fc.tuple(fc.integer({ min: 50, max: 3000 }), fc.integer({ min: 0, max: 1000 }), familyKey('hll')).map(([n, off, key]) => [
    ['PFADD', key, ...Array.from({ length: n }, (_, i) => `e${i + off}`)],
    ['PFCOUNT', key],
    ['PFMERGE', 'hll', key, 'k0'],
  ]),
  // Big streams: several listpack nodes (100 entries / 4096 bytes), then approximate trimming.
  fc.tuple(fc.integer({ min: 50, max: 350 }), fc.integer({ min: 0, max: 600 }), fc.constantFrom(
    ['XTRIM', 'stream', 'MAXLEN', '~', '120'], ['XTRIM', 'stream', 'MINID', '~', '150-0'], ['XTRIM', 'stream', 'MAXLEN', '~', '10', 'LIMIT', '100'],
    ['XADD', 'stream', 'MAXLEN', '~', '50', '*', 'f', 'v'], ['XTRIM', 'stream', 'MAXLEN', '=', '7'], ['XDEL', 'stream', '1-0', '2-0', '3-0'],
  )).map(([n, big, trim]) => {
    const cmds: string[][] = [['DEL', 'stream']];
    for (let i = 1; i <= n; i++) cmds.push(['XADD', 'stream', `${i}-0`, ...(i % 7 === 0 ? ['a', 'x', 'b', 'y'] : ['f', i % 11 === 0 ? 'x'.repeat(big) : String(i)])]);
    cmds.push([...trim], ['XTRIM', 'stream', 'MAXLEN', '~', '0']);
    return cmds;
  }),
  // Big zsets: listpack -> skiplist, -0 scores on both sides of the conversion.
  fc.tuple(fc.integer({ min: 100, max: 200 }), fc.boolean()).map(([n, neg]) => [
    ['ZADD', 'zset', ...Array.from({ length: n }, (_, i) => [i % 13 === 0 ? (neg ? '-0' : '0') : String(i / 4), `m${i}`]).flat()],
    ['ZADD', 'zset', '-0', 'm1', '-0', 'newmember'],
    ['ZUNIONSTORE', 'zset2', '1', 'zset'],
  ]),
  fc.array(fc.tuple(scoreArb.filter((x) => x !== 'nan' && x !== 'abc' && x !== '(1'), memberArb), { minLength: 1, maxLength: 8 }).map((ps) => [['ZADD', 'zset', ...ps.flat()]]),
  fc.array(fc.tuple(fieldArb, valueArb), { minLength: 1, maxLength: 5 }).map((ps) => [['HSET', 'hash', ...ps.flat()]]),
  fc.array(memberArb, { minLength: 1, maxLength: 6 }).map((ms) => [['SADD', 'set', ...ms]]),
);

/** A step: mostly single commands, sometimes a MULTI block, a setup sequence or a RESTORE of another key's DUMP. */
export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 20, arbitrary: commandArb.map((argv): Step => ({ kind: 'cmd', argv })) },
  { weight: 2, arbitrary: fc.array(commandArb, { minLength: 1, maxLength: 4 }).map((cmds): Step => ({ kind: 'multi', cmds })) },
  { weight: 2, arbitrary: setupArb.map((cmds): Step => ({ kind: 'seq', cmds })) },
  { weight: 1, arbitrary: fc.constantFrom([], ['APPEND'], ['REPLACE'], ['FLUSH'], ['BAD']).map((policy): Step => ({ kind: 'fnrestore', policy: [...policy] })) },
  {
    weight: 1,
    arbitrary: fc.tuple(keyArb, keyArb, fc.constantFrom(['0'], ['0', 'REPLACE'], [String(FUTURE_S * 1000), 'ABSTTL', 'REPLACE'], ['100000', 'REPLACE']))
      .map(([src, dst, rest]): Step => ({ kind: 'restore', src, argv: ['RESTORE', dst, rest[0]!, '<payload>', ...rest.slice(1)] })),
  },
);
