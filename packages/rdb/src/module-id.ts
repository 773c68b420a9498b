// Module type ids: a 64-bit number holding a 9-character name (6 bits a character) and a 10-bit
// encoding version. Source of truth: redis/src/module.c moduleTypeNameByID, moduleTypeEncodeId.

const MODULE_TYPE_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Split a module type id into its 9-character name and encoding version.
 * @see redis/src/module.c moduleTypeNameByID
 */
export function decodeModuleId(id: bigint): { name: string; version: number } {
  const version = Number(id & 1023n);
  let rest = id >> 10n;
  let name = '';
  for (let i = 0; i < 9; i++) {
    name = MODULE_TYPE_CHARSET[Number(rest & 63n)]! + name;
    rest >>= 6n;
  }
  return { name, version };
}

/**
 * Build a module type id from a 9-character name and an encoding version (0..1023).
 * @see redis/src/module.c RM_CreateDataType (id computation)
 */
export function encodeModuleId(name: string, version: number): bigint {
  if (name.length !== 9) throw new RangeError('module type names have exactly 9 characters');
  let id = 0n;
  for (const ch of name) {
    const code = MODULE_TYPE_CHARSET.indexOf(ch);
    if (code < 0) throw new RangeError(`character ${JSON.stringify(ch)} is not allowed in module type names`);
    id = (id << 6n) | BigInt(code);
  }
  return (id << 10n) | BigInt(version & 1023);
}
