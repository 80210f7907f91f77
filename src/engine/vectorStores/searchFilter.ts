/** Attribute filters of vector-store search (comparison and compound), evaluated against a file's attributes. */
import type { FileAttributes, SearchFilter } from '../validation/vectorStoreParams.ts';

type Comparable = string | number | boolean;

const COMPARE: Record<'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte', (actual: Comparable, expected: Comparable) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => typeof a === typeof b && a > b,
  gte: (a, b) => typeof a === typeof b && a >= b,
  lt: (a, b) => typeof a === typeof b && a < b,
  lte: (a, b) => typeof a === typeof b && a <= b,
};

export function matchesFilter(attributes: FileAttributes | null | undefined, filter: SearchFilter): boolean {
  if ('filters' in filter) return filter.type === 'and' ? filter.filters.every((inner) => matchesFilter(attributes, inner)) : filter.filters.some((inner) => matchesFilter(attributes, inner));
  const actual = attributes?.[filter.key];
  if (filter.type === 'in' || filter.type === 'nin') {
    const list = filter.value as Array<string | number>;
    const found = actual !== undefined && typeof actual !== 'boolean' && list.includes(actual);
    return filter.type === 'in' ? found : !found;
  }
  // A file without the attribute matches only "not equal".
  if (actual === undefined) return filter.type === 'ne';
  return COMPARE[filter.type](actual, filter.value as Comparable);
}
