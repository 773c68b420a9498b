// Feed modes: every reader test runs the same bytes whole, byte by byte and in random splits, and
// must produce identical events (node-redis's twin cases, generalised).

/** The three ways every reader test feeds its input. */
export const FEED_MODES = ['whole', 'byte-by-byte', 'random-splits'] as const;

/** One of {@link FEED_MODES}. */
export type FeedMode = (typeof FEED_MODES)[number];

/** A small deterministic PRNG (mulberry32), so failing splits can be replayed from the seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Feed `bytes` as an async iterable of chunks: one chunk, one byte per chunk, or random chunk
 * sizes (1..`maxChunk`) drawn from `seed`. Chunks are copies, so readers cannot rely on adjacency.
 */
export async function* feed(
  bytes: Uint8Array,
  mode: FeedMode,
  seed: number = 1,
  maxChunk: number = 4096,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (mode === 'whole') {
    yield bytes.slice();
    return;
  }
  if (mode === 'byte-by-byte') {
    for (let i = 0; i < bytes.length; i++) yield bytes.slice(i, i + 1);
    return;
  }
  const rnd = seededRandom(seed);
  let i = 0;
  while (i < bytes.length) {
    const n = 1 + Math.floor(rnd() * maxChunk);
    yield bytes.slice(i, i + n);
    i += n;
  }
}

/** Collect every value of an async iterable into an array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of it) out.push(v);
  return out;
}
