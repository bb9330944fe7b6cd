import type { AppLoadContext } from '@remix-run/node';

/** The client address Express saw (behind a proxy only when TRUST_PROXY is set). */
export function clientIpOf(context: AppLoadContext): string {
  return context.clientIp || 'unknown';
}

export function minutesText(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? 'a minute' : `${minutes} minutes`;
}
