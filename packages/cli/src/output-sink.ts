// Buffered, back-pressure-aware writing of machine output (JSONL, RESP) to a stream.
// Text and bytes are appended to a growable buffer; `flush` hands a full chunk to the stream and
// waits for 'drain' when the stream asks for it, so a slow reader (a pipe into redis-cli) stalls
// the RDB reader instead of filling memory. A chunk handed out is never written again (pg's
// Writer.flush rule).

import { Buffer } from 'node:buffer';

/** Bytes buffered before {@link OutputSink.flushIfFull} writes them out. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Appends text and bytes, and writes them to a stream in chunks of about 64 KiB.
 * Output errors (EPIPE when the reader goes away) are kept and re-thrown by the next flush.
 */
export class OutputSink {
  private readonly stream: NodeJS.WritableStream;
  private buf: Buffer = Buffer.allocUnsafe(CHUNK_BYTES * 2);
  private length = 0;
  /** Buffer length at the end of the last complete unit (key), see {@link markBoundary}. */
  private boundary = 0;
  private error: Error | undefined;
  private readonly onError = (e: Error): void => {
    this.error ??= e;
  };

  /** @param stream where the output goes (stdout) */
  constructor(stream: NodeJS.WritableStream) {
    this.stream = stream;
    stream.on('error', this.onError);
  }

  /** Bytes appended and not yet written to the stream. */
  get buffered(): number {
    return this.length;
  }

  private ensure(byteLength: number): void {
    if (this.length + byteLength <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + byteLength) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  /**
   * Append text, encoded as UTF-8.
   * @param text any string
   */
  text(text: string): void {
    if (text.length === 0) return;
    // Up to 3 bytes per UTF-16 unit; ask for the exact size only for long strings.
    this.ensure(text.length <= 4096 ? text.length * 3 : Buffer.byteLength(text, 'utf8'));
    this.length += this.buf.write(text, this.length, 'utf8');
  }

  /**
   * Append raw bytes.
   * @param bytes any bytes (copied)
   */
  bytes(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Record that everything appended so far is complete (a whole key). */
  markBoundary(): void {
    this.boundary = this.length;
  }

  /** Drop what was appended since the last {@link markBoundary} (and not yet written out). */
  discardAfterBoundary(): void {
    this.length = Math.min(this.length, this.boundary);
  }

  /**
   * Write out the buffer when it holds at least 64 KiB; call this between units of work.
   * @throws the stream's error (EPIPE, ...) once one has happened
   */
  async flushIfFull(): Promise<void> {
    if (this.error !== undefined) throw this.error;
    if (this.length >= CHUNK_BYTES) await this.flush();
  }

  /**
   * Write out everything buffered and wait until the stream accepts more.
   * @throws the stream's error (EPIPE, ...) once one has happened
   */
  async flush(): Promise<void> {
    if (this.error !== undefined) throw this.error;
    if (this.length === 0) return;
    const chunk = this.buf.subarray(0, this.length);
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK_BYTES * 2, this.buf.length));
    this.length = 0;
    this.boundary = 0;
    if (!this.stream.write(chunk)) await this.waitForDrain();
    if (this.error !== undefined) throw this.error;
  }

  private waitForDrain(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
      this.stream.on('close', done);
    });
  }

  /** Stop listening for stream errors (after the last flush). */
  close(): void {
    this.stream.off('error', this.onError);
  }
}
