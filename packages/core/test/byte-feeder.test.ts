import { describe, expect, it } from 'vitest';

import { ByteFeeder, ByteWindow, NEED_MORE } from '@redis-forensics/core';
import { FEED_MODES, feed } from '@redis-forensics/testkit';

const DATA = new Uint8Array(300).map((_, i) => (i * 31 + 7) & 0xff);

/** Read the source as fixed-size units through the feeder, the way readRdb drives it. */
async function readUnits(source: AsyncIterable<Uint8Array>, unit: number, consumed: Uint8Array[]): Promise<Uint8Array[]> {
  const feeder = new ByteFeeder(source, { onConsumed: (b) => consumed.push(b.slice()) });
  const w = feeder.window;
  const out: Uint8Array[] = [];
  for (;;) {
    const start = w.position;
    try {
      out.push(w.take(unit).slice());
    } catch (e) {
      if (e !== NEED_MORE) throw e;
      if (!(await feeder.refill(NEED_MORE.end, start))) break;
      continue;
    }
  }
  feeder.drainTo(w.position);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(parts.flatMap((p) => [...p]));
}

describe('ByteWindow', () => {
  it('Reads past the buffer: throw NEED_MORE with the absolute end the read needed', () => {
    const w = new ByteWindow();
    w.reset(Uint8Array.of(1, 2, 3), 100, 1);
    expect(w.position).toBe(101);
    expect(() => w.readUint32BE()).toThrow(NEED_MORE);
    expect(NEED_MORE.end).toBe(105);
    expect(w.position).toBe(101);
  });

  it('Integer reads: width and endianness as named', () => {
    const w = new ByteWindow();
    w.reset(Uint8Array.of(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08), 0, 0);
    expect(w.readUint32BE()).toBe(0x01020304);
    expect(w.readUint32LE()).toBe(0x08070605);
    w.seek(0);
    expect(w.readBigUint64BE()).toBe(0x0102030405060708n);
    w.seek(0);
    expect(w.readBigUint64LE()).toBe(0x0807060504030201n);
    w.seek(6);
    expect(w.readInt16LE()).toBe(0x0807);
    expect(w.available).toBe(0);
  });
});

describe('ByteFeeder', () => {
  it.each(FEED_MODES)('Feed %s: fixed-size units come out whole and in order', async (mode) => {
    const consumed: Uint8Array[] = [];
    const units = await readUnits(feed(DATA, mode, 7, 13), 7, consumed);
    expect(units).toHaveLength(Math.floor(DATA.length / 7));
    expect(concat(units)).toEqual(DATA.subarray(0, units.length * 7));
  });

  it.each(FEED_MODES)('Feed %s: onConsumed sees every consumed byte exactly once, in file order', async (mode) => {
    const consumed: Uint8Array[] = [];
    const units = await readUnits(feed(DATA, mode, 3, 11), 10, consumed);
    expect(units).toHaveLength(30);
    expect(concat(consumed)).toEqual(DATA);
  });

  it('Source ends before the unit: refill returns false and the window keeps what was left', async () => {
    const feeder = new ByteFeeder(feed(Uint8Array.of(1, 2, 3), 'byte-by-byte'));
    expect(await feeder.refill(10, 0)).toBe(false);
    expect(feeder.sourceEnded).toBe(true);
    expect(feeder.window.available).toBe(3);
    expect(feeder.exhausted).toBe(false);
    feeder.window.skip(3);
    expect(feeder.exhausted).toBe(true);
  });

  it('Empty chunks: skipped', async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(0);
      yield Uint8Array.of(9);
      yield new Uint8Array(0);
      yield Uint8Array.of(8);
    }
    const feeder = new ByteFeeder(chunks());
    expect(await feeder.refill(2, 0)).toBe(true);
    expect(feeder.window.take(2)).toEqual(Uint8Array.of(9, 8));
    expect(await feeder.hasMore()).toBe(false);
  });

  it('hasMore: true while bytes remain, false at the end', async () => {
    const feeder = new ByteFeeder(feed(Uint8Array.of(5, 6), 'byte-by-byte'));
    expect(await feeder.hasMore()).toBe(true);
    feeder.window.readUint8();
    expect(await feeder.hasMore()).toBe(true);
    feeder.window.readUint8();
    expect(await feeder.hasMore()).toBe(false);
  });

  it('Same unit refilled again: the target at least doubles (few re-reads for units of unknown size)', async () => {
    let pulls = 0;
    async function* bytes(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < DATA.length; i++) {
        pulls++;
        yield DATA.slice(i, i + 1);
      }
    }
    const feeder = new ByteFeeder(bytes());
    await feeder.refill(1, 0);
    await feeder.refill(2, 0); // same unit: wants at least 2 x 1 bytes
    await feeder.refill(3, 0); // same unit: wants at least 2 x 2 bytes
    expect(feeder.window.available).toBe(4);
    expect(pulls).toBe(4);
  });

  it('Retry whose doubled target lies past the end of the source: true when the needed bytes are there', async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield DATA.slice(0, 5);
      yield DATA.slice(5, 9);
    }
    const feeder = new ByteFeeder(chunks());
    expect(await feeder.refill(1, 0)).toBe(true);
    expect(await feeder.refill(9, 0)).toBe(true); // pulls towards 10 (2 x 5), the source holds 9
    expect(feeder.window.take(9)).toEqual(DATA.subarray(0, 9));
    expect(feeder.sourceEnded).toBe(true);
  });

  it('Node Buffer chunks: handed out as plain Uint8Array views', async () => {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield Buffer.from([1, 2, 3]);
    }
    const feeder = new ByteFeeder(chunks());
    await feeder.refill(3, 0);
    const bytes = feeder.window.take(3);
    expect(Buffer.isBuffer(bytes)).toBe(false);
    expect(bytes).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('Breaking off: close() returns the source iterator', async () => {
    let finished = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield Uint8Array.of(1);
      } finally {
        finished = true;
      }
    }
    const feeder = new ByteFeeder(source());
    await feeder.refill(1, 0);
    await feeder.close();
    expect(finished).toBe(true);
    expect(feeder.sourceEnded).toBe(true);
  });

  it('Aborted signal: the next refill throws the abort reason', async () => {
    const controller = new AbortController();
    const feeder = new ByteFeeder(feed(DATA, 'byte-by-byte'), { signal: controller.signal });
    await feeder.refill(1, 0);
    controller.abort(new Error('stop'));
    await expect(feeder.refill(5, 0)).rejects.toThrow('stop');
  });

  it('detachConsumer: bytes after it are not reported', async () => {
    const consumed: Uint8Array[] = [];
    const feeder = new ByteFeeder(feed(DATA, 'whole'), { onConsumed: (b) => consumed.push(b.slice()) });
    await feeder.refill(20, 0);
    feeder.window.skip(10);
    feeder.drainTo(feeder.window.position);
    feeder.detachConsumer();
    feeder.window.skip(10);
    feeder.drainTo(feeder.window.position);
    expect(concat(consumed)).toEqual(DATA.subarray(0, 10));
  });
});
