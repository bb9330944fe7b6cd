import type { AppLoadContext } from '@remix-run/node';

/** The client address Express saw (behind a proxy only when TRUST_PROXY is set). */
export function clientIpOf(context: AppLoadContext): string {
  return context.clientIp || 'unknown';
}
