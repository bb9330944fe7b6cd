import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '#db/client';
import { uuidv7 } from '#db/ids';
import { towns, townInvoices, townSubscriptions, users } from '#db/schema';
import { withBilling, withTown } from '#db/scope';
import { insertApiKey } from '~/modules/open311/api-keys.server';
import { grantTownRole } from '~/utils/memberships.server';
import { hashPassword } from '~/utils/password.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts';

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function addYears(date: Date, years: number): Date {
  const d = new Date(date);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d;
}

/** Which demo town shows which state of the lifecycle (README, "Demo data"); today decides. */
export const DEMO_LIFECYCLE_TOWNS = {
  endingSoon: 'malden',
  grace: 'lexington',
  lapsed: 'chelsea',
  subscribedByCard: 'salem',
  subscribedByPurchaseOrder: 'watertown',
} as const;

/**
 * The real grant terms all ended years ago, so the demo gives every town a current term, except
 * the towns above, whose grants end within 30 days or ended long enough ago for grace, lapse and
 * a subscription by card or by purchase order. Returns each town's grant end.
 */
export function demoGrantEnd(slug: string, index: number, today: Date): Date {
  const days: Record<string, number> = {
    somerville: 3 * 365 - 400,
    newton: 3 * 365 - 200,
    [DEMO_LIFECYCLE_TOWNS.endingSoon]: 20,
    [DEMO_LIFECYCLE_TOWNS.grace]: -10,
    [DEMO_LIFECYCLE_TOWNS.lapsed]: -100,
    [DEMO_LIFECYCLE_TOWNS.subscribedByCard]: -150,
    [DEMO_LIFECYCLE_TOWNS.subscribedByPurchaseOrder]: -250,
  };
  // Everyone else: between 200 and 1,000 days left, spread so the console's dates differ.
  return addDays(today, days[slug] ?? 200 + ((index * 97) % 800));
}

/** Fixed ids, so seeding again updates the demo's subscriptions instead of adding more. */
const DEMO_CARD_SUBSCRIPTION = { id: '0192f000-0000-7000-8000-00000000ca7d', stripeSubscriptionId: 'sub_demo_salem', customer: 'cus_demo_salem', invoice: 'in_demo_salem_1' };
const DEMO_PURCHASE_ORDER = { id: '0192f000-0000-7000-8000-0000000000b0', number: 'PO-2026-0417' };

async function seedDemoSubscriptions(db: Database, townIdBySlug: Map<string, number>, today: Date): Promise<void> {
  const cardTown = townIdBySlug.get(DEMO_LIFECYCLE_TOWNS.subscribedByCard);
  const orderTown = townIdBySlug.get(DEMO_LIFECYCLE_TOWNS.subscribedByPurchaseOrder);
  const state = (await db.select({ id: users.id }).from(users).where(eq(users.isStateStaff, true)).limit(1))[0];
  await withBilling(async (tx) => {
    if (cardTown) {
      const periodStart = addDays(today, -150);
      const period = { status: 'active', periodStart, periodEnd: addDays(periodStart, 365), endedAt: null, stripeStateAt: today, updatedAt: today };
      await tx.update(towns).set({ stripeCustomerId: DEMO_CARD_SUBSCRIPTION.customer }).where(eq(towns.id, cardTown));
      await tx
        .insert(townSubscriptions)
        .values({ townId: cardTown, id: DEMO_CARD_SUBSCRIPTION.id, source: 'stripe', stripeSubscriptionId: DEMO_CARD_SUBSCRIPTION.stripeSubscriptionId, ...period })
        .onConflictDoUpdate({ target: [townSubscriptions.townId, townSubscriptions.id], set: period });
      const invoice = { status: 'paid', amountDueCents: 490_000, amountPaidCents: 490_000, currency: 'usd', paidAt: periodStart, stripeStateAt: periodStart };
      await tx
        .insert(townInvoices)
        .values({ townId: cardTown, stripeInvoiceId: DEMO_CARD_SUBSCRIPTION.invoice, stripeSubscriptionId: DEMO_CARD_SUBSCRIPTION.stripeSubscriptionId, ...invoice })
        .onConflictDoUpdate({ target: [townInvoices.townId, townInvoices.stripeInvoiceId], set: invoice });
    }
    if (orderTown) {
      const periodStart = addDays(today, -250);
      const period = { status: 'active', periodStart, periodEnd: addDays(periodStart, 365), endedAt: null, updatedAt: today };
      await tx
        .insert(townSubscriptions)
        .values({ townId: orderTown, id: DEMO_PURCHASE_ORDER.id, source: 'purchase_order', purchaseOrderNumber: DEMO_PURCHASE_ORDER.number, amountCents: 490_000, recordedBy: state?.id ?? null, ...period })
        .onConflictDoUpdate({ target: [townSubscriptions.townId, townSubscriptions.id], set: period });
    }
  });
}

/** Somerville's published Open311 key in demo mode, so an integrator can POST at once (README). */
export const DEMO_OPEN311_KEY = 'demo-somerville-open311';

export async function seedDemo(db: Database, today = new Date()): Promise<{ accounts: number }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const emails = DEMO_ACCOUNTS.map((a) => a.email);
  await db
    .insert(users)
    .values(
      DEMO_ACCOUNTS.map((a) => ({
        id: uuidv7(),
        email: a.email,
        displayName: a.displayName,
        passwordHash,
        emailVerifiedAt: today,
        isStateStaff: a.stateStaff ?? false,
      })),
    )
    .onConflictDoNothing();
  const rows = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(sql`lower(${users.email})`, emails));
  const idByEmail = new Map(rows.map((r) => [r.email, r.id]));
  const townRows = await db.select({ id: towns.id, slug: towns.slug }).from(towns).orderBy(asc(towns.slug));
  const townIdBySlug = new Map(townRows.map((t) => [t.slug, t.id]));

  for (const account of DEMO_ACCOUNTS) {
    for (const [slug, role] of account.roles ?? []) {
      const townId = townIdBySlug.get(slug);
      const userId = idByEmail.get(account.email);
      if (townId && userId) await grantTownRole(townId, userId, role);
    }
  }
  for (const [index, town] of townRows.entries()) {
    const end = demoGrantEnd(town.slug, index, today);
    await db
      .update(towns)
      .set({ grantStart: isoDate(addYears(end, -3)), grantEnd: isoDate(end) })
      .where(eq(towns.id, town.id));
  }
  await seedDemoSubscriptions(db, townIdBySlug, today);
  const somerville = townIdBySlug.get('somerville');
  if (somerville) await withTown(somerville, (tx) => insertApiKey(tx, somerville, { key: DEMO_OPEN311_KEY, name: 'Demo key (published in the README)', scopes: ['requests.create', 'updates.create'], createdByUserId: null }));
  invalidateTownCaches();
  return { accounts: DEMO_ACCOUNTS.length };
}
