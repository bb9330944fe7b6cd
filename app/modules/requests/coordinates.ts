/**
 * A latitude or longitude as people type or paste it: "42.3876", "42,3876" (a decimal comma, as
 * phones in many languages write it), "−71.0995" (the minus sign copied from a web page), "42.3876°".
 * No server code, so the form can read it the same way to place its pin.
 */
export type CoordinateReading = { ok: true; value: number } | { ok: false; reason: 'not_a_number' | 'two_numbers' };

const NUMBER = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$/;
// Both coordinates pasted into one field: "42.3876, -71.0995", "42,3876, -71,0995", "42.3876 -71.0995".
const PAIR = /^[+-]?\d+(?:[.,]\d+)?\s*(?:[,;]\s*|\s+)[+-]?\d+(?:[.,]\d+)?$/;

/** Null for an empty field; a pair in one field is refused, never read as one of its halves. */
export function readCoordinate(text: string): CoordinateReading | null {
  const typed = text.trim().replace(/\u2212/g, '-').replace(/\s*°/g, '');
  if (!typed) return null;
  if (NUMBER.test(typed)) return { ok: true, value: Number(typed.replace(',', '.')) };
  return { ok: false, reason: PAIR.test(typed) ? 'two_numbers' : 'not_a_number' };
}
