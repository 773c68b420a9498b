// What a command replies, RESP2-shaped. Bulk strings are latin1 JS strings (one char per byte),
// like every Redis string inside the keyspace; use latin1ToBytes to get the bytes.

/** A status reply (`+OK`). */
export interface StatusReply {
  status: string;
}

/** An error reply (`-ERR ...`), as one element of an EXEC reply. */
export interface ErrorReply {
  error: string;
}

/** A double reply (RESP2 prints it as a bulk string; the text depends on the server version). */
export interface DoubleReply {
  double: number;
}

/**
 * A reply: null (nil bulk or nil array), an integer (number, or bigint beyond 2^53), a bulk
 * string (latin1), a status, an error (inside EXEC), a double, or an array of replies.
 */
export type Reply = null | number | bigint | string | StatusReply | ErrorReply | DoubleReply | readonly Reply[];

/** `+OK`. */
export const OK: StatusReply = Object.freeze({ status: 'OK' });
