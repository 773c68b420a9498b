// The AOF cases of the fixture corpus, and an independent scan of AOF bytes for the oracles of
// the AOF command tests: a few lines of RESP parsing that share no code with @redis-forensics/aof.

import { Buffer } from 'node:buffer';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CORPUS_DIR } from './corpus.js';

/** meta.json of an AOF case (the fields the tests use). */
export interface AofCaseMeta {
  check: { rc: number; tail: string[] };
  flushall_at?: { file: string; offset: number; length: number }[];
  truncated?: { bytes_removed: number; file: string; new_size: number };
}

/** One AOF of the corpus. */
export interface AofCase {
  version: string;
  /** Case name: aof-plain, aof-flushall, ... */
  name: string;
  /** The .aof file or .aofdir directory. */
  path: string;
  multiPart: boolean;
  meta: AofCaseMeta;
}

/** Every AOF of the corpus, by version then case name. */
export function corpusAofCases(): AofCase[] {
  const out: AofCase[] = [];
  for (const version of readdirSync(CORPUS_DIR).sort()) {
    const dir = join(CORPUS_DIR, version);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.aof') && !f.endsWith('.aofdir')) continue;
      const name = f.replace(/\.aof(dir)?$/, '');
      const meta = JSON.parse(readFileSync(join(dir, `${name}.meta.json`), 'utf8')) as AofCaseMeta;
      out.push({ version, name, path: join(dir, f), multiPart: f.endsWith('.aofdir'), meta });
    }
  }
  return out;
}

/** The AOF of one case. */
export function corpusAof(version: string, name: string): AofCase {
  const c = corpusAofCases().find((x) => x.version === version && x.name === name);
  if (c === undefined) throw new Error(`no ${name} for ${version} in the corpus`);
  return c;
}

/** redis-check-aof's last "AOF analyzed" line, parsed. */
export interface AnalyzedLine {
  filename: string | null;
  size: number;
  okUpTo: number;
  line: number | null;
  diff: number;
}

/** Parse the last "AOF analyzed: ..." line of a text (the tool's output, or rfx's). */
export function lastAnalyzedLine(lines: readonly string[]): AnalyzedLine | null {
  for (const l of [...lines].reverse()) {
    const m = /AOF analyzed: (?:filename=([^,]*), )?size=(\d+), ok_up_to=(\d+)(?:, ok_up_to_line=(\d+))?, diff=(\d+)/.exec(l);
    if (m !== null) {
      return { filename: m[1] ?? null, size: Number(m[2]), okUpTo: Number(m[3]), line: m[4] === undefined ? null : Number(m[4]), diff: Number(m[5]) };
    }
  }
  return null;
}

const scratchDirs: string[] = [];

/** A fresh temp directory, removed by {@link removeScratch}. */
export function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rfx-aof-'));
  scratchDirs.push(dir);
  return dir;
}

/** Remove every directory made by {@link scratchDir} and {@link copyAof} (call it in afterAll). */
export function removeScratch(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of a corpus AOF in a fresh temp directory; returns the copy's path. */
export function copyAof(path: string, name: string = path.endsWith('.aofdir') ? 'in.aofdir' : 'in.aof'): string {
  const dir = scratchDir();
  const to = join(dir, name);
  cpSync(path, to, { recursive: true });
  return to;
}

/** A command found by {@link scanAof}. */
export interface ScannedCommand {
  /** File name inside the dir (multi-part) or '' for a single file. */
  file: string;
  index: number;
  offset: number;
  end: number;
  argv: Buffer[];
  db: number;
  time: number | null;
}

/** The files Redis loads, in order: the manifest's base then incr files, or the single file. */
export function loadedFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const manifest = readdirSync(path).find((n) => n.endsWith('.manifest'))!;
  const lines = readFileSync(join(path, manifest), 'utf8').split('\n').filter((l) => l.startsWith('file '));
  const parsed = lines.map((l) => {
    const m = /^file (\S+) seq (\d+) type ([bhi])$/.exec(l.trim())!;
    return { name: m[1]!, seq: Number(m[2]), type: m[3]! };
  });
  return [...parsed.filter((p) => p.type === 'b'), ...parsed.filter((p) => p.type === 'i')].map((p) => join(path, p.name));
}

/**
 * Every complete command of a RESP-only AOF (no RDB part), with its db (from SELECT, each file
 * starting in db 0) and the time of the last `#TS:` before it. Stops at the first incomplete record.
 * @param path a single AOF file or a multi-part directory
 * @returns the commands, numbered across files
 */
export function scanAof(path: string): ScannedCommand[] {
  const out: ScannedCommand[] = [];
  let time: number | null = null;
  const multi = statSync(path).isDirectory();
  for (const file of loadedFiles(path)) {
    if (!existsSync(file)) continue;
    const b = readFileSync(file);
    if (b.subarray(0, 5).toString('latin1') === 'REDIS') throw new Error(`${file} has an RDB part: scanAof reads RESP only`);
    let p = 0;
    let db = 0;
    const lineEnd = (from: number): number => b.indexOf('\r\n', from);
    while (p < b.length) {
      const start = p;
      if (b[p] === 0x23) {
        const nl = b.indexOf('\n', p);
        const text = b.subarray(p, nl < 0 ? b.length : nl).toString('latin1');
        const ts = /^#TS:(\d+)\r$/.exec(text);
        if (ts !== null) time = Number(ts[1]);
        p = nl < 0 ? b.length : nl + 1;
        continue;
      }
      const e = lineEnd(p);
      if (b[p] !== 0x2a || e < 0) break;
      const argc = Number(b.subarray(p + 1, e).toString('latin1'));
      p = e + 2;
      const argv: Buffer[] = [];
      let ok = true;
      for (let i = 0; i < argc; i++) {
        const le = lineEnd(p);
        if (le < 0 || b[p] !== 0x24) {
          ok = false;
          break;
        }
        const len = Number(b.subarray(p + 1, le).toString('latin1'));
        if (le + 2 + len + 2 > b.length) {
          ok = false;
          break;
        }
        argv.push(Buffer.from(b.subarray(le + 2, le + 2 + len)));
        p = le + 2 + len + 2;
      }
      if (!ok) break;
      const name = argv[0]?.toString('latin1').toLowerCase();
      if (name === 'select') db = Number(argv[1]!.toString('latin1'));
      out.push({ file: multi ? file.slice(path.length + 1) : '', index: out.length, offset: start, end: p, argv, db, time });
    }
  }
  return out;
}
