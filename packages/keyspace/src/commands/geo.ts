// Geo commands that write: GEOADD (ZADD with 52-bit interleaved geohash scores) and the STORE /
// STOREDIST forms of GEORADIUS, GEORADIUSBYMEMBER and GEOSEARCHSTORE.
// Source of truth: redis/src/geo.c (geoaddCommand, georadiusGeneric, geoWithinShape),
// redis/src/geohash.c (geohashEncode, geohashDecode, interleave64), redis/src/geohash_helper.c
// (geohashGetDistance, geohashGetDistanceIfInRectangle).
//
// Matching members are found by testing every member of the zset with Redis's distance test,
// where Redis tests the members of the 9 geohash boxes around the centre: the same set except in
// the rare cases where Redis's boxes miss a point inside the radius. With ANY, Redis keeps the
// first COUNT matches in box order; here the COUNT nearest are kept.

import { ERR, fail, isOpt, lookupKey, parseDouble, parseLongLong, setKey } from '../exec-context.js';
import { typeOf } from '../values.js';
import { zsetFromEntries } from '../zset-range.js';
import { ZSET_COMMANDS } from './zset.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';
import type { ZsetValue } from '../zset-value.js';

const GEO_STEP_MAX = 26;
const GEO_LAT_MIN = -85.05112878;
const GEO_LAT_MAX = 85.05112878;
const GEO_LONG_MIN = -180;
const GEO_LONG_MAX = 180;
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const D_R = Math.PI / 180.0;

/** interleave64(lat, long) as a double: latitude bits at even positions, longitude at odd. */
function interleave64(xlo: number, ylo: number): number {
  let r = 0;
  let mul = 1;
  for (let i = 0; i < 32; i++) {
    r += ((xlo >>> i) & 1) * mul;
    mul *= 2;
    r += ((ylo >>> i) & 1) * mul;
    mul *= 2;
  }
  return r;
}

/** The even (offset 0) or odd (offset 1) bits of a 64-bit integer held in a double, squashed. */
function squash(bits: number, offset: number): number {
  let r = 0;
  let v = Math.floor(bits / 2 ** offset);
  for (let i = 0; i < 32 && v > 0; i++) {
    r += (v % 2) * 2 ** i;
    v = Math.floor(v / 4);
  }
  return r;
}

/**
 * The 52-bit geohash score of a point.
 * @see redis/src/geohash.c geohashEncode; redis/src/geo.c geoaddCommand
 */
export function geohashScore(longitude: number, latitude: number): number {
  let latOffset = (latitude - GEO_LAT_MIN) / (GEO_LAT_MAX - GEO_LAT_MIN);
  let longOffset = (longitude - GEO_LONG_MIN) / (GEO_LONG_MAX - GEO_LONG_MIN);
  latOffset *= 2 ** GEO_STEP_MAX;
  longOffset *= 2 ** GEO_STEP_MAX;
  // (uint32_t) conversion of a double: truncation.
  return interleave64(Math.trunc(latOffset) >>> 0, Math.trunc(longOffset) >>> 0);
}

/**
 * The centre of the geohash cell of a score, clamped to the valid range.
 * @see redis/src/geohash.c geohashDecode, geohashDecodeAreaToLongLat
 */
export function decodeGeohashScore(score: number): [longitude: number, latitude: number] | null {
  if (!Number.isFinite(score) || score < 0 || score >= 2 ** 64) return null;
  const bits = Math.trunc(score);
  const ilato = squash(bits, 0);
  const ilono = squash(bits, 1);
  const latScale = GEO_LAT_MAX - GEO_LAT_MIN;
  const longScale = GEO_LONG_MAX - GEO_LONG_MIN;
  const div = 2 ** GEO_STEP_MAX;
  const latMin = GEO_LAT_MIN + ((ilato * 1.0) / div) * latScale;
  const latMax = GEO_LAT_MIN + (((ilato + 1) * 1.0) / div) * latScale;
  const lonMin = GEO_LONG_MIN + ((ilono * 1.0) / div) * longScale;
  const lonMax = GEO_LONG_MIN + (((ilono + 1) * 1.0) / div) * longScale;
  let x = (lonMin + lonMax) / 2;
  if (x > GEO_LONG_MAX) x = GEO_LONG_MAX;
  if (x < GEO_LONG_MIN) x = GEO_LONG_MIN;
  let y = (latMin + latMax) / 2;
  if (y > GEO_LAT_MAX) y = GEO_LAT_MAX;
  if (y < GEO_LAT_MIN) y = GEO_LAT_MIN;
  return [x, y];
}

function latDistance(lat1d: number, lat2d: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(lat2d * D_R - lat1d * D_R);
}

/** Haversine distance in meters. @see redis/src/geohash_helper.c geohashGetDistance */
export function geoDistance(lon1d: number, lat1d: number, lon2d: number, lat2d: number): number {
  const lon1r = lon1d * D_R;
  const lon2r = lon2d * D_R;
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1d, lat2d);
  const lat1r = lat1d * D_R;
  const lat2r = lat2d * D_R;
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/** extractLongLatOrReply. */
function longLat(x: Exec, lonText: string, latText: string): [number, number] {
  const lon = parseDouble(x, lonText);
  const lat = parseDouble(x, latText);
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    fail(`ERR invalid longitude,latitude pair ${lon.toFixed(6)},${lat.toFixed(6)}`);
  }
  return [lon, lat];
}

/** extractUnitOrReply: meters per unit. */
function unit(text: string): number {
  const u = text.toLowerCase();
  if (u === 'm') return 1;
  if (u === 'km') return 1000;
  if (u === 'ft') return 0.3048;
  if (u === 'mi') return 1609.34;
  fail('ERR unsupported unit provided. please use M, KM, FT, MI');
}

/** @see redis/src/geo.c geoaddCommand (rewritten into ZADD) */
function geoadd(x: Exec): Reply {
  let longidx = 2;
  let xx = false;
  let nx = false;
  for (; longidx < x.argv.length; longidx++) {
    const opt = x.argv[longidx];
    if (isOpt(opt, 'nx')) nx = true;
    else if (isOpt(opt, 'xx')) xx = true;
    else if (isOpt(opt, 'ch')) continue;
    else break;
  }
  if ((x.argv.length - longidx) % 3 !== 0 || (xx && nx)) fail(ERR.syntax);
  const argv: string[] = ['zadd', ...x.argv.slice(1, longidx)];
  for (let i = longidx; i < x.argv.length; i += 3) {
    const [lon, lat] = longLat(x, x.argv[i]!, x.argv[i + 1]!);
    argv.push(String(geohashScore(lon, lat)), x.argv[i + 2]!);
  }
  return ZSET_COMMANDS['zadd']!.fn({ ...x, argv });
}

interface Shape {
  circle: boolean;
  xy: [number, number];
  radius: number;
  width: number;
  height: number;
  conversion: number;
}

/** The member's decoded position, or "could not decode requested zset member". */
function memberLongLat(z: ZsetValue, member: string): [number, number] {
  const score = z.dict.get(member);
  const xy = score === undefined ? null : decodeGeohashScore(score);
  if (xy === null) fail('ERR could not decode requested zset member');
  return xy;
}

const RADIUS_COORDS = 1;
const RADIUS_MEMBER = 2;
const GEOSEARCH = 4;

/** @see redis/src/geo.c georadiusGeneric (the STORE paths; other forms change nothing) */
function georadiusGeneric(x: Exec, srcKeyIndex: number, flags: number): Reply {
  const src = lookupKey(x, x.argv[srcKeyIndex]!);
  if (src !== undefined && typeOf(src) !== 'zset') fail(ERR.wrongType);
  const z = src as ZsetValue | undefined;
  const shape: Shape = { circle: true, xy: [0, 0], radius: 0, width: 0, height: 0, conversion: 1 };
  let storekey: string | null = null;
  let storedist = false;
  let baseArgs: number;
  if (flags & RADIUS_COORDS) {
    baseArgs = 6;
    shape.xy = longLat(x, x.argv[2]!, x.argv[3]!);
    shape.radius = distanceArg(x, x.argv[4]!, 'need numeric radius');
    shape.conversion = unit(x.argv[5]!);
  } else if (flags & RADIUS_MEMBER) {
    baseArgs = 5;
    if (z !== undefined) {
      shape.xy = memberLongLat(z, x.argv[2]!);
      shape.radius = distanceArg(x, x.argv[3]!, 'need numeric radius');
      shape.conversion = unit(x.argv[4]!);
    }
  } else {
    baseArgs = 3;
    storekey = x.argv[1]!;
  }
  let withOpt = false;
  let frommember = false;
  let fromloc = false;
  let byradius = false;
  let bybox = false;
  let sort: 'none' | 'asc' | 'desc' = 'none';
  let any = false;
  let count = 0;
  const remaining = x.argv.length - baseArgs;
  for (let i = 0; i < remaining; i++) {
    const arg = x.argv[baseArgs + i]!;
    const at = baseArgs + i;
    if (isOpt(arg, 'withdist') || isOpt(arg, 'withhash') || isOpt(arg, 'withcoord')) withOpt = true;
    else if (isOpt(arg, 'any')) any = true;
    else if (isOpt(arg, 'asc')) sort = 'asc';
    else if (isOpt(arg, 'desc')) sort = 'desc';
    else if (isOpt(arg, 'count') && i + 1 < remaining) {
      const c = parseLongLong(x, x.argv[at + 1]!);
      if (c <= 0n) fail('ERR COUNT must be > 0');
      count = Number(c);
      i++;
    } else if ((isOpt(arg, 'store') || isOpt(arg, 'storedist')) && i + 1 < remaining && !(flags & GEOSEARCH)) {
      storekey = x.argv[at + 1]!;
      storedist = isOpt(arg, 'storedist');
      i++;
    } else if (isOpt(arg, 'storedist') && flags & GEOSEARCH) storedist = true;
    else if (isOpt(arg, 'frommember') && i + 1 < remaining && flags & GEOSEARCH && !fromloc) {
      if (z !== undefined) shape.xy = memberLongLat(z, x.argv[at + 1]!);
      frommember = true;
      i++;
    } else if (isOpt(arg, 'fromlonlat') && i + 2 < remaining && flags & GEOSEARCH && !frommember) {
      shape.xy = longLat(x, x.argv[at + 1]!, x.argv[at + 2]!);
      fromloc = true;
      i += 2;
    } else if (isOpt(arg, 'byradius') && i + 2 < remaining && flags & GEOSEARCH && !bybox) {
      shape.radius = distanceArg(x, x.argv[at + 1]!, 'need numeric radius');
      shape.conversion = unit(x.argv[at + 2]!);
      shape.circle = true;
      byradius = true;
      i += 2;
    } else if (isOpt(arg, 'bybox') && i + 3 < remaining && flags & GEOSEARCH && !byradius) {
      const w = parseDouble(x, x.argv[at + 1]!, 'ERR need numeric width');
      const h = parseDouble(x, x.argv[at + 2]!, 'ERR need numeric height');
      if (h < 0 || w < 0) fail('ERR height or width cannot be negative');
      shape.width = w;
      shape.height = h;
      shape.conversion = unit(x.argv[at + 3]!);
      shape.circle = false;
      bybox = true;
      i += 3;
    } else fail(ERR.syntax);
  }
  if (storekey !== null && withOpt) {
    fail(`ERR ${flags & GEOSEARCH ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS'} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
  }
  if (flags & GEOSEARCH && !(frommember || fromloc)) fail(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${x.argv[0]}`);
  if (flags & GEOSEARCH && !(byradius || bybox)) fail(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${x.argv[0]}`);
  if (any && !count) fail('ERR the ANY argument requires COUNT argument');
  if (storekey === null) return [];
  if (z === undefined) {
    x.db.delete(storekey);
    return 0;
  }
  if (count !== 0 && sort === 'none' && !any) sort = 'asc';
  const found: { member: string; score: number; dist: number }[] = [];
  for (const [member, score] of z.index) {
    const xy = decodeGeohashScore(score);
    if (xy === null) continue;
    let dist: number;
    if (shape.circle) {
      dist = geoDistance(shape.xy[0], shape.xy[1], xy[0], xy[1]);
      if (dist > shape.radius * shape.conversion) continue;
    } else {
      if (latDistance(xy[1], shape.xy[1]) > (shape.height * shape.conversion) / 2) continue;
      if (geoDistance(xy[0], xy[1], shape.xy[0], xy[1]) > (shape.width * shape.conversion) / 2) continue;
      dist = geoDistance(shape.xy[0], shape.xy[1], xy[0], xy[1]);
    }
    found.push({ member, score, dist });
  }
  if (sort === 'asc' || any) found.sort((a, b) => a.dist - b.dist);
  else if (sort === 'desc') found.sort((a, b) => b.dist - a.dist);
  const returned = count === 0 || found.length < count ? found.length : count;
  const entries: [string, number][] = [];
  for (let i = 0; i < returned; i++) {
    const gp = found[i]!;
    entries.push([gp.member, storedist ? gp.dist / shape.conversion : gp.score]);
  }
  if (returned === 0) {
    x.db.delete(storekey);
    return 0;
  }
  setKey(x.db, storekey, zsetFromEntries(x, entries));
  return returned;
}

/** extractDistanceOrReply's number: non-negative. */
function distanceArg(x: Exec, text: string, msg: string): number {
  const d = parseDouble(x, text, `ERR ${msg}`);
  if (d < 0) fail('ERR radius cannot be negative');
  return d;
}

/** Geo commands by lowercase name, with Redis's arity. */
export const GEO_COMMANDS: CommandTable = {
  geoadd: { arity: -5, fn: geoadd },
  georadius: { arity: -6, fn: (x) => georadiusGeneric(x, 1, RADIUS_COORDS) },
  georadiusbymember: { arity: -5, fn: (x) => georadiusGeneric(x, 1, RADIUS_MEMBER) },
  geosearchstore: { arity: -8, fn: (x) => georadiusGeneric(x, 2, GEOSEARCH) },
};
