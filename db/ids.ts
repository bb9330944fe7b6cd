import { randomBytes } from 'node:crypto';
import { z } from 'zod';

let lastMs = -1;
let sequence = 0;

/**
 * UUID v7: time-ordered, so primary-key inserts append to the index instead of scattering.
 * Ids made in the same millisecond carry a rising 12-bit counter (RFC 9562, method 1), so rows
 * written in one transaction (same `now()`) still sort in the order they were written.
 * An explicit `at` (copying old rows) keeps that moment, without the ordering guarantee.
 */
export function uuidv7(at?: number): string {
  let ms: number;
  let counter: number;
  if (at !== undefined) {
    ms = at;
    counter = 0;
  } else {
    const now = Date.now();
    if (now > lastMs) {
      lastMs = now;
      sequence = 0;
    } else if (++sequence > 0xfff) {
      lastMs += 1;
      sequence = 0;
    }
    ms = lastMs;
    counter = sequence;
  }
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether a value from a form or URL is an id at all, so it is not sent to a uuid column. */
export function isUuid(value: string): boolean {
  return z.string().uuid().safeParse(value).success;
}
