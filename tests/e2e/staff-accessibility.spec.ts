import assert from 'node:assert/strict';
import { test } from './fixtures';
import { assertAccessible, DEMO, hydrated, mainHydrated, mapSettled, open, signIn, staffRequestUrl, town } from './helpers';

// Every staff and admin page judged by axe, each signed in as the person who uses it, after
// hydration: the fixtures fail any of them on a console error (a React hydration error included).

test('accessibility (axe WCAG 2.1 AA): staff request page', async ({ page, somervilleRequest }) => {
  await signIn(page, town('somerville'), DEMO.staffSomerville);
  assert.equal(await open(page, staffRequestUrl(somervilleRequest.trackingNumber)), 200);
  await hydrated(page);
  await mapSettled(page); // judge it with the relocation map
  await assertAccessible(page);
});

const STAFF_PAGES = [
  ['staff queue', '/staff'],
  ['staff queue on a map', '/staff?view=map'],
  ['response templates', '/staff/templates'],
  ['report for a caller', '/staff/new'],
] as const;

const ADMIN_PAGES = [
  ['admin overview', '/admin'],
  ['admin categories', '/admin/categories'],
  ['admin category', '/admin/categories/pothole'],
  ['admin departments', '/admin/departments'],
  ['admin staff', '/admin/staff'],
  ['admin profile', '/admin/profile'],
  ['admin boundary', '/admin/boundary'],
  ['admin closure days', '/admin/closures'],
  ['admin billing', '/admin/billing'],
  ['admin API keys', '/admin/api-keys'],
  ['admin webhooks', '/admin/webhooks'],
  ['admin audit log', '/admin/audit'],
  ['admin audit log, filtered', '/admin/audit?action=status_changed&from=2026-01-01'],
] as const;

for (const [pages, email] of [
  [STAFF_PAGES, DEMO.staffSomerville],
  [ADMIN_PAGES, DEMO.adminSomerville],
] as const) {
  for (const [name, path] of pages) {
    test(`accessibility (axe WCAG 2.1 AA), no console error: ${name}`, async ({ page }) => {
      await signIn(page, town('somerville'), email);
      assert.equal(await open(page, `${town('somerville')}${path}`), 200);
      await mainHydrated(page);
      await assertAccessible(page);
    });
  }
}
