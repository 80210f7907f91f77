/**
 * Query strings as the SDKs write them: `include[]=a&include[]=b` (qs "brackets" format) becomes
 * `{ include: ['a', 'b'] }`; a key given twice without brackets keeps its last value.
 */
export type QueryValues = Record<string, string | string[]>;

export function parseQuery(search: string): QueryValues {
  const values: QueryValues = {};
  if (search.length === 0) return values;
  for (const [rawKey, value] of new URLSearchParams(search)) {
    if (rawKey.endsWith('[]')) {
      const key = rawKey.slice(0, -2);
      const existing = values[key];
      values[key] = Array.isArray(existing) ? [...existing, value] : existing === undefined ? [value] : [existing, value];
    } else {
      values[rawKey] = value;
    }
  }
  return values;
}
