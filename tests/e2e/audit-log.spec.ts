import assert from 'node:assert/strict';
import { test } from './fixtures';
import { DEMO, open, signIn, staffRequestUrl, town } from './helpers';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an admin finds one request’s entries in the audit log and reads its change as field: old → new', async ({ page, somervilleRequest }) => {
    const { trackingNumber } = somervilleRequest;
    await signIn(page, town('somerville'), DEMO.adminSomerville);
    assert.equal(await open(page, staffRequestUrl(trackingNumber)), 200);
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'acknowledge');

    assert.equal(await open(page, `${town('somerville')}/admin/audit`), 200);
    await page.getByLabel('Request', { exact: true }).fill(trackingNumber.toLowerCase());
    await page.getByRole('button', { name: 'Show entries' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/audit' && url.searchParams.get('request') === trackingNumber.toLowerCase());
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    const row = (await rows.first().innerText()).replace(/\s+/g, ' ');
    assert.match(row, /status_changed/);
    assert.match(row, /status: submitted → acknowledged/);
    assert.ok(!row.includes('{'), `no raw JSON: ${row}`);
  });
});
