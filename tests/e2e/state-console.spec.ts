import assert from 'node:assert/strict';
import { test } from './fixtures';
import { apex, assertAccessible, DEMO, open, signIn } from './helpers';

// The state console's pages judged by axe, signed in as the demo's state program staff.

for (const [name, path] of [
  ['state console', '/state'],
  ['state console, sorted and filtered', '/state?period=365d&category=pothole&sort=close&dir=desc'],
  ['town drill-down', '/state/towns/somerville'],
  ['program report', '/state/report'],
  ['program billing', '/state/billing'],
  ['a town paying by purchase order', '/state/towns/watertown/billing'],
  ['a town paying by card', '/state/towns/salem/billing'],
  ['audit log', '/state/audit'],
  ['audit log, filtered', '/state/audit?who=system&from=2026-01-01'],
]) {
  test(`accessibility (axe WCAG 2.1 AA): ${name}`, async ({ page }) => {
    await signIn(page, apex(), DEMO.state);
    assert.equal(await open(page, `${apex()}${path}`), 200);
    await assertAccessible(page);
  });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the console sorts by a column heading, saying which way', async ({ page }) => {
    await signIn(page, apex(), DEMO.state);
    await open(page, `${apex()}/state`);
    await page.getByRole('link', { name: 'Open now' }).click();
    await page.waitForURL(/sort=backlog/);
    assert.equal(await page.getByRole('columnheader', { name: 'Open now' }).getAttribute('aria-sort'), 'ascending');
    await page.getByRole('link', { name: 'Open now' }).click();
    await page.waitForURL(/dir=desc/);
    assert.equal(await page.getByRole('columnheader', { name: 'Open now' }).getAttribute('aria-sort'), 'descending');
  });
});
