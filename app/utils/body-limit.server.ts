export type BodyVerdict = { allowed: true } | { allowed: false; status: 411 | 413; message: string };

/**
 * Refuses oversized bodies before anything reads them. Browsers always send Content-Length for
 * form posts, so a body without one (chunked) is refused rather than read without a bound.
 */
export function checkRequestBody(method: string, headers: Headers, maxBytes: number): BodyVerdict {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return { allowed: true };
  const declared = headers.get('Content-Length');
  if (declared === null) {
    return headers.get('Transfer-Encoding')
      ? { allowed: false, status: 411, message: 'Length Required: send a Content-Length header.' }
      : { allowed: true };
  }
  if (Number(declared) > maxBytes) {
    return { allowed: false, status: 413, message: `Payload Too Large: this form accepts at most ${maxBytes >= 1_000_000 ? `${Math.floor(maxBytes / 1_000_000)} MB` : `${Math.floor(maxBytes / 1000)} kB`}.` };
  }
  return { allowed: true };
}
