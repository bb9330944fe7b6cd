import type { SubscriptionFact } from '#db/vocabulary';
import { GRACE_DAYS, reportIntake, subscriptionCoverage, townLifecycle, type TownLifecycleFacts } from './lifecycle';

const live: TownLifecycleFacts = {
  timezone: 'America/New_York',
  grantStart: '2024-03-01',
  grantEnd: '2027-03-01',
  liveSince: '2024-03-01T05:00:00Z',
  leftProgramAt: null,
  subscriptions: [],
};
const at = (iso: string) => new Date(iso);
/** Midday in Massachusetts on `day`. */
const noon = (day: string) => at(`${day}T17:00:00Z`);
const card = (overrides: Partial<SubscriptionFact> = {}): SubscriptionFact => ({
  source: 'stripe',
  status: 'active',
  periodStart: '2027-03-10T15:00:00Z',
  periodEnd: '2028-03-10T15:00:00Z',
  endedAt: null,
  ...overrides,
});

describe('townLifecycle: the grant term', () => {
  it('is onboarding until the town goes live, whatever the grant dates say', () => {
    expect(townLifecycle({ ...live, liveSince: null }, noon('2026-06-01')).state).toBe('onboarding');
    expect(townLifecycle({ ...live, liveSince: '2026-06-02T00:00:00Z' }, noon('2026-06-01')).state).toBe('onboarding');
  });

  it('is in grant more than 180 days before the end, and ending from the 180th day (the first reminder)', () => {
    // 2026-09-02 is 180 days before 2027-03-01.
    expect(townLifecycle(live, noon('2026-09-01'))).toMatchObject({ state: 'in_grant', daysLeft: 181, until: '2027-03-01' });
    expect(townLifecycle(live, noon('2026-09-02'))).toMatchObject({ state: 'grant_ending', daysLeft: 180 });
    expect(townLifecycle(live, noon('2026-09-03'))).toMatchObject({ state: 'grant_ending', daysLeft: 179 });
    expect(townLifecycle(live, noon('2027-02-28'))).toMatchObject({ state: 'grant_ending', daysLeft: 1 });
  });

  it('enters grace on the end date and lapses after the grace days, by the town’s own calendar', () => {
    // 04:30 UTC on 1 March is still 28 February in Massachusetts.
    expect(townLifecycle(live, at('2027-03-01T04:30:00Z'))).toMatchObject({ state: 'grant_ending', daysLeft: 1 });
    expect(townLifecycle(live, at('2027-03-01T05:30:00Z'))).toMatchObject({ state: 'grace', daysLeft: GRACE_DAYS, until: '2027-04-30', serviceEnded: '2027-03-01' });
    // 2027-04-29 is day 59 after the end; 2027-04-30 is day 60.
    expect(townLifecycle(live, noon('2027-04-29'))).toMatchObject({ state: 'grace', daysLeft: 1 });
    expect(townLifecycle(live, noon('2027-04-30'))).toMatchObject({ state: 'lapsed', daysLeft: null, until: '2027-04-30', serviceEnded: '2027-03-01' });
    expect(townLifecycle(live, noon('2031-01-01')).state).toBe('lapsed');
  });

  it('takes the grace period from the options', () => {
    expect(townLifecycle(live, noon('2027-03-10'), { graceDays: 10 })).toMatchObject({ state: 'grace', daysLeft: 1 });
    expect(townLifecycle(live, noon('2027-03-11'), { graceDays: 10 }).state).toBe('lapsed');
    expect(townLifecycle(live, noon('2027-03-01'), { graceDays: 0 }).state).toBe('lapsed');
  });

  it('counts the town’s days in its own time zone, not the server’s', () => {
    const honolulu = { ...live, timezone: 'Pacific/Honolulu' };
    // 09:00 UTC on 1 March is 23:00 on 28 February in Honolulu, already 1 March in Boston.
    expect(townLifecycle(honolulu, at('2027-03-01T09:00:00Z')).state).toBe('grant_ending');
    expect(townLifecycle(live, at('2027-03-01T09:00:00Z')).state).toBe('grace');
  });

  it('counts across a leap day', () => {
    const leap = { ...live, grantStart: '2025-02-28', grantEnd: '2028-02-28' };
    expect(townLifecycle(leap, noon('2028-02-27')).daysLeft).toBe(1);
    expect(townLifecycle(leap, noon('2028-02-29'))).toMatchObject({ state: 'grace', daysLeft: GRACE_DAYS - 1 });
    // 60 days after 28 February 2028 is 28 April (29 days of February's tail and March, then April).
    expect(townLifecycle(leap, noon('2028-04-27')).state).toBe('grace');
    expect(townLifecycle(leap, noon('2028-04-28')).state).toBe('lapsed');
  });

  it('follows an extended term at once', () => {
    expect(townLifecycle({ ...live, grantEnd: '2028-03-01' }, noon('2027-04-30')).state).toBe('in_grant');
  });

  it('is left once the town has left the program, from that moment, whatever pays for it', () => {
    const leaving = { ...live, leftProgramAt: '2026-06-01T15:00:00Z', subscriptions: [card({ periodStart: '2026-01-01T00:00:00Z' })] };
    expect(townLifecycle(leaving, at('2026-06-01T14:59:59Z')).state).toBe('subscribed');
    expect(townLifecycle(leaving, at('2026-06-01T15:00:00Z')).state).toBe('left');
  });
});

describe('townLifecycle: subscriptions', () => {
  it('is subscribed while an active card subscription covers the moment, from grace or lapse alike', () => {
    const subscribed = { ...live, subscriptions: [card()] };
    expect(townLifecycle(subscribed, at('2027-03-10T14:59:59Z')).state).toBe('grace');
    expect(townLifecycle(subscribed, at('2027-03-10T15:00:00Z'))).toMatchObject({ state: 'subscribed', until: '2028-03-10', renews: true });
    const fromLapse = { ...live, subscriptions: [card({ periodStart: '2027-06-01T15:00:00Z', periodEnd: '2028-06-01T15:00:00Z' })] };
    expect(townLifecycle(fromLapse, noon('2027-05-31')).state).toBe('lapsed');
    expect(townLifecycle(fromLapse, noon('2027-06-01')).state).toBe('subscribed');
  });

  it('is subscribed during the grant when the town subscribed early (the trial runs to the grant’s end)', () => {
    const early = { ...live, subscriptions: [card({ status: 'trialing', periodStart: '2026-10-01T15:00:00Z', periodEnd: '2027-03-01T05:00:00Z' })] };
    expect(townLifecycle(early, noon('2026-10-02')).state).toBe('subscribed');
  });

  it('stays subscribed while Stripe retries a failed renewal, and goes to grace when the retries end', () => {
    const pastDue = { ...live, subscriptions: [card({ status: 'past_due', periodStart: '2028-03-10T15:00:00Z', periodEnd: '2029-03-10T15:00:00Z' })] };
    expect(townLifecycle(pastDue, noon('2028-03-20'))).toMatchObject({ state: 'subscribed', renews: false });
    // Unpaid after the retries: the service stopped on the day Stripe gave up.
    const unpaid = { ...live, subscriptions: [card({ status: 'unpaid', periodStart: '2028-03-10T15:00:00Z', periodEnd: '2029-03-10T15:00:00Z', endedAt: '2028-04-01T15:00:00Z' })] };
    expect(townLifecycle(unpaid, noon('2028-04-02'))).toMatchObject({ state: 'grace', serviceEnded: '2028-04-01', until: '2028-05-31' });
    expect(townLifecycle(unpaid, noon('2028-05-31')).state).toBe('lapsed');
  });

  it('goes from subscribed to grace when the subscription is cancelled, and lapses after the grace days', () => {
    const cancelled = { ...live, subscriptions: [card({ status: 'canceled', endedAt: '2027-09-01T16:00:00Z' })] };
    expect(townLifecycle(cancelled, at('2027-09-01T15:59:59Z')).state).toBe('subscribed');
    expect(townLifecycle(cancelled, at('2027-09-01T16:00:00Z'))).toMatchObject({ state: 'grace', daysLeft: GRACE_DAYS, serviceEnded: '2027-09-01' });
    expect(townLifecycle(cancelled, noon('2027-10-31')).state).toBe('lapsed');
  });

  it('counts a pending checkout or a failed first payment as nothing paid', () => {
    for (const status of ['incomplete', 'incomplete_expired']) {
      const pending = { ...live, subscriptions: [card({ status })] };
      expect(townLifecycle(pending, noon('2027-06-01')).state).toBe('lapsed');
    }
  });

  it('counts a purchase order for its period, and not once voided', () => {
    const order: SubscriptionFact = { source: 'purchase_order', status: 'active', periodStart: '2027-03-01T05:00:00Z', periodEnd: '2028-03-01T05:00:00Z', endedAt: null };
    expect(townLifecycle({ ...live, subscriptions: [order] }, noon('2027-03-01'))).toMatchObject({ state: 'subscribed', until: '2028-03-01', renews: false });
    expect(townLifecycle({ ...live, subscriptions: [order] }, noon('2028-03-01'))).toMatchObject({ state: 'grace', serviceEnded: '2028-03-01' });
    expect(townLifecycle({ ...live, subscriptions: [{ ...order, endedAt: '2027-03-02T05:00:00Z' }] }, noon('2027-03-03'))).toMatchObject({ state: 'grace', serviceEnded: '2027-03-02' });
  });

  it('never lets a subscription that ended before the grant shorten the grace after it', () => {
    const old = { ...live, subscriptions: [card({ status: 'canceled', periodStart: '2024-01-01T00:00:00Z', periodEnd: '2025-01-01T00:00:00Z', endedAt: '2024-06-01T00:00:00Z' })] };
    expect(townLifecycle(old, noon('2027-03-02'))).toMatchObject({ state: 'grace', serviceEnded: '2027-03-01' });
  });
});

describe('subscriptionCoverage', () => {
  it('ends at the earlier of the period end and the moment the service stopped', () => {
    expect(subscriptionCoverage(card({ endedAt: '2030-01-01T00:00:00Z' }))).toEqual({ from: Date.parse('2027-03-10T15:00:00Z'), until: Date.parse('2028-03-10T15:00:00Z') });
    expect(subscriptionCoverage(card({ status: 'incomplete' }))).toBeNull();
    // Voided before its period began: it covered nothing, and must not start a fresh grace period.
    const voidedEarly: SubscriptionFact = { source: 'purchase_order', status: 'active', periodStart: '2027-06-01T04:00:00Z', periodEnd: '2028-06-01T04:00:00Z', endedAt: '2027-05-20T12:00:00Z' };
    expect(subscriptionCoverage(voidedEarly)).toBeNull();
    expect(townLifecycle({ ...live, subscriptions: [voidedEarly] }, noon('2027-05-21')).state).toBe('lapsed');
  });
});

describe('reportIntake', () => {
  it('is open while live, in grace and subscribed; closed while onboarding, lapsed or after leaving', () => {
    expect(reportIntake(live, noon('2026-06-01'))).toEqual({ open: true });
    expect(reportIntake(live, noon('2027-04-29'))).toEqual({ open: true });
    expect(reportIntake(live, noon('2027-04-30'))).toEqual({ open: false, reason: 'lapsed' });
    expect(reportIntake({ ...live, subscriptions: [card({ periodStart: '2027-04-30T04:00:00Z' })] }, noon('2027-04-30'))).toEqual({ open: true });
    expect(reportIntake({ ...live, liveSince: null }, noon('2026-06-01'))).toEqual({ open: false, reason: 'onboarding' });
    expect(reportIntake({ ...live, leftProgramAt: '2026-05-01T00:00:00Z' }, noon('2026-06-01'))).toEqual({ open: false, reason: 'left' });
  });
});
