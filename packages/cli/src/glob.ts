// Redis glob-style matching on raw key bytes, as KEYS, SCAN MATCH and PSUBSCRIBE do it.
// Source of truth: redis/src/util.c stringmatchlen_impl / stringmatchlen (Redis 7.x), ported
// statement by statement so that every corner case (unterminated `[`, trailing `\`, reversed
// ranges, the nesting limit) behaves as in the server.

/** Recursion limit of stringmatchlen_impl: deeper `*` nesting never matches. */
const STRINGMATCH_MAX_NESTING = 1000;

const STAR = 0x2a; // '*'
const QUESTION = 0x3f; // '?'
const LBRACKET = 0x5b; // '['
const RBRACKET = 0x5d; // ']'
const CARET = 0x5e; // '^'
const MINUS = 0x2d; // '-'
const BACKSLASH = 0x5c; // '\\'

interface MatchState {
  /** stringmatchlen_impl's `*skipLongerMatches`, shared by every recursion level. */
  skipLongerMatches: boolean;
}

/**
 * Whether `string` matches the Redis glob `pattern`, byte for byte.
 *
 * Supports `*` (any run of bytes), `?` (one byte), `[abc]`, `[^abc]`, `[a-z]` (a reversed range
 * `[z-a]` is swapped, as Redis does) and `\x` (the byte `x` literally, also inside brackets).
 * An unterminated `[` matches as if closed at the end of the pattern. Range bounds compare as C
 * `char` on x86-64, that is signed: bytes 0x80..0xff sort below 0x00.
 * @param pattern the glob, as raw bytes
 * @param string the key (or channel) bytes to test
 * @param nocase compare ASCII letters case-insensitively (tolower in the C locale). Defaults to false.
 * @returns true when the whole string matches the whole pattern
 * @see redis/src/util.c stringmatchlen
 */
export function stringMatchLen(pattern: Uint8Array, string: Uint8Array, nocase: boolean = false): boolean {
  const state: MatchState = { skipLongerMatches: false };
  return stringMatchLenImpl(pattern, 0, string, 0, nocase, state, 0);
}

/**
 * Build a predicate for a glob given as text (UTF-8 encoded, as the shell passed it).
 * @param glob the pattern, e.g. `user:*` or `session:[0-9]?`
 * @returns a function testing raw key bytes against the pattern
 * @see {@link stringMatchLen}
 */
export function compileGlob(glob: string): (key: Uint8Array) => boolean {
  const pattern = new Uint8Array(Buffer.from(glob, 'utf8'));
  // `*` alone is by far the commonest pattern: skip the matcher entirely.
  if (pattern.length === 1 && pattern[0] === STAR) return () => true;
  return (key) => stringMatchLen(pattern, key, false);
}

/** A byte as C's (signed on x86-64) `char` promoted to int. */
function signedChar(byte: number): number {
  return byte >= 0x80 ? byte - 0x100 : byte;
}

/** tolower() in the C locale: ASCII A-Z only. */
function toLower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/**
 * The C function with its two pointer/length pairs kept as absolute indices. `p + patternLen`
 * always equals `pattern.length`, so `pattern[p]` past the end is `undefined` exactly where C
 * reads the sds terminator `'\0'`, which never equals any of the special characters.
 */
function stringMatchLenImpl(
  pattern: Uint8Array,
  p: number,
  string: Uint8Array,
  s: number,
  nocase: boolean,
  state: MatchState,
  nesting: number,
): boolean {
  // Protection against abusive patterns.
  if (nesting > STRINGMATCH_MAX_NESTING) return false;
  let patternLen = pattern.length - p;
  let stringLen = string.length - s;

  while (patternLen > 0 && stringLen > 0) {
    switch (pattern[p]) {
      case STAR: {
        while (patternLen > 0 && pattern[p + 1] === STAR) {
          p++;
          patternLen--;
        }
        if (patternLen === 1) return true; // match
        while (stringLen > 0) {
          if (stringMatchLenImpl(pattern, p + 1, string, s, nocase, state, nesting + 1)) return true;
          if (state.skipLongerMatches) return false;
          s++;
          stringLen--;
        }
        // No match for the rest of the pattern from anywhere in the rest of the string: a longer
        // match for an earlier `*` cannot help either, so every level may give up at once.
        state.skipLongerMatches = true;
        return false;
      }
      case QUESTION:
        s++;
        stringLen--;
        break;
      case LBRACKET: {
        p++;
        patternLen--;
        const not = pattern[p] === CARET;
        if (not) {
          p++;
          patternLen--;
        }
        let match = false;
        for (;;) {
          if (pattern[p] === BACKSLASH && patternLen >= 2) {
            p++;
            patternLen--;
            if (pattern[p] === string[s]) match = true;
          } else if (pattern[p] === RBRACKET) {
            break;
          } else if (patternLen === 0) {
            p--;
            patternLen++;
            break;
          } else if (patternLen >= 3 && pattern[p + 1] === MINUS) {
            let start = signedChar(pattern[p]!);
            let end = signedChar(pattern[p + 2]!);
            let c = signedChar(string[s]!);
            if (start > end) {
              const t = start;
              start = end;
              end = t;
            }
            if (nocase) {
              start = toLower(start);
              end = toLower(end);
              c = toLower(c);
            }
            p += 2;
            patternLen -= 2;
            if (c >= start && c <= end) match = true;
          } else if (!nocase) {
            if (pattern[p] === string[s]) match = true;
          } else if (toLower(pattern[p]!) === toLower(string[s]!)) {
            match = true;
          }
          p++;
          patternLen--;
        }
        if (not) match = !match;
        if (!match) return false; // no match
        s++;
        stringLen--;
        break;
      }
      default: {
        if (pattern[p] === BACKSLASH && patternLen >= 2) {
          p++;
          patternLen--;
        }
        if (!nocase) {
          if (pattern[p] !== string[s]) return false; // no match
        } else if (toLower(pattern[p]!) !== toLower(string[s]!)) {
          return false; // no match
        }
        s++;
        stringLen--;
        break;
      }
    }
    p++;
    patternLen--;
    if (stringLen === 0) {
      while (pattern[p] === STAR) {
        p++;
        patternLen--;
      }
      break;
    }
  }
  return patternLen === 0 && stringLen === 0;
}
