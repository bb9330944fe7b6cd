import { and, eq } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import { auditLog, towns, townSubscriptions } from '#db/schema';
import { withBilling, withStateOversight, withTown } from '#db/scope';
import { lifecycleOf } from '~/modules/towns/town-lifecycle.server';
import { addDays, dayIn } from '~/utils/calendar-day';
import type { StateStaff } from '~/utils/capabilities.server';
import { invalidateTownCaches } from '~/utils/town-cache.server';
import { findTownBySlug, type TownProfile } from '~/utils/town-profile.server';
import { stateStaffFor } from '../../../tests/capabilities';
import { createUser } from '../../../tests/factories';
import { recordPurchaseOrder, voidPurchaseOrder } from './purchase-orders.server';

const DAY_MS = 86_400_000;
let stateStaff: StateStaff;

/** The town as the app sees it now (profiles are re-read after every change). */
const profile = async (slug: string) => (await findTownBySlug(slug))!;

/** Gives the town a grant that ended `daysAgo` days ago, as the owner (nobody in the app may). */
async function grantEndedDaysAgo(slug: string, daysAgo: number): Promise<TownProfile> {
  const today = dayIn(new Date(), 'America/New_York');
  await getDatabase()
    .db.update(towns)
    .set({ grantStart: addDays(today, -daysAgo - 3 * 365), grantEnd: addDays(today, -daysAgo) })
    .where(eq(towns.slug, slug));
  invalidateTownCaches();
  return profile(slug);
}

const auditOf = (town: TownProfile, action: string) => withTown(town.id, (tx) => tx.select().from(auditLog).where(eq(auditLog.action, action)));

beforeAll(async () => {
  stateStaff = await stateStaffFor(await createUser({ stateStaff: true }));
});

describe('recording a purchase order', () => {
  it('makes a town whose grant ended subscribed for the order’s period, and only for it', async () => {
    const lapsed = await grantEndedDaysAgo('chelsea', 200);
    expect(lifecycleOf(lapsed).state).toBe('lapsed');
    const today = dayIn(new Date(), lapsed.timezone);
    const input = { periodStart: addDays(today, -10), periodEnd: addDays(today, 355), number: 'PO-CHE-1', amountCents: 490_000 };
    await recordPurchaseOrder(stateStaff, lapsed, input);

    const town = await profile('chelsea');
    expect(lifecycleOf(town)).toMatchObject({ state: 'subscribed', until: input.periodEnd, daysLeft: 355, renews: false });
    // Before the period: lapsed as it was; once it is over, grace counts from its end.
    expect(lifecycleOf(town, new Date(Date.now() - 12 * DAY_MS)).state).toBe('lapsed');
    expect(lifecycleOf(town, new Date(Date.now() + 360 * DAY_MS))).toMatchObject({ state: 'grace', serviceEnded: input.periodEnd });
  });

  it('stores the period as the town’s local midnights, and the order’s facts', async () => {
    const town = await profile('revere');
    const stored = async (id: string) => (await withStateOversight((tx) => tx.select().from(townSubscriptions).where(and(eq(townSubscriptions.townId, town.id), eq(townSubscriptions.id, id)))))[0];
    // Winter to summer: the UTC offset changes in between.
    const { id } = await recordPurchaseOrder(stateStaff, town, { periodStart: '2027-01-15', periodEnd: '2027-07-15', number: 'PO-REV-7', amountCents: 123_456 });
    expect(await stored(id)).toMatchObject({
      source: 'purchase_order',
      status: 'active',
      periodStart: new Date('2027-01-15T05:00:00Z'),
      periodEnd: new Date('2027-07-15T04:00:00Z'),
      endedAt: null,
      purchaseOrderNumber: 'PO-REV-7',
      amountCents: 123_456,
      recordedBy: stateStaff.user.id,
      stripeSubscriptionId: null,
    });
    // The town's own zone decides, whatever it is.
    const paris = await recordPurchaseOrder(stateStaff, { ...town, timezone: 'Europe/Paris' }, { periodStart: '2027-01-15', periodEnd: '2027-07-15', number: 'PO-REV-8', amountCents: 1 });
    expect(await stored(paris.id)).toMatchObject({ periodStart: new Date('2027-01-14T23:00:00Z'), periodEnd: new Date('2027-07-14T22:00:00Z') });
  });

  it('writes an audit entry in the town’s log, by the state staff member', async () => {
    const town = await profile('chelsea');
    const [entry] = await auditOf(town, 'billing.purchase_order_recorded');
    expect(entry).toMatchObject({
      actorUserId: stateStaff.user.id,
      entityType: 'purchase_order',
      after: { number: 'PO-CHE-1', amountCents: 490_000, timezone: 'America/New_York' },
    });
  });
});

describe('voiding a purchase order', () => {
  it('returns the town to grace from today, then lapse; the reason goes into the audit log', async () => {
    const town = await profile('chelsea');
    const [order] = await withStateOversight((tx) => tx.select({ id: townSubscriptions.id }).from(townSubscriptions).where(eq(townSubscriptions.purchaseOrderNumber, 'PO-CHE-1')));
    expect(await voidPurchaseOrder(stateStaff, town, order!.id, 'Entered for the wrong town')).toEqual({ ok: true });

    const after = await profile('chelsea');
    const today = dayIn(new Date(), after.timezone);
    expect(lifecycleOf(after)).toMatchObject({ state: 'grace', serviceEnded: today });
    expect(lifecycleOf(after, new Date(Date.now() + 61 * DAY_MS)).state).toBe('lapsed');

    const [entry] = await auditOf(after, 'billing.purchase_order_voided');
    expect(entry).toMatchObject({ actorUserId: stateStaff.user.id, entityId: order!.id, before: { number: 'PO-CHE-1', endedAt: null }, after: { number: 'PO-CHE-1', reason: 'Entered for the wrong town' } });
  });

  it('refuses an order already voided, and changes nothing', async () => {
    const town = await profile('chelsea');
    const [order] = await withStateOversight((tx) => tx.select().from(townSubscriptions).where(eq(townSubscriptions.purchaseOrderNumber, 'PO-CHE-1')));
    expect(await voidPurchaseOrder(stateStaff, town, order!.id, 'again')).toEqual({ ok: false, code: 'already_voided' });
    const [again] = await withStateOversight((tx) => tx.select().from(townSubscriptions).where(eq(townSubscriptions.id, order!.id)));
    expect(again!.endedAt).toEqual(order!.endedAt);
    expect(await auditOf(town, 'billing.purchase_order_voided')).toHaveLength(1);
  });

  it('knows no order of another town, no card subscription and no made-up id', async () => {
    const chelsea = await profile('chelsea');
    const revere = await profile('revere');
    const [revereOrder] = await withStateOversight((tx) => tx.select({ id: townSubscriptions.id }).from(townSubscriptions).where(eq(townSubscriptions.purchaseOrderNumber, 'PO-REV-7')));
    expect(await voidPurchaseOrder(stateStaff, chelsea, revereOrder!.id, 'wrong town')).toEqual({ ok: false, code: 'not_found' });

    // A card subscription is Stripe's: the program role cannot even see it.
    const card = uuidv7();
    const start = new Date(Date.now() - DAY_MS);
    await withBilling((tx) =>
      tx.insert(townSubscriptions).values({ townId: revere.id, id: card, source: 'stripe', status: 'active', periodStart: start, periodEnd: new Date(start.getTime() + 365 * DAY_MS), stripeSubscriptionId: 'sub_po_test' }),
    );
    expect(await voidPurchaseOrder(stateStaff, revere, card, 'not ours')).toEqual({ ok: false, code: 'not_found' });
    const [stillActive] = await withStateOversight((tx) => tx.select({ endedAt: townSubscriptions.endedAt }).from(townSubscriptions).where(eq(townSubscriptions.id, card)));
    expect(stillActive!.endedAt).toBeNull();

    expect(await voidPurchaseOrder(stateStaff, revere, 'not-a-uuid', 'nonsense')).toEqual({ ok: false, code: 'not_found' });
    expect(await voidPurchaseOrder(stateStaff, revere, uuidv7(), 'nobody')).toEqual({ ok: false, code: 'not_found' });
  });
});
