export { encodeCommand, encodeCommandText } from './encode-command.js';
export { AOF_ANNOTATION_LINE_MAX_LEN, readRespRecord } from './read-record.js';
export type { RespLimits, RespRecord } from './read-record.js';
