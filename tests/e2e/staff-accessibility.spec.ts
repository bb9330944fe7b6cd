import assert from 'node:assert/strict';
import { test } from './fixtures';
import { assertAccessible, DEMO, mapSettled, open, signIn, staffRequestUrl, town } from './helpers';

// Staff pages judged by axe, each signed in as the person who uses it.

test('accessibility (axe WCAG 2.1 AA): staff queue', async ({ page }) => {
  await signIn(page, town('somerville'), DEMO.staffSomerville);
  assert.equal(await open(page, `${town('somerville')}/staff`), 200);
  await assertAccessible(page);
});

test('accessibility (axe WCAG 2.1 AA): staff request page', async ({ page, somervilleRequest }) => {
  await signIn(page, town('somerville'), DEMO.staffSomerville);
  assert.equal(await open(page, staffRequestUrl(somervilleRequest.trackingNumber)), 200);
  await mapSettled(page); // judge it with the relocation map
  await assertAccessible(page);
});

for (const [name, path] of [
  ['admin overview', '/admin'],
  ['admin categories', '/admin/categories'],
]) {
  test(`accessibility (axe WCAG 2.1 AA): ${name}`, async ({ page }) => {
    await signIn(page, town('somerville'), DEMO.adminSomerville);
    assert.equal(await open(page, `${town('somerville')}${path}`), 200);
    await assertAccessible(page);
  });
}
