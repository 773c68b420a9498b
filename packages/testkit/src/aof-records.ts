// AOF bytes built from records, with every record's span, and an independent model of the verdict
// redis-check-aof prints for any prefix of them (redis/src/redis-check-aof.c checkSingleAof,
// processRESP, processAnnotations). Deliberately shares no code with packages/resp or packages/aof:
// the tests compare those packages against this model.

import { fc } from '@fast-check/vitest';

/** One AOF record: a RESP multibulk command, or a `#` annotation line (LF included). */
export type AofRecordSpec = { kind: 'command'; argv: Uint8Array[] } | { kind: 'annotation'; line: Uint8Array };

/** Where one record landed in the bytes of {@link aofBytes}. */
export type AofRecordSpan = AofRecordSpec & {
  /** 0-based position among all records. */
  record: number;
  offset: number;
  end: number;
};

/** What redis-check-aof reports for a (prefix of an) AOF. */
export interface ExpectedAofVerdict {
  /** `ok_up_to`. */
  validUpTo: number;
  /** `ok_up_to_line`: 1 + every CRLF its line reader consumed. */
  okUpToLine: number;
  /** complete; truncated (EOF inside a command, or inside an unfinished MULTI). */
  status: 'complete' | 'truncated';
  /** The MULTI left open at the end, or null. */
  openMultiAt: number | null;
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** `*<argc>\r\n` then `$<len>\r\n<bytes>\r\n` per argument: what Redis appends for a command. */
export function respCommandBytes(argv: readonly (Uint8Array | string)[]): Uint8Array {
  const parts: Uint8Array[] = [latin1(`*${argv.length}\r\n`)];
  for (const a of argv) {
    const bytes = typeof a === 'string' ? new TextEncoder().encode(a) : a;
    parts.push(latin1(`$${bytes.length}\r\n`), bytes, latin1('\r\n'));
  }
  return concat(parts);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A command record from strings (UTF-8) or bytes. */
export function aofCommand(...argv: (string | Uint8Array)[]): AofRecordSpec {
  return { kind: 'command', argv: argv.map((a) => (typeof a === 'string' ? new TextEncoder().encode(a) : a)) };
}

/** An annotation record; `\r\n` is appended unless `terminated` is false. */
export function aofAnnotation(text: string, terminated: boolean = true): AofRecordSpec {
  return { kind: 'annotation', line: latin1(terminated ? `${text}\r\n` : text) };
}

/** The bytes of the records, in order, and the span of each. */
export function aofBytes(records: readonly AofRecordSpec[]): { bytes: Uint8Array; spans: AofRecordSpan[] } {
  const parts: Uint8Array[] = [];
  const spans: AofRecordSpan[] = [];
  let at = 0;
  records.forEach((r, i) => {
    const bytes = r.kind === 'command' ? respCommandBytes(r.argv) : r.line;
    parts.push(bytes);
    spans.push({ ...r, record: i, offset: at, end: at + bytes.length });
    at += bytes.length;
  });
  return { bytes: concat(parts), spans };
}

/** The command name, lowercased (latin1), or '' for an annotation. */
export function recordName(r: AofRecordSpec): string {
  if (r.kind !== 'command' || r.argv[0] === undefined) return '';
  return String.fromCharCode(...r.argv[0]).toLowerCase();
}

/**
 * CRLFs redis-check-aof consumes in the first `present` bytes of a command: the `*<argc>` line,
 * then per argument the `$<len>` line and the bulk with its CRLF, each counted only when whole.
 */
function partialLines(argv: readonly Uint8Array[], present: number): number {
  let lines = 0;
  let at = `*${argv.length}\r\n`.length;
  if (at > present) return 0;
  lines++;
  for (const a of argv) {
    at += `$${a.length}\r\n`.length;
    if (at > present) return lines;
    lines++;
    at += a.length + 2;
    if (at > present) return lines;
    lines++;
  }
  return lines;
}

/**
 * The verdict redis-check-aof gives for the first `cut` bytes of a valid AOF made of `spans`:
 * `ok_up_to` is the loop-top position (`if (!multi) pos = ftello(fp)`) when it stops, so it is the
 * end of the last complete record outside an open MULTI. A `#` line cut before its LF is still
 * an annotation (fgets hands over what it read), so such a cut is a clean end.
 * @param spans the records of a valid AOF (every MULTI closed), contiguous from offset 0
 * @param cut how many bytes of it are present
 */
export function expectedAofVerdict(spans: readonly AofRecordSpan[], cut: number): ExpectedAofVerdict {
  let validUpTo = 0;
  let line = 1;
  let multiAt: number | null = null;
  for (const s of spans) {
    if (multiAt === null) validUpTo = s.offset;
    if (s.offset >= cut) break;
    if (s.end > cut) {
      if (s.kind === 'annotation') {
        if (multiAt === null) validUpTo = cut;
        break;
      }
      line += partialLines(s.argv, cut - s.offset);
      return { validUpTo, okUpToLine: line, status: 'truncated', openMultiAt: multiAt };
    }
    if (s.kind === 'annotation') continue;
    line += 1 + 2 * s.argv.length;
    const name = recordName(s);
    if (name === 'multi') multiAt = s.offset;
    else if (name === 'exec') multiAt = null;
  }
  if (multiAt === null) validUpTo = Math.max(validUpTo, Math.min(cut, spans.at(-1)?.end ?? 0));
  return { validUpTo, okUpToLine: line, status: multiAt === null ? 'complete' : 'truncated', openMultiAt: multiAt };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries.

const CRLF_TRAPS = ['\r\n', '\r', '\n', '\0', '*3\r\n$3\r\nSET\r\n', '$-1\r\n', '#TS:1\r\n', '\r\n\r\n'].map(latin1);

/** One argument: any bytes, weighted towards CR, LF, NUL, RESP look-alikes, invalid UTF-8, empty. */
export const aofArgArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 24 }), weight: 5 },
  { arbitrary: fc.constantFrom(...CRLF_TRAPS), weight: 2 },
  { arbitrary: fc.constantFrom(latin1('\xff\xfe'), latin1('\xc3\x28'), latin1('\xed\xa0\x80'), new Uint8Array(0)), weight: 1 },
  { arbitrary: fc.array(fc.constantFrom(...CRLF_TRAPS, latin1('x')), { maxLength: 6 }).map(concat), weight: 1 },
  { arbitrary: fc.uint8Array({ minLength: 100, maxLength: 400 }), weight: 1 },
);

/** Keys from a small pool (so that globs and repeated keys match), or random bytes. */
export const aofKeyArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.constantFrom('user:1', 'user:2', 'user:10', 'cart:1', 'cart:x', 'k', 'a*b', 'sess:\r\n', 'é').map((s) => new TextEncoder().encode(s)), weight: 4 },
  { arbitrary: fc.uint8Array({ maxLength: 8 }), weight: 1 },
);

const NAMES = ['SET', 'set', 'Set', 'DEL', 'del', 'HSET', 'RPUSH', 'SADD', 'INCR', 'MSET', 'RENAME', 'FLUSHALL', 'flushall', 'FLUSHDB', 'PEXPIREAT', 'UNKNOWNCMD'];

const isMultiOrExec = (name: Uint8Array): boolean => {
  const s = String.fromCharCode(...name).toLowerCase();
  return s === 'multi' || s === 'exec';
};

/**
 * A command other than MULTI and EXEC: a known name (in any case) with keys from
 * {@link aofKeyArb} and binary values, SELECT of a small db, or a random binary name.
 */
export const aofCommandArb: fc.Arbitrary<Uint8Array[]> = fc.oneof(
  {
    arbitrary: fc.tuple(fc.constantFrom(...NAMES), fc.array(aofKeyArb, { minLength: 1, maxLength: 3 }), fc.array(aofArgArb, { maxLength: 4 })).map(([name, keys, args]) => {
      const enc = new TextEncoder();
      const upper = name.toUpperCase();
      // Shape the arguments so that commandKeys finds the keys where Redis's key specs put them.
      if (upper === 'MSET') return [enc.encode(name), ...keys.flatMap((k, i) => [k, args[i] ?? enc.encode('v')])];
      if (upper === 'DEL') return [enc.encode(name), ...keys];
      if (upper === 'FLUSHALL' || upper === 'FLUSHDB') return [enc.encode(name)];
      return [enc.encode(name), keys[0]!, ...args];
    }),
    weight: 6,
  },
  { arbitrary: fc.integer({ min: 0, max: 15 }).map((db) => [new TextEncoder().encode('SELECT'), new TextEncoder().encode(String(db))]), weight: 1 },
  { arbitrary: fc.array(aofArgArb, { minLength: 1, maxLength: 5 }).filter((a) => !isMultiOrExec(a[0]!)), weight: 1 },
);

/** `#TS:<seconds>` lines and free comments (no LF inside, well under the 1023-byte fgets limit). */
export const aofAnnotationArb: fc.Arbitrary<AofRecordSpec> = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 32 }).map((t) => aofAnnotation(`#TS:${t}`)),
  fc.string({ maxLength: 40 }).map((s) => aofAnnotation(`#${s.replace(/[\r\n]/g, ' ')}`)),
  fc.uint8Array({ maxLength: 30 }).map((b) => ({ kind: 'annotation' as const, line: concat([latin1('#'), b.map((c) => (c === 0x0a ? 0x20 : c)), latin1('\r\n')]) })),
);

/**
 * The records of a valid AOF: top-level commands, annotations, and MULTI ... EXEC blocks of 0..4
 * commands (annotations may sit inside a block, as in a real file written across a second).
 */
export const aofRecordsArb = (options: { maxUnits?: number; annotations?: boolean } = {}): fc.Arbitrary<AofRecordSpec[]> => {
  const command = aofCommandArb.map((argv): AofRecordSpec => ({ kind: 'command', argv }));
  const inner = options.annotations === false ? command : fc.oneof({ arbitrary: command, weight: 5 }, { arbitrary: aofAnnotationArb, weight: 1 });
  const multiCase = fc.constantFrom('MULTI', 'multi', 'Multi');
  const execCase = fc.constantFrom('EXEC', 'exec');
  const block = fc.tuple(multiCase, fc.array(inner, { maxLength: 4 }), execCase).map(([m, body, e]) => [aofCommand(m), ...body, aofCommand(e)]);
  const unit = fc.oneof(
    { arbitrary: command.map((c) => [c]), weight: 6 },
    { arbitrary: block, weight: 2 },
    ...(options.annotations === false ? [] : [{ arbitrary: aofAnnotationArb.map((a) => [a]), weight: 1 }]),
  );
  return fc.array(unit, { maxLength: options.maxUnits ?? 12 }).map((units) => units.flat());
};

/**
 * Split the bytes of a complete, valid AOF (RESP commands and `#` lines, no RDB preamble) into
 * records with their spans: a small strict parser of its own, for using real server files with
 * {@link expectedAofVerdict}.
 * @throws Error at the first byte that is not a well-formed record
 */
export function parseAofRecords(bytes: Uint8Array): AofRecordSpan[] {
  const spans: AofRecordSpan[] = [];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const lineAt = (from: number, prefix: string): number => {
    const crlf = text.indexOf('\r\n', from, 'latin1');
    const s = crlf < 0 ? '' : text.toString('latin1', from, crlf);
    if (!new RegExp(`^\\${prefix}(0|[1-9][0-9]*)$`).test(s)) throw new Error(`no ${prefix}<n> line at ${from}`);
    return Number(s.slice(1));
  };
  while (at < text.length) {
    const offset = at;
    if (text[at] === 0x23) {
      const lf = text.indexOf(0x0a, at);
      const end = lf < 0 ? text.length : lf + 1;
      spans.push({ kind: 'annotation', line: bytes.subarray(at, end), record: spans.length, offset, end });
      at = end;
      continue;
    }
    const argc = lineAt(at, '*');
    at = text.indexOf('\r\n', at, 'latin1') + 2;
    const argv: Uint8Array[] = [];
    for (let i = 0; i < argc; i++) {
      const len = lineAt(at, '$');
      at = text.indexOf('\r\n', at, 'latin1') + 2;
      if (at + len + 2 > text.length || text[at + len] !== 0x0d || text[at + len + 1] !== 0x0a) throw new Error(`bad bulk at ${at}`);
      argv.push(bytes.subarray(at, at + len));
      at += len + 2;
    }
    spans.push({ kind: 'command', argv, record: spans.length, offset, end: at });
  }
  return spans;
}
