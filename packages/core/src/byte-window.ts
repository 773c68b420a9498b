// A synchronous reader over the bytes buffered so far. Parsers read a whole unit (an opcode, a
// string, one collection element) synchronously; when the buffered bytes run out the window throws
// the NEED_MORE sentinel, the async driver refills it (see ByteFeeder) and the unit is re-read from
// its start. This is pg-protocol's "frame first, decode sync" with the RDB unit as the frame: no
// await per byte or per field, only at refill points.

/**
 * Internal control flow, never an error: the unit being read needs bytes up to `end` (absolute).
 * Drivers catch it with `e === NEED_MORE`, refill, and retry the unit.
 */
export class NeedMoreData {
  /** Absolute offset the failed read needed to reach (exclusive). */
  end = 0;
}

/** The one {@link NeedMoreData} instance, thrown by {@link ByteWindow} reads. */
export const NEED_MORE: NeedMoreData = new NeedMoreData();

function needMore(end: number): never {
  NEED_MORE.end = end;
  throw NEED_MORE;
}

const EMPTY = new Uint8Array(0);

/**
 * The buffered bytes of a stream as one contiguous `Uint8Array`, with the absolute offset of its
 * first byte. Reads are bounds-checked and throw {@link NEED_MORE} past the end of the buffer.
 * Integer reads carry width and endianness in their names because RDB mixes both.
 */
export class ByteWindow {
  /** Buffered bytes; `buf[0]` is at absolute offset `base`. */
  buf: Uint8Array = EMPTY;
  /** Index of the next unread byte in `buf`. */
  pos = 0;
  /** Absolute file offset of `buf[0]`. */
  base = 0;
  private view: DataView = new DataView(EMPTY.buffer);

  /** Replace the buffer (used by the feeder). */
  reset(buf: Uint8Array, base: number, pos: number): void {
    this.buf = buf;
    this.base = base;
    this.pos = pos;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Absolute offset of the next unread byte. */
  get position(): number {
    return this.base + this.pos;
  }

  /** Move to an absolute offset inside the buffer (to restart a unit). */
  seek(absolute: number): void {
    this.pos = absolute - this.base;
  }

  /** Bytes buffered after the read position. */
  get available(): number {
    return this.buf.length - this.pos;
  }

  /** Throw {@link NEED_MORE} unless `n` bytes are buffered after the read position. */
  need(n: number): void {
    if (this.pos + n > this.buf.length) needMore(this.base + this.pos + n);
  }

  /** The next byte without consuming it. */
  peekUint8(): number {
    if (this.pos >= this.buf.length) needMore(this.base + this.pos + 1);
    return this.buf[this.pos]!;
  }

  readUint8(): number {
    if (this.pos >= this.buf.length) needMore(this.base + this.pos + 1);
    return this.buf[this.pos++]!;
  }

  readInt8(): number {
    this.need(1);
    return this.view.getInt8(this.pos++);
  }

  readInt16LE(): number {
    this.need(2);
    const v = this.view.getInt16(this.pos, true);
    this.pos += 2;
    return v;
  }

  readUint16LE(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  readInt32LE(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readUint32LE(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readUint32BE(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, false);
    this.pos += 4;
    return v;
  }

  readBigInt64LE(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readBigUint64LE(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  readBigUint64BE(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, false);
    this.pos += 8;
    return v;
  }

  readFloat32LE(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  readFloat64LE(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /**
   * The next `n` bytes as a zero-copy view. The view stays valid after later refills (the feeder
   * never writes into a buffer it has handed out), but callers that keep it hold the chunk alive.
   */
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Skip `n` bytes that are buffered. */
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}
