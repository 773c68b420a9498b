// SORT ... STORE: sorts a list, set or zset (numerically, or ALPHA by bytes since a STORE never
// uses strcoll), optionally by an external key pattern (BY), with LIMIT and GET patterns, and
// stores the result as a list. SORT without STORE changes nothing.
// Source of truth: redis/src/sort.c sortCommandGeneric, sortCompare, lookupKeyByPattern.

import { ERR, fail, isOpt, lookupKey, parseLong, setKey } from '../exec-context.js';
import { isString, ListValue, stringText, typeOf } from '../values.js';
import { strtodWhole } from '../zset-range.js';

import type { CommandTable, Exec } from '../exec-context.js';
import type { Reply } from '../reply.js';
import type { HashValue, SetValue, StringValue } from '../values.js';
import type { ZsetValue } from '../zset-value.js';

/** lookupKeyByPattern: `#` is the element itself; `*` is replaced; `->field` reads a hash. */
function lookupByPattern(x: Exec, pattern: string, subst: string): string | null {
  const nul = pattern.indexOf('\0');
  const spat = nul === -1 ? pattern : pattern.slice(0, nul);
  if (spat === '#') return subst;
  const star = spat.indexOf('*');
  if (star === -1) return null;
  const arrow = spat.indexOf('->', star + 1);
  let field: string | null = null;
  let postfixEnd = pattern.length;
  if (arrow !== -1 && arrow + 2 < spat.length) {
    field = pattern.slice(arrow + 2);
    postfixEnd = arrow;
  }
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, postfixEnd);
  const v = lookupKey(x, key);
  if (v === undefined) return null;
  if (field !== null) {
    if (typeOf(v) !== 'hash') return null;
    return (v as HashValue).map.get(field) ?? null;
  }
  if (!isString(v)) return null;
  return stringText(v as StringValue);
}

const DBL_MIN = 2.2250738585072014e-308;

/**
 * Whether glibc's strtod would set ERANGE: overflow to ±inf from a finite-looking text, or a tiny
 * result (subnormal, or zero from nonzero digits). SORT treats that as a conversion error.
 */
function strtodRangeError(text: string, v: number): boolean {
  if (!Number.isFinite(v)) return !/inf/i.test(text);
  if (v !== 0) return Math.abs(v) < DBL_MIN;
  return /[1-9]/.test(text.replace(/[eE].*$/, '').replace(/^\s*0[xX]/, ''));
}

interface SortItem {
  obj: string;
  score: number;
  cmp: string | null;
}

const compareBytes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** @see redis/src/sort.c sortCommandGeneric */
function sort(x: Exec): Reply {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const gets: string[] = [];
  for (let j = 2; j < x.argv.length; j++) {
    const left = x.argv.length - j - 1;
    const opt = x.argv[j];
    if (isOpt(opt, 'asc')) desc = false;
    else if (isOpt(opt, 'desc')) desc = true;
    else if (isOpt(opt, 'alpha')) alpha = true;
    else if (isOpt(opt, 'limit') && left >= 2) {
      limitStart = parseLong(x, x.argv[j + 1]!);
      limitCount = parseLong(x, x.argv[j + 2]!);
      j += 2;
    } else if (isOpt(opt, 'store') && left >= 1) storekey = x.argv[++j]!;
    else if (isOpt(opt, 'by') && left >= 1) {
      sortby = x.argv[++j]!;
      const nul = sortby.indexOf('\0');
      if ((nul === -1 ? sortby : sortby.slice(0, nul)).indexOf('*') === -1) dontsort = true;
    } else if (isOpt(opt, 'get') && left >= 1) gets.push(x.argv[++j]!);
    else fail(ERR.syntax);
  }
  const v = lookupKey(x, x.argv[1]!);
  const type = v === undefined ? 'list' : typeOf(v);
  if (type !== 'list' && type !== 'set' && type !== 'zset') fail(ERR.wrongType);
  if (storekey === null) return null;
  if (dontsort && type === 'set') {
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  let elements: string[];
  if (v === undefined) elements = [];
  else if (type === 'list') elements = (v as ListValue).toArray();
  else if (type === 'set') elements = [...(v as SetValue).set];
  else elements = [...(v as ZsetValue).index].map(([m]) => m);
  let vectorlen = elements.length;
  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  limitCount = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = limitCount < 0 ? vectorlen : start + limitCount;
  if (end > vectorlen) end = vectorlen;
  let vector: SortItem[];
  if (dontsort && (type === 'list' || type === 'zset')) {
    const ordered = desc ? elements.slice().reverse() : elements;
    vector = ordered.slice(start, end).map((obj) => ({ obj, score: 0, cmp: null }));
    end -= start;
    start = 0;
    vectorlen = vector.length;
  } else {
    vector = elements.map((obj) => ({ obj, score: 0, cmp: null }));
  }
  if (!dontsort) {
    let conversionError = false;
    for (const item of vector) {
      let byval: string | null;
      if (sortby !== null) {
        byval = lookupByPattern(x, sortby, item.obj);
        if (byval === null) continue;
      } else byval = item.obj;
      if (alpha) {
        if (sortby !== null) item.cmp = byval;
      } else {
        const score = strtodWhole(byval);
        if (score === null || strtodRangeError(byval, score)) conversionError = true;
        else item.score = score;
      }
    }
    if (conversionError) fail("ERR One or more scores can't be converted into double");
    const sign = desc ? -1 : 1;
    vector.sort((a, b) => {
      let cmp: number;
      if (!alpha) cmp = a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.obj, b.obj);
      else if (sortby !== null) {
        if (a.cmp === null || b.cmp === null) cmp = a.cmp === b.cmp ? 0 : a.cmp === null ? -1 : 1;
        else cmp = compareBytes(a.cmp, b.cmp);
      } else cmp = compareBytes(a.obj, b.obj);
      return sign * cmp;
    });
  }
  const out: string[] = [];
  for (let j = start; j < end; j++) {
    const item = vector[j]!;
    if (gets.length === 0) out.push(item.obj);
    else for (const g of gets) out.push(lookupByPattern(x, g, item.obj) ?? '');
  }
  if (out.length > 0) setKey(x.db, storekey, new ListValue(out));
  else x.db.delete(storekey);
  return out.length;
}

/** SORT by lowercase name, with Redis's arity. */
export const SORT_COMMANDS: CommandTable = {
  sort: { arity: -2, fn: sort },
};
