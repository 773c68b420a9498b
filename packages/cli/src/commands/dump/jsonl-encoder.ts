// `rfx dump --format jsonl`: one JSON object per key per line. A key that arrives in parts is
// written as it arrives: the line's head with the first part, elements with every part, the
// closing brackets (and a stream's metadata) with the last part.

import { formatStreamId } from '@redis-forensics/rdb';

import { redisStringJson } from '../../redis-string-json.js';

import type { RdbKeyEvent, StreamGroup, StreamMeta } from '@redis-forensics/rdb';
import type { OutputSink } from '../../output-sink.js';

/**
 * A score as JSON: a number (shortest round-trip text, `-0` kept) or the strings `"inf"` /
 * `"-inf"`, which JSON numbers cannot express.
 * @param score a zset score
 * @returns JSON text
 */
export function scoreJson(score: number): string {
  if (score === Infinity) return '"inf"';
  if (score === -Infinity) return '"-inf"';
  if (Number.isNaN(score)) return '"nan"';
  if (Object.is(score, -0)) return '-0';
  return String(score);
}

function groupJson(group: StreamGroup): string {
  const pending = group.pending
    .map(
      (p) =>
        `[${JSON.stringify(formatStreamId(p.id))},${p.consumer === null ? 'null' : redisStringJson(p.consumer)},${p.deliveryTime},${p.deliveryCount}]`,
    )
    .join(',');
  const consumers = group.consumers
    .map(
      (c) =>
        `{"name":${redisStringJson(c.name)},"seenTime":${c.seenTime},"activeTime":${c.activeTime ?? 'null'},"pending":[${c.pending.map((id) => JSON.stringify(formatStreamId(id))).join(',')}]}`,
    )
    .join(',');
  return `{"name":${redisStringJson(group.name)},"lastId":${JSON.stringify(formatStreamId(group.lastId))},"entriesRead":${group.entriesRead ?? 'null'},"pending":[${pending}],"consumers":[${consumers}]}`;
}

function streamMetaJson(meta: StreamMeta | null): string {
  if (meta === null) {
    return '"length":null,"lastId":null,"firstId":null,"maxDeletedId":null,"entriesAdded":null,"groups":[]';
  }
  const id = (v: StreamMeta['lastId']): string => JSON.stringify(formatStreamId(v));
  return `"length":${meta.length},"lastId":${id(meta.lastId)},"firstId":${id(meta.firstId)},"maxDeletedId":${id(meta.maxDeletedId)},"entriesAdded":${meta.entriesAdded},"groups":[${meta.groups.map(groupJson).join(',')}]`;
}

/** Writes key events as JSONL to an {@link OutputSink}. */
export class JsonlEncoder {
  private readonly sink: OutputSink;
  /** No element of the current key written yet (so the next one needs no comma). */
  private firstElement = true;

  /** @param sink where the lines go */
  constructor(sink: OutputSink) {
    this.sink = sink;
  }

  /**
   * Write one key event: its head when `first`, its elements, its tail when `last`.
   * @param ev a key event (one part of a key, or a whole key)
   * @param first this is the key's first (or only) event
   * @param last this is the key's last (or only) event
   */
  key(ev: RdbKeyEvent, first: boolean, last: boolean): void {
    const sink = this.sink;
    const v = ev.value;
    if (first) {
      sink.text(
        `{"db":${ev.db},"key":${redisStringJson(ev.key)},"type":${JSON.stringify(ev.redisType)},"encoding":${JSON.stringify(ev.encoding)},"expireAt":${ev.expireAt ?? 'null'},"value":`,
      );
      this.firstElement = true;
      if (v.kind === 'stream') sink.text('{"entries":[');
      else if (v.kind !== 'string' && v.kind !== 'module') sink.text('[');
    }
    switch (v.kind) {
      case 'string':
        sink.text(redisStringJson(v.value));
        break;
      case 'module':
        sink.text(`{"module":${JSON.stringify(v.module.moduleName)},"version":${v.module.moduleVersion}}`);
        break;
      case 'list':
        for (const e of v.elements) this.element(redisStringJson(e));
        break;
      case 'set':
        for (const m of v.members) this.element(redisStringJson(m));
        break;
      case 'zset':
        for (const e of v.entries) this.element(`[${redisStringJson(e.member)},${scoreJson(e.score)}]`);
        break;
      case 'hash':
        for (const e of v.entries) {
          const ttl = e.expireAt === null ? '' : `,${e.expireAt}`;
          this.element(`[${redisStringJson(e.field)},${redisStringJson(e.value)}${ttl}]`);
        }
        break;
      case 'stream':
        for (const e of v.entries) {
          this.element(`[${JSON.stringify(formatStreamId(e.id))},[${e.fields.map(redisStringJson).join(',')}]]`);
        }
        break;
    }
    if (!last) return;
    if (v.kind === 'stream') sink.text(`],${streamMetaJson(v.meta)}}`);
    else if (v.kind !== 'string' && v.kind !== 'module') sink.text(']');
    sink.text('}\n');
  }

  private element(json: string): void {
    if (this.firstElement) this.firstElement = false;
    else this.sink.text(',');
    this.sink.text(json);
  }
}
