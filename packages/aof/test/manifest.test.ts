// Manifests: malformed and hostile ones are refused with MANIFEST_* reason codes, through
// parseManifest and through every entry point of resolveAof/openAof, without touching anything
// outside the AOF directory; formatManifest writes names as Redis 7.0.15 does, and parseManifest
// reads back whatever it wrote.
//
// How "nothing outside is touched" is established, two ways:
// 1. Every function of node:fs and node:fs/promises is wrapped (vi.mock) to record its path
//    arguments; the AOF package reaches the file system only through those two modules, so the
//    record is complete. A control case checks the record does see the manifest and the files.
// 2. A canary file outside the directory (the target of the traversal names) gets atime = mtime =
//    2001-01-01; with relatime (Linux's default) any read of it moves atime to now. A control
//    canary that is read on purpose must move; the real canary must not, and its bytes stay.
// chmod 000 would prove nothing: the tests may run as root, which reads it anyway.

import { mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';

import { fc, test } from '@fast-check/vitest';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { FormatError } from '@redis-forensics/core';
import { formatManifest, isSafeAofFileName, openAof, parseManifest, planTruncate, resolveAof, splitArgs, writeEditedAof } from '@redis-forensics/aof';
import { collect } from '@redis-forensics/testkit';

import type { AofInfo, AofManifest } from '@redis-forensics/aof';

const touched = vi.hoisted(() => ({ paths: [] as string[] }));

/** Record the path arguments of one fs call: the first argument, and the second of two-path calls. */
const record = vi.hoisted(() => (name: string, args: unknown[]): void => {
  const n = /^(rename|copyFile|cp|link|symlink)/.test(name) ? 2 : 1;
  for (const a of args.slice(0, n)) if (typeof a === 'string' || a instanceof URL || Buffer.isBuffer(a)) touched.paths.push(a instanceof URL ? a.pathname : String(a));
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const orig = await importOriginal<Record<string, unknown>>();
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(orig)) {
    wrapped[name] = typeof value === 'function' && /^[a-z]/.test(name)
      ? (...args: unknown[]) => {
        record(name, args);
        return (value as (...a: unknown[]) => unknown)(...args);
      }
      : value;
  }
  return { ...wrapped, default: wrapped };
});

vi.mock('node:fs', async (importOriginal) => {
  const orig = await importOriginal<Record<string, unknown>>();
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(orig)) {
    // Classes (ReadStream, Stats, ...) and the promises namespace are passed through as they are.
    wrapped[name] = typeof value === 'function' && /^[a-z]/.test(name)
      ? (...args: unknown[]) => {
        record(name, args);
        return (value as (...a: unknown[]) => unknown)(...args);
      }
      : value;
  }
  return { ...wrapped, default: wrapped };
});

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

function formatError(fn: () => unknown): FormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a FormatError');
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// A sandbox: <root>/canary (outside) and <root>/aofdir/{manifest, a valid base and incr}.

interface Sandbox {
  root: string;
  dir: string;
  manifest: string;
  canary: string;
  canaryBytes: Buffer;
}

const OLD = new Date('2001-01-01T00:00:00Z');

function sandbox(manifestText: string | Uint8Array): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'rfx-manifest-'));
  const dir = join(root, 'aofdir');
  mkdirSync(dir);
  const canary = join(root, 'canary');
  const canaryBytes = Buffer.from('*1\r\n$4\r\nPING\r\n'); // a valid AOF: readable if anything opened it
  writeFileSync(canary, canaryBytes);
  utimesSync(canary, OLD, OLD);
  writeFileSync(join(dir, 'appendonly.aof.1.base.aof'), '');
  writeFileSync(join(dir, 'appendonly.aof.1.incr.aof'), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
  const manifest = join(dir, 'appendonly.aof.manifest');
  writeFileSync(manifest, typeof manifestText === 'string' ? Buffer.from(manifestText, 'latin1') : manifestText);
  touched.paths.length = 0;
  return { root, dir, manifest, canary, canaryBytes };
}

/** Recorded paths that are neither the directory nor inside it. */
function outside(s: Sandbox): string[] {
  return touched.paths.filter((p) => {
    const abs = resolve(p);
    return abs !== s.dir && !abs.startsWith(s.dir + sep);
  });
}

function canaryUntouched(s: Sandbox): void {
  const st = statSync(s.canary);
  expect(st.atimeMs).toBe(OLD.getTime());
  expect(readFileSync(s.canary).equals(s.canaryBytes)).toBe(true);
}

beforeEach(() => {
  touched.paths.length = 0;
});

describe('the two detectors work', () => {
  it('Control, fs record: a valid manifest read through openAof records the manifest and both files', async () => {
    const s = sandbox('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    const events = await collect(openAof(s.dir));
    expect(events.filter((e) => e.type === 'command')).toHaveLength(1);
    const inside = touched.paths.map((p) => resolve(p));
    expect(inside).toContain(s.manifest);
    expect(inside).toContain(join(s.dir, 'appendonly.aof.1.incr.aof'));
    expect(outside(s)).toEqual([]);
    // ... and it records paths outside too, when something goes there.
    await collect(openAof(s.canary));
    expect(outside(s)).toContain(s.canary);
  });

  it('Control, atime: reading a canary prepared the same way moves its atime (relatime is in force)', () => {
    const s = sandbox('');
    readFileSync(s.canary);
    expect(statSync(s.canary).atimeMs, `reading ${s.canary} did not move its atime: ${tmpdir()} is mounted noatime, where the canary's atime proves nothing`).toBeGreaterThan(OLD.getTime());
  });
});

// ---------------------------------------------------------------------------------------------

/** [what, manifest text ({canary} = absolute canary path), code from the directory entry point]. */
const HOSTILE: [string, string, string][] = [
  ['traversal ../canary', 'file ../canary seq 1 type b\n', 'MANIFEST_UNSAFE_NAME'],
  ['traversal as incr', 'file appendonly.aof.1.base.aof seq 1 type b\nfile ../canary seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['traversal in history', 'file appendonly.aof.1.base.aof seq 1 type b\nfile ../canary seq 1 type h\nfile appendonly.aof.1.incr.aof seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['absolute /etc/passwd', 'file /etc/passwd seq 1 type b\n', 'MANIFEST_UNSAFE_NAME'],
  ['absolute path of the canary', 'file {canary} seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['a/b', 'file a/b seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['..', 'file .. seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['.', 'file . seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['quoted traversal with \\x2f', 'file "..\\x2fcanary" seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['quoted .. with \\x2e', 'file "\\x2e\\x2e" seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['single-quoted traversal', "file '../canary' seq 1 type i\n", 'MANIFEST_UNSAFE_NAME'],
  ['NUL in the name', 'file "appendonly.aof.1.incr.aof\\x00../canary" seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['backslash in the name', 'file "..\\\\canary" seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['bare backslash', 'file ..\\canary seq 1 type i\n', 'MANIFEST_UNSAFE_NAME'],
  ['duplicate file', 'file appendonly.aof.1.incr.aof seq 1 type i\nfile appendonly.aof.1.incr.aof seq 2 type i\n', 'MANIFEST_BAD_LINE'],
  ['incr also listed as base', 'file appendonly.aof.1.incr.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n', 'MANIFEST_BAD_LINE'],
  ['two bases', 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 2 type b\n', 'MANIFEST_BAD_LINE'],
  ['non-monotonic incr seq', 'file appendonly.aof.2.incr.aof seq 2 type i\nfile appendonly.aof.1.incr.aof seq 1 type i\n', 'MANIFEST_BAD_LINE'],
  ['repeated incr seq', 'file appendonly.aof.1.base.aof seq 1 type i\nfile appendonly.aof.1.incr.aof seq 1 type i\n', 'MANIFEST_BAD_LINE'],
  ['missing seq', 'file appendonly.aof.1.incr.aof type i x y\n', 'MANIFEST_BAD_LINE'],
  ['seq 0', 'file appendonly.aof.1.incr.aof seq 0 type i\n', 'MANIFEST_BAD_LINE'],
  ['seq not a number', 'file appendonly.aof.1.incr.aof seq x type i\n', 'MANIFEST_BAD_LINE'],
  ['missing type', 'file appendonly.aof.1.incr.aof seq 1 x y\n', 'MANIFEST_BAD_LINE'],
  ['missing file', 'seq 1 type i x y\n', 'MANIFEST_BAD_LINE'],
  ['unknown type', 'file appendonly.aof.1.incr.aof seq 1 type x\n', 'MANIFEST_BAD_LINE'],
  ['odd token count', 'file appendonly.aof.1.incr.aof seq 1 type i x\n', 'MANIFEST_BAD_LINE'],
  ['too few tokens', 'file appendonly.aof.1.incr.aof seq 1\n', 'MANIFEST_BAD_LINE'],
  ['unterminated double quote', 'file "appendonly.aof.1.incr.aof seq 1 type i\n', 'MANIFEST_BAD_LINE'],
  ['unterminated single quote', "file 'appendonly.aof.1.incr.aof seq 1 type i\n", 'MANIFEST_BAD_LINE'],
  ['closing quote glued to the next token', 'file "appendonly.aof.1.incr.aof"seq 1 type i\n', 'MANIFEST_BAD_LINE'],
  ['last line without \\n', 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i', 'MANIFEST_BAD_LINE'],
  ['only line without \\n', 'file appendonly.aof.1.incr.aof seq 1 type i', 'MANIFEST_BAD_LINE'],
  ['line of 1025 bytes', `file appendonly.aof.1.incr.aof seq 1 type i ${'x'.repeat(1025 - 44 - 5)} yyy\n`, 'MANIFEST_BAD_LINE'],
  ['comment line of 2000 bytes', `#${'c'.repeat(2000)}\nfile appendonly.aof.1.incr.aof seq 1 type i\n`, 'MANIFEST_BAD_LINE'],
  ['blank line', 'file appendonly.aof.1.incr.aof seq 1 type i\n   \n', 'MANIFEST_BAD_LINE'],
  ['empty file', '', 'MANIFEST_BAD_LINE'],
  ['comment-only file', '# written by hand\n# nothing else\n', 'MANIFEST_MISSING_BASE'],
  ['history only', 'file appendonly.aof.1.incr.aof seq 1 type h\n', 'MANIFEST_MISSING_BASE'],
  ['a listed file that is missing', 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.9.incr.aof seq 9 type i\n', 'MANIFEST_MISSING_FILE'],
  ['a name too long to exist', `file ${'n'.repeat(300)} seq 1 type i\n`, 'MANIFEST_MISSING_FILE'],
];

describe('hostile and malformed manifests', () => {
  it('The line-length case: 1025 bytes long, LF included', () => {
    expect(HOSTILE.find((h) => h[0] === 'line of 1025 bytes')![1]).toHaveLength(1025);
  });

  it.each(HOSTILE)('%s: %j from the directory is refused with the reason code, nothing outside touched', async (_what, text, code) => {
    const s = sandbox('');
    writeFileSync(s.manifest, Buffer.from(text.replace('{canary}', s.canary), 'latin1'));
    touched.paths.length = 0; // the test's own write above
    const viaResolve = await rejection(resolveAof(s.dir));
    expect(viaResolve).toBeInstanceOf(FormatError);
    expect((viaResolve as FormatError).code).toBe(code);
    const viaOpen = await rejection(collect(openAof(s.dir)));
    expect((viaOpen as FormatError).code).toBe(code);
    // A file inside the directory as the entry point: the manifest is not usable, so it is read
    // as a single file (redis-check-aof has no such entry point), or refused; never anything else.
    const viaFile = await rejection(resolveAof(join(s.dir, 'appendonly.aof.1.incr.aof')));
    expect(viaFile === undefined || viaFile instanceof FormatError).toBe(true);
    expect(outside(s)).toEqual([]);
    canaryUntouched(s);
  });

  it.each(HOSTILE.filter(([, text]) => /^(#[^\n]*\n)*file/.test(text)))('%s: the manifest itself as the entry point is refused the same way', async (_what, text, code) => {
    const s = sandbox('');
    writeFileSync(s.manifest, Buffer.from(text.replace('{canary}', s.canary), 'latin1'));
    touched.paths.length = 0; // the test's own write above
    const e = await rejection(resolveAof(s.manifest));
    expect((e as FormatError).code).toBe(code);
    expect(outside(s)).toEqual([]);
    canaryUntouched(s);
  });

  it.each(HOSTILE.filter(([, , code]) => code === 'MANIFEST_UNSAFE_NAME' || code === 'MANIFEST_BAD_LINE'))('%s: parseManifest alone throws the same code, at the offending line', (_what, text, code) => {
    const e = formatError(() => parseManifest(latin1(text.replace('{canary}', '/tmp/canary'))));
    expect(e.code).toBe(code);
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(text.length);
  });

  it("A comment-only manifest: parseManifest lists no files, as Redis's parser does (refusing it is resolveAof's job)", () => {
    expect(parseManifest(latin1('# a\n#b\n'))).toEqual({ baseAofInfo: null, incrAofList: [], historyAofList: [] });
  });

  it('Line length: 1024 bytes with the LF is accepted, as fgets(buf, 1025) reads it whole', () => {
    const pad = 1024 - 'file appendonly.aof.1.incr.aof seq 1 type i x \n'.length;
    const line = `file appendonly.aof.1.incr.aof seq 1 type i x ${'y'.repeat(pad)}\n`;
    expect(line).toHaveLength(1024);
    expect(parseManifest(latin1(line)).incrAofList).toEqual([{ fileName: 'appendonly.aof.1.incr.aof', fileSeq: 1, fileType: 'i' }]);
  });

  it('Unknown keys, key case, CRLF endings and comments: ignored as Redis ignores them', () => {
    const m = parseManifest(latin1('# hi\r\nFILE appendonly.aof.1.base.rdb SEQ 1 TYPE b future x\r\nfile appendonly.aof.1.incr.aof seq 1 type incr\n'));
    expect(m).toEqual({
      baseAofInfo: { fileName: 'appendonly.aof.1.base.rdb', fileSeq: 1, fileType: 'b' },
      incrAofList: [{ fileName: 'appendonly.aof.1.incr.aof', fileSeq: 1, fileType: 'i' }],
      historyAofList: [],
    });
  });

  // Lines built from fragments: valid lines, hostile names, broken quoting, junk. Whatever the
  // result, it is a MANIFEST_* FormatError or a layout of files inside the directory, and the
  // canary is never touched.
  const nameArb = fc.constantFrom('appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof', '../canary', '..', '.', '/etc/passwd', 'a/b', '"..\\x2fcanary"', '"a b"', "'q'", '"\\x00"', '..\\canary', 'missing.aof', '"x', "'y");
  const lineArb = fc.oneof(
    fc.tuple(nameArb, fc.integer({ min: -1, max: 3 }), fc.constantFrom('b', 'i', 'h', 'x', 'base', 'incr')).map(([n, seq, t]) => `file ${n} seq ${seq} type ${t}\n`),
    fc.constantFrom('# comment\n', '\n', 'file\n', 'seq 1 type i file x\n', 'file a seq 1 type i', ' \t\n'),
    fc.string({ maxLength: 30 }).map((s) => `${s}\n`),
  );
  test.prop([fc.array(lineArb, { maxLength: 6 })], { numRuns: 150 })('Fuzzed manifests: a MANIFEST_* FormatError or files inside the directory; nothing outside touched', async (lines) => {
    const s = sandbox(lines.join(''));
    touched.paths.length = 0;
    try {
      const layout = await resolveAof(s.dir);
      expect(layout.kind).toBe('multi-part');
      for (const f of layout.kind === 'multi-part' ? [...layout.files, ...layout.history] : []) expect(resolve(f.path).startsWith(s.dir + sep)).toBe(true);
      await collect(openAof(s.dir, {}, layout));
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
      expect((e as FormatError).code).toMatch(/^MANIFEST_/);
    }
    expect(outside(s)).toEqual([]);
    canaryUntouched(s);
  });
});

// ---------------------------------------------------------------------------------------------

describe('formatManifest / parseManifest', () => {
  // Written by redis-server 7.0.15 for these appendfilename values (see the integration test
  // test/aof-manifest.integration.test.ts, which regenerates them).
  const REDIS_LINES: [string, string][] = [
    ['a b.aof.1.incr.aof', 'file "a b.aof.1.incr.aof" seq 1 type i\n'],
    ['q"x.aof.1.incr.aof', 'file "q\\"x.aof.1.incr.aof" seq 1 type i\n'],
    ['u\xc3\xa9.aof.1.incr.aof', 'file "u\\xc3\\xa9.aof.1.incr.aof" seq 1 type i\n'],
    ['t\tx.aof.1.incr.aof', 'file "t\\tx.aof.1.incr.aof" seq 1 type i\n'],
    ['c\x01\x7f.aof.1.incr.aof', 'file "c\\x01\\x7f.aof.1.incr.aof" seq 1 type i\n'],
    ["'s.aof.1.incr.aof", "file 's.aof.1.incr.aof seq 1 type i\n"],
    ['appendonly.aof.1.incr.aof', 'file appendonly.aof.1.incr.aof seq 1 type i\n'],
  ];

  it.each(REDIS_LINES)('Name %j: written exactly as Redis 7.0.15 writes it', (name, line) => {
    const out = formatManifest({ baseAofInfo: null, historyAofList: [], incrAofList: [{ fileName: name, fileSeq: 1, fileType: 'i' }] });
    expect(Buffer.from(out).toString('latin1')).toBe(line);
  });

  it("A name with ' written bare (Redis does not quote it): unreadable, MANIFEST_BAD_LINE, as Redis 7.0.15 itself fails to restart with \"Invalid AOF manifest file format\"", () => {
    expect(formatError(() => parseManifest(latin1("file 's.aof.1.incr.aof seq 1 type i\n"))).code).toBe('MANIFEST_BAD_LINE');
    // Inside double quotes (when the name needs quoting anyway) the ' is harmless.
    expect(parseManifest(latin1("file \"it's x\" seq 1 type i\n")).incrAofList[0]!.fileName).toBe("it's x");
  });

  it('Order: base, then history, then incr files, whatever the order given', () => {
    const m: AofManifest = {
      incrAofList: [{ fileName: 'i2', fileSeq: 2, fileType: 'i' }, { fileName: 'i3', fileSeq: 3, fileType: 'i' }],
      historyAofList: [{ fileName: 'h1', fileSeq: 1, fileType: 'h' }],
      baseAofInfo: { fileName: 'b2', fileSeq: 2, fileType: 'b' },
    };
    expect(Buffer.from(formatManifest(m)).toString('latin1')).toBe('file b2 seq 2 type b\nfile h1 seq 1 type h\nfile i2 seq 2 type i\nfile i3 seq 3 type i\n');
  });

  /** File names as latin1 strings (one char per byte), leaning to bytes that need quoting. */
  const fileNameArb = fc
    .array(
      fc.oneof(
        { arbitrary: fc.constantFrom('a', 'o', '.', '1', '-', '_'), weight: 6 },
        { arbitrary: fc.constantFrom(' ', '"', '\\', '\t', '\n', '\r', '\x07', '\b', '\v', '\f', '\0', '/', '#', '$', '*'), weight: 3 },
        { arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), weight: 2 },
        { arbitrary: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), weight: 1 },
      ),
      { minLength: 1, maxLength: 40 },
    )
    .map((cs) => cs.join(''));

  test.prop([fileNameArb], { numRuns: 500 })('Any name without \': sdssplitargs of the written line gives the name back, byte for byte', (name) => {
    const line = Buffer.from(formatManifest({ baseAofInfo: null, historyAofList: [], incrAofList: [{ fileName: name, fileSeq: 7, fileType: 'i' }] })).toString('latin1');
    expect(line.endsWith(' seq 7 type i\n')).toBe(true);
    expect(line.split('\n')).toHaveLength(2);
    expect(splitArgs(line.slice(0, -1))).toEqual(['file', name, 'seq', '7', 'type', 'i']);
  });

  test.prop([fc.uniqueArray(fileNameArb, { minLength: 1, maxLength: 6 }), fc.boolean(), fc.integer({ min: 0, max: 2 })], { numRuns: 400 })(
    'Random manifests: parseManifest(formatManifest(m)) = m when every name is a plain file name; MANIFEST_UNSAFE_NAME otherwise',
    (names, withBase, history) => {
      const infos = names.map((fileName, i): AofInfo => ({ fileName, fileSeq: i + 1, fileType: 'i' }));
      const m: AofManifest = {
        baseAofInfo: withBase ? { ...infos[0]!, fileType: 'b' } : null,
        historyAofList: infos.slice(withBase ? 1 : 0, (withBase ? 1 : 0) + history).map((x) => ({ ...x, fileType: 'h' })),
        incrAofList: infos.slice((withBase ? 1 : 0) + history),
      };
      const bytes = formatManifest(m);
      if (names.every(isSafeAofFileName)) expect(parseManifest(bytes)).toEqual(m);
      else expect(formatError(() => parseManifest(bytes)).code).toBe('MANIFEST_UNSAFE_NAME');
    },
  );
});

describe('non-ASCII file names', () => {
  it('UTF-8 names (as Redis writes them, \\x-escaped): the files are found and read, and a rewritten manifest keeps the bytes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'rfx-utf8-'));
    const dir = join(root, 'appendonlydir');
    mkdirSync(dir);
    writeFileSync(join(dir, 'données.aof.1.base.aof'), '*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n');
    writeFileSync(join(dir, 'données.aof.1.incr.aof'), '*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$1\r\n2\r\n');
    writeFileSync(join(dir, 'données.aof.2.incr.aof'), '*3\r\n$3\r\nSET\r\n$1\r\nc\r\n$1\r\n3\r\n');
    const manifest = 'file "donn\\xc3\\xa9es.aof.1.base.aof" seq 1 type b\nfile "donn\\xc3\\xa9es.aof.1.incr.aof" seq 1 type i\nfile "donn\\xc3\\xa9es.aof.2.incr.aof" seq 2 type i\n';
    writeFileSync(join(dir, 'données.aof.manifest'), manifest, 'latin1');
    const events = await collect(openAof(dir));
    expect(events.filter((e) => e.type === 'file').map((e) => (e.type === 'file' ? e.file : ''))).toEqual(['données.aof.1.base.aof', 'données.aof.1.incr.aof', 'données.aof.2.incr.aof']);
    expect(events.filter((e) => e.type === 'command')).toHaveLength(3);
    // Cutting at the second command (the first incr file) drops the last incr file from a rewritten manifest.
    const t = await planTruncate(dir, { toIndex: 1 });
    expect(t.droppedFiles).toEqual([join(dir, 'données.aof.2.incr.aof')]);
    await writeEditedAof(t.plan, { output: join(root, 'out') });
    expect(readFileSync(join(root, 'out', 'données.aof.manifest'), 'latin1')).toBe(manifest.split('\n').slice(0, 2).join('\n') + '\n');
  });
});
