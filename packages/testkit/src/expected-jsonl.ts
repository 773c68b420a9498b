// Oracle lines in the corpus format (fixtures/corpus/README.md, "The expected files"): one JSON
// object per key with sorted keys, sorted by db then key bytes, byte strings as base64, then the
// functions line.

import type { ServerKey, ServerView } from './server-view.js';

const b64 = (buf: Buffer): string => buf.toString('base64');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A string inside `xinfo_full`: plain JSON when printable UTF-8, else `{"b64": ...}`. */
function xinfoString(buf: Buffer): string | { b64: string } {
  try {
    const s = utf8.decode(buf);
    // eslint-disable-next-line no-control-regex
    if (!/[\u0000-\u001f\u007f-\u009f]/.test(s)) return s;
  } catch {
    // not UTF-8
  }
  return { b64: b64(buf) };
}

function xinfoJson(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return xinfoString(v);
  if (Array.isArray(v)) return v.map(xinfoJson);
  return v;
}

/** The `XINFO STREAM FULL` reply in oracle form, with `entries` replaced by a placeholder. */
function xinfoFull(raw: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i];
    const name = Buffer.isBuffer(k) ? k.toString('utf8') : String(k);
    out.push(name, name === 'entries' ? '<omitted: same as value>' : xinfoJson(raw[i + 1]));
  }
  return out;
}

function valueJson(k: ServerKey): unknown {
  const v = k.value;
  switch (v.type) {
    case 'string': return b64(v.value);
    case 'list': return v.elements.map(b64);
    case 'set': return v.members.map(b64);
    case 'zset': return v.entries.map((e) => [b64(e.member), e.scoreText]);
    case 'hash': return v.entries.map((e) => [b64(e.field), b64(e.value)]);
    default: return v.entries.map((e) => [e.id, e.fields.map(b64)]);
  }
}

/** Build an object whose keys are inserted in sorted order (JSON.stringify keeps insertion order). */
function sorted(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** JSON with non-ASCII escaped as \uXXXX, like Python's json.dumps (ensure_ascii), compact separators. */
function stringify(o: unknown): string {
  return JSON.stringify(o).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The oracle object of one key (corpus format). */
export function expectedKeyObject(k: ServerKey): Record<string, unknown> {
  return sorted({
    db: k.db,
    key: b64(k.key),
    type: k.type,
    encoding: k.encoding,
    expire_at_ms: k.expireAt,
    value: valueJson(k),
    digest_value: k.digestValue,
    lfu_freq: k.lfuFreq,
    idle_s: k.idleSeconds,
    xinfo_full: k.value.type === 'stream' ? xinfoFull(k.value.info.raw) : undefined,
  });
}

/**
 * Format a server view as corpus-style `*.expected.jsonl` text: one line per key (sorted by db, then
 * key bytes; object keys sorted), then a `{"functions": [...]}` line when there are libraries.
 * @returns the file content, newline-terminated
 */
export function formatExpectedJsonl(view: ServerView): string {
  const keys = [...view.keys].sort((x, y) => x.db - y.db || Buffer.compare(x.key, y.key));
  const lines = keys.map((k) => stringify(expectedKeyObject(k)));
  if (view.functions.length > 0) {
    lines.push(
      stringify({
        functions: view.functions.map((f) =>
          sorted({
            engine: f.engine,
            functions: f.functions.map((fn) => sorted({ description: fn.description, flags: fn.flags, name: fn.name })),
            library_code: f.libraryCode.toString('utf8'),
            library_name: f.libraryName,
          }),
        ),
      }),
    );
  }
  return lines.map((l) => `${l}\n`).join('');
}
