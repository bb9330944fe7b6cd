import assert from 'node:assert/strict';
import { test } from './fixtures';
import { apex, h1, open, town, waitForMail } from './helpers';

test('track a number from another town and from the statewide site; unknown number is a 404', async ({ page, somervilleRequest }) => {
  const { trackingNumber } = somervilleRequest;
  const expected = `${town('somerville')}/requests/${trackingNumber}`;
  for (const origin of [town('malden'), apex()]) {
    assert.equal(await open(page, `${origin}/track?number=${trackingNumber.toLowerCase()}`), 200, `lookup from ${origin}`);
    assert.equal(page.url(), expected, `lookup from ${origin}`);
    assert.equal(await h1(page), `${trackingNumber}: Pothole`);
  }
  assert.equal(await open(page, `${town('malden')}/track?number=SOM-999999`), 404);
  await page.getByText('We could not find request “SOM-999999”. Tracking numbers look like SOM-1042; check your confirmation email.').waitFor();
  assert.equal(await open(page, `${apex()}/track?number=nonsense`), 404);
  await page.getByText('We could not find request “nonsense”.', { exact: false }).waitFor();
});

test('follow a request anonymously through the emailed confirmation; the reporter got the confirmation email', async ({ page, somervilleRequest, stamp }) => {
  const { trackingNumber, reporterEmail } = somervilleRequest;
  const requestUrl = `${town('somerville')}/requests/${trackingNumber}`;
  const follower = `e2e-follower-${stamp}@example.com`;
  assert.equal(await open(page, requestUrl), 200);
  await page.getByText('1 person follows this request').waitFor();
  await page.getByLabel('Your email').fill(follower);
  await page.getByRole('button', { name: 'Follow (me too)' }).click();
  await page.getByText(`Check your email: we sent a link to ${follower}.`, { exact: false }).waitFor();
  // Nobody is subscribed by someone else typing their address: only the emailed link does it.
  await open(page, requestUrl);
  await page.getByText('1 person follows this request').waitFor();
  const confirm = `Confirm: follow ${trackingNumber}`;
  await waitForMail(page, follower, confirm);
  const link = await page.locator('article', { has: page.getByRole('heading', { name: confirm }) }).locator('a[href*="/follow?token="]').first().getAttribute('href');
  assert.ok(link?.startsWith(`${town('somerville')}/follow?token=`), `follow link ${link}`);
  assert.equal(await open(page, link!), 200);
  await page.getByRole('button', { name: 'Follow this request' }).click();
  await page.getByText('You follow this request now: you will get an email when it changes.').waitFor();
  await page.getByText('2 people follow this request').waitFor();
  // Still 2 after a full reload (not just the optimistic UI).
  await open(page, requestUrl);
  await page.getByText('2 people follow this request').waitFor();

  const subject = `We received your report ${trackingNumber}`;
  await waitForMail(page, reporterEmail, subject);
  const mail = page.locator('article', { has: page.getByRole('heading', { name: subject }) }).first();
  assert.equal(await mail.locator(`a[href="${requestUrl}"]`).count() > 0, true, `no link to ${requestUrl} in the email`);
  const unsubscribe = await mail.locator('a[href*="/unsubscribe?token="]').first().getAttribute('href');
  assert.ok(unsubscribe?.startsWith(`${town('somerville')}/unsubscribe?token=`), `unsubscribe link ${unsubscribe}`);
});
