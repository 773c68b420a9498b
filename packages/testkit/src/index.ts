export { collect, feed, FEED_MODES, seededRandom } from './feed.js';
export type { FeedMode } from './feed.js';
