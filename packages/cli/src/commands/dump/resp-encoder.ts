// `rfx dump --format resp`: the commands that recreate each key, as RESP multibulk, for
// `redis-cli --pipe`. The commands are exactly what Redis's AOF rewrite writes (the rewrite
// package's AofRewriter: batches of at most 64 items, HMSET, PEXPIREAT after the value, streams
// with their groups); this file only writes them to the output sink.

import { Buffer } from 'node:buffer';

import { escapeBytes } from '@redis-forensics/core';
import { AofRewriter } from '@redis-forensics/rewrite';

import type { RdbKeyEvent } from '@redis-forensics/rdb';
import type { RewriteArg } from '@redis-forensics/rewrite';
import type { OutputSink } from '../../output-sink.js';

/** Writes key events as RESP commands to an {@link OutputSink}. */
export class RespEncoder {
  private readonly sink: OutputSink;
  private readonly rewriter: AofRewriter;
  private key0: RdbKeyEvent | undefined;

  /**
   * @param sink where the commands go
   * @param warn called for what cannot be recreated (module values, orphan PEL entries)
   */
  constructor(sink: OutputSink, warn: (message: string) => void) {
    this.sink = sink;
    this.rewriter = new AofRewriter({
      onWarning: (message) => {
        const k = this.key0;
        warn(k === undefined ? message : `key ${escapeBytes(k.key, 100)} in db ${k.db}: ${message}`);
      },
    });
  }

  /**
   * Write one RESP multibulk command.
   * @param args the command name and its arguments; strings are sent as UTF-8
   */
  command(args: readonly RewriteArg[]): void {
    const sink = this.sink;
    sink.text(`*${args.length}\r\n`);
    for (const a of args) {
      if (typeof a === 'string') sink.text(`$${Buffer.byteLength(a, 'utf8')}\r\n${a}\r\n`);
      else {
        sink.text(`$${a.length}\r\n`);
        sink.bytes(a);
        sink.text('\r\n');
      }
    }
  }

  /**
   * `FUNCTION LOAD <code>` for a function library (written before any SELECT, as the rewrite does).
   * @param code the library source
   */
  functionLoad(code: Uint8Array): void {
    for (const c of this.rewriter.functionLoad(code)) this.command(c);
  }

  /**
   * Write the commands for one key event (one part of a key, or a whole key).
   * @param ev the key event
   * @param first this is the key's first (or only) event
   * @returns false when the key is skipped (module values cannot be recreated with commands)
   */
  key(ev: RdbKeyEvent, first: boolean, _last: boolean): boolean {
    if (first) this.key0 = ev;
    for (const c of this.rewriter.key(ev)) this.command(c);
    return ev.value.kind !== 'module';
  }
}
