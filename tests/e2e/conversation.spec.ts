import assert from 'node:assert/strict';
import type { Page } from '@playwright/test';
import { test } from './fixtures';
import { apex, assertAccessible, DEMO, h1, near, open, postReport, signIn, SOMERVILLE_SPRING_HILL, town, waitForMail } from './helpers';

/** The resident's side of a request after sending it, on a phone. */
const PHONE = { width: 390, height: 844 };
test.use({ viewport: PHONE });

/** React has hydrated the page's forms, so what is typed into them stays (these pages' buttons carry no `intent`). */
async function formsHydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const button = document.querySelector('main form button');
    return Boolean(button && Object.keys(button).some((key) => key.startsWith('__reactProps$')));
  });
}

/** The href of the first link in an email (as the dev mailbox shows it) whose address contains `part`. */
async function linkInMail(page: Page, subject: string | RegExp, part: string): Promise<string> {
  const mail = page.locator('article', { has: page.getByRole('heading', { level: 2, name: subject }) }).first();
  const href = await mail.locator(`a[href*="${part}"]`).first().getAttribute('href');
  assert.ok(href, `no ${part} link in the email "${subject}"`);
  return href;
}

test('an email-only reporter withdraws their report through the private link in their email', async ({ page, somervilleRequest }) => {
  const { trackingNumber, reporterEmail } = somervilleRequest;
  const received = `We received your report ${trackingNumber}`;
  await waitForMail(page, reporterEmail, received);
  const manage = await linkInMail(page, received, '/manage?token=');
  assert.ok(manage.startsWith(`${town('somerville')}/requests/${trackingNumber}/manage?token=`), manage);

  assert.equal(await open(page, manage), 200);
  assert.equal(await h1(page), `Your report ${trackingNumber}`);
  await page.getByText(`Updates go to ${reporterEmail}.`).waitFor();
  await formsHydrated(page);
  await assertAccessible(page);

  // Withdrawing asks first; the question is a page of its own (a GET that changes nothing).
  await page.getByRole('link', { name: 'Withdraw my report' }).click();
  await page.getByRole('heading', { level: 2, name: `Withdraw ${trackingNumber}?` }).waitFor();
  await assertAccessible(page);
  await page.getByLabel('Why are you withdrawing it? (optional, only the town sees it)').fill('A neighbour fixed it themselves.');
  await page.getByRole('button', { name: 'Yes, withdraw it' }).click();
  await page.getByText(`Your report was withdrawn. We sent a confirmation to ${reporterEmail}.`).waitFor();
  await page.locator('main .usa-tag', { hasText: /^Withdrawn$/ }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Withdraw my report' }).count(), 0, 'a withdrawn report offers withdrawing again');

  assert.equal(await open(page, `${town('somerville')}/requests/${trackingNumber}`), 404, 'the withdrawn request is still public');
  const confirmation = `You withdrew your report ${trackingNumber}`;
  await waitForMail(page, reporterEmail, confirmation);
  const text = await page.locator('article', { has: page.getByRole('heading', { name: confirmation }) }).innerText();
  assert.ok(text.includes('Your reason: A neighbour fixed it themselves.'), text);
});

test('a resident answers "not fixed": the request is reopened and back in Somerville’s queue', async ({ page, newPerson }) => {
  // The demo resident's Somerville pothole was closed as fixed four days ago; the app asked them at start-up.
  const question = /^Is SOM-\d+ fixed\?$/;
  const mailbox = `${apex()}/dev/mailbox?to=${encodeURIComponent(DEMO.resident)}`;
  for (let attempt = 0; attempt < 30; attempt++) {
    if (attempt > 0) await page.waitForTimeout(500);
    await open(page, mailbox);
    if ((await page.getByRole('heading', { level: 2, name: question }).count()) > 0) break;
  }
  const notFixed = await linkInMail(page, question, 'answer=no');
  assert.ok(notFixed.startsWith(`${town('somerville')}/requests/SOM-`), notFixed);
  const trackingNumber = new URL(notFixed).pathname.split('/')[2]!;

  // The button leads to a page that asks again: only its POST reopens.
  assert.equal(await open(page, notFixed), 200);
  assert.equal(await h1(page), `Is ${trackingNumber} (Pothole) fixed?`);
  await formsHydrated(page);
  await assertAccessible(page);
  await page.getByLabel('What is still wrong? (optional)').fill('The patch washed out in the rain; the hole is back.');
  await page.getByText("Everyone: show it on the request's public page").click();
  await page.getByRole('button', { name: 'It is not fixed: reopen it' }).click();
  await page.waitForURL(`${town('somerville')}/requests/${trackingNumber}?done=reopened`);
  await page.getByText('Reopened. The town has been told, and the request is back in its queue.').waitFor();
  await page.locator('main .usa-tag', { hasText: /^In progress$/ }).first().waitFor();
  await page.locator('.cc-timeline').getByText('The patch washed out in the rain; the hole is back.').waitFor();
  await assertAccessible(page);

  const staff = await newPerson({ viewport: PHONE });
  await signIn(staff, town('somerville'), DEMO.staffSomerville);
  assert.equal(await open(staff, `${town('somerville')}/staff`), 200);
  await staff.getByLabel('Search', { exact: true }).fill(trackingNumber);
  await staff.getByRole('button', { name: 'Apply filters' }).click();
  await staff.waitForURL((url) => url.pathname === '/staff' && url.searchParams.get('q') === trackingNumber);
  const row = staff.getByRole('row', { name: new RegExp(trackingNumber) });
  await row.waitFor();
  await row.locator('.usa-tag', { hasText: /^In progress$/ }).waitFor();
});

test('accessibility (axe WCAG 2.1 AA) at 390 px: a reporter’s forms, My requests, the follow and unsubscribe pages', async ({ page, resident, newPerson, stamp }) => {
  // Reported with the account's address but signed out: signing in claims it (docs/decisions/0021).
  const trackingNumber = await postReport('somerville', { category: 'graffiti', description: `Tag on the mailbox (${stamp}).`, email: resident.email, ...near(SOMERVILLE_SPRING_HILL) });
  await signIn(page, town('somerville'), resident.email, resident.password);
  assert.equal(await open(page, `${town('somerville')}/requests/${trackingNumber}`), 200);
  await page.getByRole('heading', { level: 2, name: 'Add a comment or a photo' }).waitFor();
  await assertAccessible(page);
  await page.getByRole('link', { name: 'Withdraw my report' }).click();
  await page.getByRole('heading', { level: 2, name: `Withdraw ${trackingNumber}?` }).waitFor();
  await assertAccessible(page);

  // My requests, with its filters.
  assert.equal(await open(page, `${town('somerville')}/account/requests?status=open`), 200);
  await page.locator('.cc-request-list li', { hasText: trackingNumber }).getByText('You reported').waitFor();
  await assertAccessible(page);

  // Following by email, from the request page and the page the emailed link opens.
  const follower = `e2e-follow-${stamp}@example.com`;
  const anonymous = await newPerson({ viewport: PHONE });
  assert.equal(await open(anonymous, `${town('somerville')}/requests/${trackingNumber}`), 200);
  await formsHydrated(anonymous);
  await anonymous.getByLabel('Your email').fill(follower);
  await anonymous.getByRole('button', { name: 'Follow (me too)' }).click();
  await anonymous.getByText(`Check your email: we sent a link to ${follower}.`, { exact: false }).waitFor();
  await assertAccessible(anonymous);
  await waitForMail(anonymous, follower, `Confirm: follow ${trackingNumber}`);
  assert.equal(await open(anonymous, await linkInMail(anonymous, `Confirm: follow ${trackingNumber}`, '/follow?token=')), 200);
  await anonymous.getByRole('heading', { level: 1, name: `Follow ${trackingNumber}` }).waitFor();
  await assertAccessible(anonymous);
  await anonymous.getByRole('button', { name: 'Follow this request' }).click();
  await anonymous.getByText('You follow this request now: you will get an email when it changes.').waitFor();

  // Unsubscribing: the page the email's link opens asks first.
  await waitForMail(anonymous, resident.email, `We received your report ${trackingNumber}`);
  assert.equal(await open(anonymous, await linkInMail(anonymous, `We received your report ${trackingNumber}`, '/unsubscribe?token=')), 200);
  await anonymous.getByRole('heading', { level: 1, name: `Stop emails about ${trackingNumber}?` }).waitFor();
  await assertAccessible(anonymous);
});
