import { eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import { devMailbox, serviceRequests, towns, users } from '#db/schema';
import type { TownRole } from '#db/vocabulary';
import { grantTownRole } from '~/utils/memberships.server';
import { deliverDueOutboxMessages } from '~/utils/outbox.server';
import { hashPassword } from '~/utils/password.server';
import { findTownBySlug, type TownProfile } from '~/utils/town-profile.server';

export const TEST_PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;

export async function townBySlug(slug: string): Promise<TownProfile> {
  const town = await findTownBySlug(slug);
  if (!town) throw new Error(`test town ${slug} is not in the registry`);
  return town;
}

export async function createUser(options: { email?: string; displayName?: string; stateStaff?: boolean; verified?: boolean; roles?: [TownProfile, TownRole][] } = {}) {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const id = uuidv7();
  const email = options.email ?? `user-${id.slice(-12)}@example.com`;
  await getDatabase().db.insert(users).values({
    id,
    email,
    displayName: options.displayName ?? null,
    passwordHash: await cachedHash,
    isStateStaff: options.stateStaff ?? false,
    emailVerifiedAt: options.verified === false ? null : new Date(),
  });
  for (const [town, role] of options.roles ?? []) await grantTownRole(town.id, id, role);
  return { id, email };
}

/** Builds the request a browser on `host` would send: same-origin, with cookies when given; form entries may repeat a name. */
export function browserRequest(url: string, init: { method?: string; form?: Record<string, string> | [string, string][]; cookie?: string | null; ip?: string } = {}) {
  const target = new URL(url);
  const headers = new Headers({ Origin: target.origin });
  if (init.cookie) headers.set('Cookie', init.cookie);
  const body = init.form ? new URLSearchParams(init.form) : undefined;
  return new Request(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
}

/** The `name=value` part of a Set-Cookie header, as the browser would send it back. */
export function cookieFrom(setCookie: string | null | undefined): string {
  if (!setCookie) throw new Error('expected a Set-Cookie header');
  return setCookie.split(';')[0]!;
}

/** Delivers the outbox and returns what landed in the dev mailbox for `to`. */
export async function mailboxFor(to: string) {
  await deliverDueOutboxMessages();
  return getDatabase().db.select().from(devMailbox).where(eq(devMailbox.to, to)).orderBy(devMailbox.id);
}

export async function townIds(): Promise<number[]> {
  return (await getDatabase().db.select({ id: towns.id }).from(towns)).map((t) => t.id);
}

let nextNumber = 1_000_000;
/**
 * A request row as the app stores it, with the times a test needs (insert it with withTown): for
 * figures that depend on when a request came in, was acknowledged and was closed.
 */
export function requestRow(town: TownProfile, categoryId: string, fields: Partial<typeof serviceRequests.$inferInsert> & { createdAt: Date }): typeof serviceRequests.$inferInsert {
  const number = nextNumber++;
  return {
    townId: town.id,
    id: uuidv7(fields.createdAt.getTime()),
    number,
    trackingNumber: `${town.trackingCode}-${number}`,
    categoryId,
    description: 'fixture',
    lat: 42.39,
    lng: -71.03,
    locationSource: 'coordinates',
    idempotencyKey: uuidv7(),
    dueAt: new Date(fields.createdAt.getTime() + 5 * 86_400_000),
    ...fields,
  };
}
