/** One field of an audit entry as a person reads it: `field: old → new`. */
export type FieldChange = { field: string; before: string | null; after: string | null };

/** A value in words: text as it is, lists joined, objects as compact JSON; empty for nothing. */
function shown(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.every((v) => typeof v !== 'object' || v === null) ? value.map((v) => shown(v) ?? '').join(', ') : JSON.stringify(value);
  return JSON.stringify(value);
}

/** Longest value shown: a log keeps summaries, and a boundary's outline is no reading matter. */
const VALUE_MAX = 300;
const clipped = (text: string | null) => (text !== null && text.length > VALUE_MAX ? `${text.slice(0, VALUE_MAX - 1)}…` : text);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What an audit entry's before and after say, field by field, in the order the entry lists them:
 * a field that did not change is left out; one only before was removed, one only after was set.
 * A before or after that is not an object (rare) is shown as one unnamed value.
 */
export function describeChange(before: unknown, after: unknown): FieldChange[] {
  if (!isRecord(before) && !isRecord(after)) {
    const [b, a] = [clipped(shown(before)), clipped(shown(after))];
    return b === null && a === null ? [] : [{ field: '', before: b, after: a }];
  }
  const from = isRecord(before) ? before : {};
  const to = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  return fields
    .filter((field) => shown(from[field]) !== shown(to[field]))
    .map((field) => ({ field, before: clipped(shown(from[field])), after: clipped(shown(to[field])) }));
}
