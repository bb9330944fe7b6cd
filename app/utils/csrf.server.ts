const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type OriginVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Every town is a subdomain of one site, so SameSite cookies do not stop one town's page from
 * posting to another. A state-changing request must come from a page on its own host.
 */
export function checkRequestOrigin(method: string, headers: Headers, host: string | undefined): OriginVerdict {
  if (SAFE_METHODS.has(method.toUpperCase())) return { allowed: true };
  if (!host) return { allowed: false, reason: 'missing Host header' };
  const origin = headers.get('Origin');
  if (origin && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return { allowed: false, reason: 'malformed Origin header' };
    }
    return originHost.toLowerCase() === host.toLowerCase() ? { allowed: true } : { allowed: false, reason: `cross-site request from ${origin}` };
  }
  const fetchSite = headers.get('Sec-Fetch-Site');
  if (fetchSite === 'same-origin') return { allowed: true };
  return { allowed: false, reason: fetchSite ? `cross-site request (${fetchSite})` : 'no Origin header' };
}
