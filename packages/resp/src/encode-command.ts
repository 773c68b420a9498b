// A command as Redis appends it to the AOF: *<argc>\r\n then $<len>\r\n<bytes>\r\n per argument.
// Source of truth: redis/src/aof.c catAppendOnlyGenericCommand.

const CRLF = [0x0d, 0x0a];

function ascii(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/**
 * Encode one command in RESP2 multibulk form, exactly as Redis writes it to the AOF.
 * @param argv the command name and arguments, binary-safe
 * @returns the encoded bytes
 * @see redis/src/aof.c catAppendOnlyGenericCommand
 */
export function encodeCommand(argv: readonly Uint8Array[]): Uint8Array {
  let size = 1 + String(argv.length).length + 2;
  for (const a of argv) size += 1 + String(a.length).length + 2 + a.length + 2;
  const out = new Uint8Array(size);
  let p = ascii(`*${argv.length}`, out, 0);
  out[p++] = CRLF[0]!;
  out[p++] = CRLF[1]!;
  for (const a of argv) {
    p = ascii(`$${a.length}`, out, p);
    out[p++] = CRLF[0]!;
    out[p++] = CRLF[1]!;
    out.set(a, p);
    p += a.length;
    out[p++] = CRLF[0]!;
    out[p++] = CRLF[1]!;
  }
  return out;
}

/** Encode a command given as strings (UTF-8) or bytes; convenient for tests and rewrites. */
export function encodeCommandText(...argv: (string | Uint8Array)[]): Uint8Array {
  const enc = new TextEncoder();
  return encodeCommand(argv.map((a) => (typeof a === 'string' ? enc.encode(a) : a)));
}
