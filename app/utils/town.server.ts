import { json } from '@remix-run/node';
import { getEnv } from './env.server';
import { oncePerRequest, type RequestArgs } from './request-memo.server';
import { findTownBySlug, type TownProfile } from './town-profile.server';

export type HostTarget = { kind: 'statewide' } | { kind: 'town'; slug: string } | { kind: 'unknown' };
export type Site = { kind: 'statewide' } | { kind: 'town'; town: TownProfile };

const SLUG_LABEL = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The root domains a host may sit under: the configured one, and localhost for development. */
function rootDomains(): string[] {
  return [...new Set([getEnv().ROOT_DOMAIN, 'localhost'])];
}

/**
 * Classifies a Host header. Only a single label directly under a root domain can name a town;
 * whether it does is the registry's answer (`resolveSite`), never the label alone.
 */
export function resolveTenantFromHost(hostHeader: string | null): HostTarget {
  if (!hostHeader) return { kind: 'unknown' };
  const host = hostHeader.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  for (const root of rootDomains()) {
    if (host === root || host === `www.${root}`) return { kind: 'statewide' };
    if (host.endsWith(`.${root}`)) {
      const label = host.slice(0, -root.length - 1);
      return SLUG_LABEL.test(label) ? { kind: 'town', slug: label } : { kind: 'unknown' };
    }
  }
  return { kind: 'unknown' };
}

/**
 * The site a request is for; an unknown host is a 404 that links to the statewide site. The town is
 * read once per HTTP request (the refusal is built per call: a Response body can be read only once).
 */
export async function resolveSite(args: RequestArgs): Promise<Site> {
  const url = new URL(args.request.url);
  const target = resolveTenantFromHost(url.host);
  if (target.kind === 'statewide') return { kind: 'statewide' };
  const town = target.kind === 'town' ? await oncePerRequest(args, `town:${target.slug}`, () => findTownBySlug(target.slug)) : null;
  if (!town) {
    const message = `There is no Commonwealth Connect site at ${url.hostname}.`;
    throw json({ message, statewideOrigin: siteOrigin(null) }, { status: 404, statusText: 'Unknown town' });
  }
  return { kind: 'town', town };
}

/** For pages that exist only on a town's host (staff and admin consoles, reporting). */
export async function requireTown(args: RequestArgs): Promise<TownProfile> {
  const site = await resolveSite(args);
  if (site.kind !== 'town') throw new Response('This page belongs to a town site', { status: 404 });
  return site.town;
}

export async function requireStatewideSite(args: RequestArgs): Promise<void> {
  const site = await resolveSite(args);
  if (site.kind !== 'statewide') throw new Response('This page belongs to the statewide site', { status: 404 });
}

/**
 * Origin of the statewide site or a town's site, from the configuration alone: links in emails and
 * redirects must not follow whatever Host header a client sent.
 */
export function siteOrigin(townSlug: string | null): string {
  const { PUBLIC_SCHEME, PUBLIC_PORT, ROOT_DOMAIN } = getEnv();
  const defaultPort = PUBLIC_SCHEME === 'https' ? 443 : 80;
  const port = PUBLIC_PORT && PUBLIC_PORT !== defaultPort ? `:${PUBLIC_PORT}` : '';
  return `${PUBLIC_SCHEME}://${townSlug ? `${townSlug}.` : ''}${ROOT_DOMAIN}${port}`;
}

/**
 * Absolute links into a town's site, for emails written now and read later. The emailed tokens are
 * base64url, so they need no escaping in a query string.
 */
export function townLinks(townSlug: string) {
  const origin = siteOrigin(townSlug);
  return {
    request: (trackingNumber: string) => `${origin}/requests/${trackingNumber}`,
    staffRequest: (trackingNumber: string) => `${origin}/staff/requests/${trackingNumber}`,
    /** The page that asks before unsubscribing (a GET changes nothing). */
    unsubscribe: (token: string) => `${origin}/unsubscribe?token=${token}`,
    /** RFC 8058: what a mail provider POSTs to when the recipient presses its "Unsubscribe". */
    oneClickUnsubscribe: (token: string) => `${origin}/unsubscribe/one-click?token=${token}`,
    /** An email-only reporter's own page for their report. */
    manage: (trackingNumber: string, token: string) => `${origin}/requests/${trackingNumber}/manage?token=${token}`,
    confirmFollow: (token: string) => `${origin}/follow?token=${token}`,
    fixedCheck: (trackingNumber: string, token: string, answer: 'yes' | 'no') => `${origin}/requests/${trackingNumber}/fixed?token=${token}&answer=${answer}`,
  };
}

/** Absolute links to the account pages of the site a request arrived on (a town's, or the statewide one). */
export async function accountLinks(args: RequestArgs) {
  const site = await resolveSite(args);
  const origin = siteOrigin(site.kind === 'town' ? site.town.slug : null);
  return {
    verifyEmail: (token: string) => `${origin}/verify-email?token=${token}`,
    finishSignUp: (token: string) => `${origin}/signup/confirm?token=${token}`,
    resetPassword: (token: string) => `${origin}/reset-password?token=${token}`,
    signIn: `${origin}/login`,
    forgotPassword: `${origin}/forgot-password`,
  };
}
