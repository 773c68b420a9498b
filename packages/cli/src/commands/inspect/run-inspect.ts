// rfx inspect: one pass over an RDB file collecting what a person wants to know first: format,
// AUX fields, keys per db by type and encoding, TTLs, sizes, the biggest keys, functions,
// modules and the checksum verdict.

import assert from 'node:assert';
import { Buffer } from 'node:buffer';
import { stat } from 'node:fs/promises';

import { openRdbBatches } from '@redis-forensics/rdb';

import { KeyStats } from '../../key-stats.js';
import { readerOptions } from '../../reader-options.js';

import type { RdbDialect, RdbEofEvent, RdbEvent } from '@redis-forensics/rdb';
import type { DbStats, KeySize } from '../../key-stats.js';

/** What `rfx inspect` reads. */
export interface InspectOptions {
  /** Path of the RDB file. */
  file: string;
  /** Time of the run in Unix ms, for already-expired keys. */
  now: number;
  /** How many biggest keys to list. Defaults to 10. */
  top?: number;
  /** Reader part size in bytes. Defaults to the reader's 8 MiB. */
  partBytes?: number | undefined;
  /** Called after each event with the file position reached and the file size, in bytes. */
  onProgress?: ((position: number, totalBytes: number) => void) | undefined;
}

/** A function library (FUNCTION2 record). */
export interface InspectFunction {
  libraryName: string | null;
  engine: string | null;
  /** Size of the library source in bytes. */
  codeBytes: number;
  /** Saved by a 7.0 release candidate (FUNCTION_PRE_GA). */
  preGa: boolean;
}

/** A module type seen in keys or MODULE_AUX records. */
export interface InspectModule {
  /** The 9-character module type name. */
  name: string;
  /** Encoding versions seen. */
  versions: number[];
  /** Keys holding a value of this type. */
  keys: number;
  /** MODULE_AUX records of this type. */
  auxRecords: number;
}

/** The summary of `rfx inspect`. */
export interface InspectReport {
  file: string;
  /** File size in bytes. */
  size: number;
  magic: 'REDIS' | 'VALKEY';
  version: number;
  dialect: RdbDialect;
  /** AUX fields in file order; values raw (a key seen twice keeps the last value). */
  aux: Record<string, Uint8Array>;
  /** AUX `redis-ver` (or `valkey-ver`), when present. */
  serverVersion: string | null;
  /** AUX `ctime` (Unix seconds) as an ISO-8601 date, when present. */
  createdAt: string | null;
  /** AUX `used-mem` in bytes, when present. */
  usedMemBytes: number | null;
  /** Per database, ascending. */
  databases: DbStats[];
  /** Sums over the databases (db -1). */
  totals: DbStats;
  /** RESIZEDB hints per database (what the server's dict sizes were). */
  resizeDb: Record<string, { dbSize: number; expiresSize: number }>;
  /** SLOT_INFO records (cluster files, 7.4+). */
  slotInfoRecords: number;
  biggestBySize: KeySize[];
  biggestByElements: KeySize[];
  functions: InspectFunction[];
  modules: InspectModule[];
  checksum: {
    status: RdbEofEvent['checksum'];
    /** Stored CRC64 as 16 hex digits, null when the version has none. */
    stored: string | null;
    computed: string | null;
  };
  /** Bytes after the checksum trailer. */
  trailingBytes: number;
}

function hex64(value: bigint | null): string | null {
  return value === null ? null : value.toString(16).padStart(16, '0');
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** AUX integers are written as decimal text (or int-encoded strings the reader turns into text). */
function auxNumber(value: Uint8Array | undefined): number | null {
  if (value === undefined) return null;
  const text = latin1(value);
  return /^-?\d+$/.test(text) ? Number(text) : null;
}

/** Unix seconds as an ISO-8601 date; null when absent or outside what Date can show. */
function isoDate(unixSeconds: number | null): string | null {
  if (unixSeconds === null) return null;
  const date = new Date(unixSeconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Collects an {@link InspectReport} from RDB events, one at a time: the loop of `rfx inspect`,
 * shared with the AOF summary (an RDB preamble or an RDB base file). Memory stays bounded by the
 * number of databases, encodings, functions and modules, and `top`.
 */
export class RdbInspector {
  private readonly stats: KeyStats;
  private readonly aux: Record<string, Uint8Array> = {};
  private readonly resizeDb: InspectReport['resizeDb'] = {};
  private readonly functions: InspectFunction[] = [];
  private readonly modules = new Map<string, InspectModule>();
  private header: { magic: 'REDIS' | 'VALKEY'; version: number; dialect: RdbDialect } | undefined;
  private eof: RdbEofEvent | undefined;
  private db = 0;
  private slotInfoRecords = 0;

  /** @param options time of the run (Unix ms) and how many biggest keys to keep */
  constructor(options: { now: number; top?: number | undefined }) {
    this.stats = new KeyStats({ now: options.now, topCount: options.top ?? 10 });
  }

  /** Whether the header was read (the events were an RDB image at all). */
  get started(): boolean {
    return this.header !== undefined;
  }

  /** Whether the EOF opcode (and checksum) was read. */
  get complete(): boolean {
    return this.eof !== undefined;
  }

  /** Where the RDB image ends (after its checksum), or null before its EOF was read. */
  get end(): number | null {
    return this.eof?.end ?? null;
  }

  private moduleOf(name: string, version: number): InspectModule {
    let m = this.modules.get(name);
    if (m === undefined) {
      m = { name, versions: [], keys: 0, auxRecords: 0 };
      this.modules.set(name, m);
    }
    if (!m.versions.includes(version)) m.versions.push(version);
    return m;
  }

  /**
   * Feed one event, in file order.
   * @param ev an event of readRdb (or of an AOF's `rdb` event)
   */
  add(ev: RdbEvent): void {
    switch (ev.type) {
      case 'header':
        this.header = { magic: ev.magic, version: ev.version, dialect: ev.dialect };
        break;
      case 'aux':
        this.aux[latin1(ev.key)] = new Uint8Array(ev.value); // a copy: the reader may reuse its buffers
        break;
      case 'selectDb':
        this.db = ev.db;
        break;
      case 'resizeDb':
        this.resizeDb[String(this.db)] = { dbSize: ev.dbSize, expiresSize: ev.expiresSize };
        break;
      case 'slotInfo':
        this.slotInfoRecords++;
        break;
      case 'function':
        this.functions.push({ libraryName: ev.libraryName, engine: ev.engine, codeBytes: ev.code.length, preGa: ev.preGa });
        break;
      case 'moduleAux':
        this.moduleOf(ev.moduleName, ev.moduleVersion).auxRecords++;
        break;
      case 'key':
        this.stats.add(ev);
        if (ev.value.kind === 'module') this.moduleOf(ev.value.module.moduleName, ev.value.module.moduleVersion).keys++;
        break;
      case 'eof':
        this.eof = ev;
        break;
      default:
        break;
    }
  }

  /**
   * The summary of what was fed. Before the EOF was read (a damaged image) the checksum is
   * reported as 'absent' and there are no trailing bytes: check {@link complete}.
   * @param file the path to show
   * @param size the file size in bytes (trailing bytes are those after the image's end)
   * @returns the report
   */
  report(file: string, size: number): InspectReport {
    const { header, eof, aux } = this;
    assert(header !== undefined, 'no RDB header was read');
    const serverVersion = aux['redis-ver'] ?? aux['valkey-ver'];
    const ctime = auxNumber(aux['ctime']);
    return {
      file,
      size,
      ...header,
      aux,
      serverVersion: serverVersion === undefined ? null : latin1(serverVersion),
      createdAt: isoDate(ctime),
      usedMemBytes: auxNumber(aux['used-mem']),
      databases: this.stats.databases(),
      totals: this.stats.totals(),
      resizeDb: this.resizeDb,
      slotInfoRecords: this.slotInfoRecords,
      biggestBySize: this.stats.biggestBySize(),
      biggestByElements: this.stats.biggestByElements(),
      functions: this.functions,
      modules: [...this.modules.values()].sort((a, b) => a.name.localeCompare(b.name)),
      checksum:
        eof === undefined
          ? { status: 'absent', stored: null, computed: null }
          : { status: eof.checksum, stored: hex64(eof.storedChecksum), computed: hex64(eof.computedChecksum) },
      trailingBytes: eof === undefined ? 0 : size - eof.end,
    };
  }
}

/**
 * Read the whole file and summarise it.
 * @param options file, time and ranking length, see {@link InspectOptions}
 * @returns the report
 * @throws {@link FormatError} for corrupt or truncated input (including a checksum mismatch);
 *   Node I/O errors (ENOENT, EACCES, ...) untouched
 */
export async function runInspect(options: InspectOptions): Promise<InspectReport> {
  const { size } = await stat(options.file);
  const inspector = new RdbInspector({ now: options.now, top: options.top });
  for await (const batch of openRdbBatches(options.file, readerOptions(options.partBytes))) for (const ev of batch) {
    inspector.add(ev);
    options.onProgress?.(ev.end, size);
  }
  // readRdb either yields header ... eof or throws, so both are set here.
  assert(inspector.complete, 'readRdb ended without header or eof');
  return inspector.report(options.file, size);
}
