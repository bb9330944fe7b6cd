import assert from 'node:assert/strict';
import { test } from './fixtures';
import type { Page } from '@playwright/test';
import { apex, assertAccessible, DEMO, fillReport, h1, hydrated, open, screenshot, sendReport, signIn, town } from './helpers';

// Arlington (MassGIS 10) is not in the registry: this journey brings it into the program.
const ARLINGTON_TOWN_HALL = { lat: 42.4154, lng: -71.1565 };

test('state staff onboard Arlington; its admin accepts, works the checklist, the town goes live and takes a resident’s report', async ({ newPerson, stamp }) => {
  test.setTimeout(180_000);
  const adminEmail = `admin-${stamp}@arlington.example`;

  // 1. State staff add the town and invite its first admin.
  const state = await newPerson();
  await signIn(state, apex(), DEMO.state);
  assert.equal(await open(state, `${apex()}/state/towns/new`), 200);
  assert.equal(await h1(state), 'Add a town to the program');
  await assertAccessible(state);
  await state.getByLabel('Municipality').selectOption({ label: 'Arlington (Middlesex County)' });
  await state.getByRole('button', { name: 'Continue' }).click();
  await state.getByRole('img', { name: 'Boundary of Arlington, Middlesex County' }).waitFor();
  assert.equal(await state.getByLabel('Web address (subdomain)').inputValue(), 'arlington');
  assert.equal(await state.getByLabel('Tracking-number code').inputValue(), 'ARL');
  await assertAccessible(state);
  await screenshot(state, 'onboarding-add-town');
  // A bad grant term is refused with a message next to the field, and nothing is lost.
  await state.getByLabel('Cohort').fill('2027 expansion');
  await state.getByLabel('Grant term ends (optional)').fill('2020-01-01');
  await state.getByLabel("First town administrator's email").fill(adminEmail);
  await state.getByRole('button', { name: 'Add Arlington and send the invitation' }).click();
  await state.getByText('The grant term must end after it starts').waitFor();
  assert.equal(await state.getByLabel('Cohort').inputValue(), '2027 expansion');
  await state.getByLabel('Grant term ends (optional)').fill('');
  await state.getByRole('button', { name: 'Add Arlington and send the invitation' }).click();
  await state.waitForURL(`${apex()}/state/towns/arlington/onboarding?added=1`);
  await state.getByText('Arlington was added and its first administrator was invited.').waitFor();
  assert.equal(await state.getByRole('button', { name: 'Switch Arlington live' }).isDisabled(), true);
  await assertAccessible(state);

  // 2. Until it goes live, its site says it is coming soon and takes no reports.
  const visitor = await newPerson();
  assert.equal(await open(visitor, town('arlington')), 200);
  await visitor.getByRole('heading', { name: 'Arlington is coming to Commonwealth Connect soon' }).waitFor();
  assert.equal(await visitor.getByRole('link', { name: 'Report a problem' }).count(), 1, 'only the header link, no big button');
  await assertAccessible(visitor);
  await screenshot(visitor, 'onboarding-coming-soon');
  assert.equal(await open(visitor, `${town('arlington')}/report`), 200);
  await visitor.getByRole('heading', { name: 'Arlington is coming to Commonwealth Connect soon' }).waitFor();
  assert.equal(await visitor.getByRole('button', { name: 'Send report' }).count(), 0);

  // 3. The admin accepts the emailed invitation, creating an account.
  const admin = await newPerson();
  const link = admin.locator('a[href*="/invitations/"]').first();
  for (let attempt = 0; attempt < 20 && (await link.count()) === 0; attempt++) {
    if (attempt > 0) await admin.waitForTimeout(500);
    await open(admin, `${apex()}/dev/mailbox?to=${encodeURIComponent(adminEmail)}`);
  }
  await link.click();
  await admin.waitForURL(/arlington\.connect\.test.*\/invitations\//);
  await admin.getByLabel('Password').fill('a long enough passphrase 2026');
  await admin.getByRole('button', { name: 'Create account and accept' }).click();
  await admin.waitForURL((url) => url.origin === town('arlington') && url.pathname === '/admin');

  // 4. The checklist: confirmations, a department with an email, a test request made and closed.
  assert.equal(await open(admin, `${town('arlington')}/admin`), 200);
  await admin.getByRole('heading', { name: 'Onboarding checklist' }).waitFor();
  await assertAccessible(admin);
  // Map a category to another program category (its "Tree problem" covers the town's parks too).
  assert.equal(await open(admin, `${town('arlington')}/admin/categories/tree`), 200);
  await hydrated(admin);
  assert.equal(await admin.getByLabel('Program category').inputValue(), 'trees');
  await admin.getByLabel('Program category').selectOption({ label: 'Parks & playgrounds' });
  await admin.getByRole('button', { name: 'Save settings' }).click();
  await admin.getByText('Category saved.').waitFor();
  assert.equal(await admin.getByLabel('Program category').inputValue(), 'parks');
  await assertAccessible(admin);

  assert.equal(await open(admin, `${town('arlington')}/admin`), 200);
  await admin.getByRole('button', { name: 'The boundary is right' }).click();
  await admin.getByText("Done: the town's administrator confirmed the boundary").waitFor();
  await admin.getByRole('button', { name: 'The categories are reviewed' }).click();
  await admin.getByText("Done: the town's administrator reviewed the categories and their program categories").waitFor();

  assert.equal(await open(admin, `${town('arlington')}/admin/departments`), 200);
  await admin.getByLabel('Name', { exact: true }).fill('Public Works');
  await admin.getByLabel('Notification email (optional)').fill(`dpw-${stamp}@arlington.example`);
  await admin.getByRole('button', { name: 'Add department' }).click();
  await admin.getByText('Added Public Works.').waitFor();

  assert.equal(await open(admin, `${town('arlington')}/report`), 200);
  await admin.getByRole('button', { name: 'Use my location' }).waitFor();
  await fillReport(admin, { category: 'pothole', description: 'Test request from onboarding', ...ARLINGTON_TOWN_HALL });
  const sent = await sendReport(admin);
  assert.ok(sent.status() < 400, `test request answered ${sent.status()}`);
  await admin.waitForURL((url) => url.origin === town('arlington') && /^\/requests\/ARL-\d+$/.test(url.pathname));
  const testRequest = new URL(admin.url()).pathname.split('/').pop()!;

  assert.equal(await open(admin, `${town('arlington')}/staff/requests/${testRequest}`), 200);
  await hydrated(admin);
  await admin.getByLabel('New status').selectOption('fixed');
  await admin.getByLabel('Reason or closing note (shown to the public)').fill('Onboarding test request');
  await admin.getByRole('button', { name: 'Change status', exact: true }).click();
  await admin.getByText('Status changed. Followers were emailed.', { exact: true }).waitFor();

  assert.equal(await open(admin, `${town('arlington')}/admin`), 200);
  assert.equal(await admin.getByText(/^To do:/).count(), 0, 'every checklist item is done');

  // 5. State staff switch it live.
  assert.equal(await open(state, `${apex()}/state/towns/arlington/onboarding`), 200);
  await state.getByRole('button', { name: 'Switch Arlington live' }).click();
  await state.getByText('In grant', { exact: true }).waitFor();
  await screenshot(state, 'onboarding-live');

  // 6. A resident reports a pothole in Arlington.
  await fillArlingtonReport(visitor, stamp);

  // 7. The console counts Arlington's two requests (the test request and the resident's), in grant.
  assert.equal(await open(state, `${apex()}/state?sort=town&dir=asc`), 200);
  const row = state.getByRole('row', { name: /^Arlington\b/ });
  await row.waitFor();
  const cells = await row.getByRole('cell').allInnerTexts();
  assert.equal(cells[0]?.trim(), 'In grant', `lifecycle cell: ${cells.join(' | ')}`);
  assert.equal(cells[1]?.trim(), '2', `requests in 30 days: ${cells.join(' | ')}`);
  await screenshot(state, 'onboarding-console');
});

async function fillArlingtonReport(page: Page, stamp: string): Promise<void> {
  assert.equal(await open(page, `${town('arlington')}/report`), 200);
  await page.getByRole('button', { name: 'Use my location' }).waitFor();
  await fillReport(page, { category: 'pothole', description: `Pothole by the town hall ${stamp}`, email: `resident-${stamp}@example.com`, ...ARLINGTON_TOWN_HALL });
  const sent = await sendReport(page);
  assert.ok(sent.status() < 400, `the resident's report answered ${sent.status()}`);
  await page.waitForURL((url) => url.origin === town('arlington') && /^\/requests\/ARL-\d+$/.test(url.pathname));
}
