import { Buffer } from 'node:buffer';
import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { OutputSink } from '../src/output-sink.js';
import { CaptureStream } from './run-cli.js';

describe('OutputSink', () => {
  it('Small writes: buffered until flush, then one chunk', async () => {
    const out = new CaptureStream();
    const sink = new OutputSink(out);
    sink.text('héllo ');
    sink.bytes(Buffer.from([0xff]));
    sink.text('\n');
    await sink.flushIfFull();
    expect(out.chunks).toHaveLength(0);
    await sink.flush();
    expect(out.chunks).toEqual([Buffer.concat([Buffer.from('héllo '), Buffer.from([0xff]), Buffer.from('\n')])]);
  });

  it('64 KiB reached: flushIfFull writes; a later write does not change the chunk handed out', async () => {
    const out = new CaptureStream();
    const sink = new OutputSink(out);
    sink.text('a'.repeat(70_000));
    await sink.flushIfFull();
    expect(out.chunks).toHaveLength(1);
    const first = Buffer.from(out.chunks[0]!);
    sink.text('b'.repeat(10));
    await sink.flush();
    expect(out.chunks[0]).toEqual(first);
  });

  it('Long multi-byte text: no overflow of the buffer', async () => {
    const out = new CaptureStream();
    const sink = new OutputSink(out);
    const text = '日本語🚀'.repeat(5000);
    sink.text(text);
    await sink.flush();
    expect(out.text()).toBe(text);
  });

  it('discardAfterBoundary: drops only what follows the last complete unit', async () => {
    const out = new CaptureStream();
    const sink = new OutputSink(out);
    sink.text('line 1\n');
    sink.markBoundary();
    sink.text('{"partial":');
    sink.discardAfterBoundary();
    await sink.flush();
    expect(out.text()).toBe('line 1\n');
  });

  it('Back-pressure: flush waits for drain', async () => {
    let release: (() => void) | undefined;
    const slow = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, cb) {
        release = () => cb();
      },
    });
    const sink = new OutputSink(slow);
    sink.text('x'.repeat(100));
    let done = false;
    const flushed = sink.flush().then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    release!();
    await flushed;
    expect(done).toBe(true);
  });
});
