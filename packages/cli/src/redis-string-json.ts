// How a binary-safe Redis string appears in rfx's JSON: a JSON string when its bytes are valid
// UTF-8 (so the common case stays readable), otherwise `{"b64": "<base64 of the raw bytes>"}`.

import { Buffer, isUtf8 } from 'node:buffer';

/** A Redis string in JSON form: text, or base64 of bytes that are not valid UTF-8. */
export type RedisStringJson = string | { b64: string };

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * The JSON value for a Redis string.
 * @param bytes raw Redis string
 * @returns the decoded text when `bytes` is valid UTF-8, else `{ b64 }`
 */
export function redisStringValue(bytes: Uint8Array): RedisStringJson {
  const buf = asBuffer(bytes);
  return isUtf8(buf) ? buf.toString('utf8') : { b64: buf.toString('base64') };
}

/**
 * The JSON text for a Redis string, ready to splice into a JSON document (what
 * `JSON.stringify(redisStringValue(bytes))` returns, without the intermediate object).
 * @param bytes raw Redis string
 * @returns `"text"` or `{"b64":"..."}`
 */
export function redisStringJson(bytes: Uint8Array): string {
  const buf = asBuffer(bytes);
  if (isUtf8(buf)) return JSON.stringify(buf.toString('utf8'));
  return `{"b64":"${buf.toString('base64')}"}`;
}

/**
 * The raw bytes of a {@link RedisStringJson} (the inverse of {@link redisStringValue}).
 * @param value text (encoded as UTF-8) or `{ b64 }`
 * @returns the Redis string's bytes
 */
export function redisStringBytes(value: RedisStringJson): Uint8Array {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value.b64, 'base64');
}
