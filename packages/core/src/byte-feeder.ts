// Pulls chunks from an AsyncIterable<Uint8Array> into a ByteWindow on demand. Back-pressure is by
// pull: a chunk is requested only when a unit cannot be completed from what is buffered, so a slow
// consumer stalls the disk read and memory stays bounded by one chunk plus the largest unit.

import { ByteWindow } from './byte-window.js';

/** Options of {@link ByteFeeder}. */
export interface ByteFeederOptions {
  /**
   * Called, in file order, with every byte that leaves the buffer (and with bytes up to a point on
   * {@link ByteFeeder.drainTo}); the RDB reader feeds its CRC64 from it. Defaults to none.
   */
  onConsumed?: ((bytes: Uint8Array) => void) | undefined;
  /** Aborts reading at the next refill. Defaults to none. */
  signal?: AbortSignal | undefined;
}

/**
 * Drives a {@link ByteWindow} from an async source. `refill` keeps every byte from the start of the
 * unit being read, appends whole chunks until the window reaches the needed offset, and copies only
 * when a unit straddles chunks.
 */
export class ByteFeeder {
  readonly window: ByteWindow = new ByteWindow();
  private readonly iterator: AsyncIterator<Uint8Array>;
  private onConsumed: ((bytes: Uint8Array) => void) | undefined;
  private readonly signal: AbortSignal | undefined;
  /** Absolute offset up to which bytes were passed to onConsumed. */
  private consumedUpTo = 0;
  private ended = false;
  private lastUnitStart = -1;
  private retries = 0;

  constructor(source: AsyncIterable<Uint8Array>, options: ByteFeederOptions = {}) {
    this.iterator = source[Symbol.asyncIterator]();
    this.onConsumed = options.onConsumed;
    this.signal = options.signal;
  }

  /** True once the source is exhausted and every buffered byte has been read. */
  get exhausted(): boolean {
    return this.ended && this.window.available === 0;
  }

  /** True once the source has reported its end (bytes may still be buffered). */
  get sourceEnded(): boolean {
    return this.ended;
  }

  /**
   * Make the window hold the bytes from `unitStart` (absolute, at or before the read position) up
   * to at least `neededEnd`, and move the read position back to `unitStart`. When the same unit
   * needs a refill again, the target at least doubles, so units of unknown size are re-read only
   * O(log n) times (the doubled target is only what is pulled; success is judged on `neededEnd`).
   * @returns false when the source ended before `neededEnd` (the window then holds all that was left)
   */
  async refill(neededEnd: number, unitStart: number): Promise<boolean> {
    const w = this.window;
    const required = neededEnd;
    if (unitStart === this.lastUnitStart) {
      this.retries++;
      const have = w.base + w.buf.length - unitStart;
      if (neededEnd < unitStart + have * 2) neededEnd = unitStart + have * 2;
    } else {
      this.lastUnitStart = unitStart;
      this.retries = 0;
    }
    const keepIdx = unitStart - w.base;
    this.flushConsumed(unitStart);
    const chunks: Uint8Array[] = [];
    let total = w.buf.length - keepIdx;
    if (total > 0) chunks.push(w.buf.subarray(keepIdx));
    while (unitStart + total < neededEnd && !this.ended) {
      this.signal?.throwIfAborted();
      const r = await this.iterator.next();
      if (r.done) {
        this.ended = true;
        break;
      }
      // Node streams yield Buffers, whose slice() does not copy; hand out plain Uint8Array views
      // so that values behave as documented (slice() copies).
      const chunk = r.value instanceof Buffer ? new Uint8Array(r.value.buffer, r.value.byteOffset, r.value.byteLength) : r.value;
      if (chunk.length === 0) continue;
      chunks.push(chunk);
      total += chunk.length;
    }
    let buf: Uint8Array;
    if (chunks.length === 1) buf = chunks[0]!;
    else {
      buf = new Uint8Array(total);
      let o = 0;
      for (const c of chunks) {
        buf.set(c, o);
        o += c.length;
      }
    }
    w.reset(buf, unitStart, 0);
    return unitStart + total >= required;
  }

  /** True when at least one more byte can be read (pulling a chunk if needed). */
  async hasMore(): Promise<boolean> {
    const w = this.window;
    if (w.available > 0) return true;
    if (this.ended) return false;
    return this.refill(w.position + 1, w.position);
  }

  /** Pass the bytes before absolute offset `end` to onConsumed (the CRC), once each. */
  drainTo(end: number): void {
    this.flushConsumed(end);
  }

  /**
   * Report every byte from the current read position on to `onConsumed` (e.g. an RDB preamble's
   * CRC starts at the preamble's first byte).
   */
  attachConsumer(onConsumed: (bytes: Uint8Array) => void): void {
    this.onConsumed = onConsumed;
    this.consumedUpTo = this.window.position;
  }

  /** Stop reporting consumed bytes from here on (e.g. after the RDB checksum). */
  detachConsumer(): void {
    this.onConsumed = undefined;
  }

  /** Release the source (closes a file stream when the consumer stops early). */
  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.iterator.return?.();
    }
  }

  private flushConsumed(end: number): void {
    if (this.onConsumed === undefined || end <= this.consumedUpTo) return;
    const w = this.window;
    const from = this.consumedUpTo - w.base;
    const to = end - w.base;
    if (from >= 0 && to <= w.buf.length) this.onConsumed(w.buf.subarray(from, to));
    this.consumedUpTo = end;
  }
}
