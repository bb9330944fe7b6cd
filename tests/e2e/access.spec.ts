import assert from 'node:assert/strict';
import { test } from './fixtures';
import { apex, DEMO, h1, open, rawRequest, signIn, staffRequestUrl, town, TRACKING } from './helpers';

test('roles: staff, admin and state consoles are for their own people', async ({ newPerson }) => {
  let page = await newPerson();
  await signIn(page, town('somerville'), DEMO.staffSomerville);
  assert.equal(await open(page, `${town('somerville')}/staff`), 200);
  assert.equal(await h1(page), 'Somerville staff console');
  assert.equal(await open(page, `${town('malden')}/staff`), 403, 'Somerville staff on Malden /staff');
  assert.equal(await h1(page), 'You do not have access to this page');
  assert.equal(await open(page, `${town('somerville')}/admin`), 403, 'staff (not admin) on /admin');

  page = await newPerson();
  await signIn(page, town('somerville'), DEMO.adminSomerville);
  assert.equal(await open(page, `${town('somerville')}/admin`), 200);
  assert.equal(await h1(page), 'Somerville administration');

  page = await newPerson();
  await signIn(page, apex(), DEMO.state);
  assert.equal(await open(page, `${apex()}/state`), 200);
  assert.equal(await h1(page), 'State console');
  const rows = page.getByRole('table').getByRole('row');
  assert.ok((await rows.count()) > 1, 'state console table has no town rows');
  await page.getByRole('table').getByRole('link', { name: 'Somerville', exact: true }).waitFor();

  page = await newPerson();
  await signIn(page, apex(), DEMO.resident);
  assert.equal(await open(page, `${apex()}/state`), 403, 'resident on /state');
});

test('cross-site POST is refused by Origin check', async () => {
  const post = async (origin: string) => {
    const body = 'email=resident%40demo.test&password=wrong-password-123';
    const headers = { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) };
    return (await rawRequest({ host: 'somerville.connect.test', path: '/login', method: 'POST', headers, body })).status;
  };
  assert.equal(await post(town('malden')), 403, 'Malden origin posting to Somerville');
  // Control: the same request from Somerville's own origin gets past the check (wrong password → 401).
  assert.equal(await post(town('somerville')), 401, 'same-origin control');
});

test('permissions: Malden staff get 403 on a Somerville request, staff get 403 on /admin, the admin gets 200', async ({ newPerson, somervilleRequest }) => {
  // A real Somerville request, just filed, so the 403 is about who asks and not a missing request.
  const { trackingNumber } = somervilleRequest;
  assert.match(trackingNumber, TRACKING.somerville);

  let page = await newPerson();
  await signIn(page, town('malden'), DEMO.staffMalden);
  assert.equal(await open(page, staffRequestUrl(trackingNumber)), 403, `staff.malden on ${trackingNumber}`);
  assert.equal(await h1(page), 'You do not have access to this page');
  assert.equal(await page.getByRole('button', { name: 'Change status' }).count(), 0);
  assert.equal(await open(page, `${town('somerville')}/staff`), 403, 'staff.malden on the Somerville queue');
  assert.equal(await open(page, `${town('malden')}/staff`), 200, 'control: staff.malden on their own queue');

  page = await newPerson();
  await signIn(page, town('somerville'), DEMO.staffSomerville);
  assert.equal(await open(page, staffRequestUrl(trackingNumber)), 200, `control: staff.somerville on ${trackingNumber}`);
  for (const path of ['/admin', '/admin/categories']) {
    assert.equal(await open(page, `${town('somerville')}${path}`), 403, `staff.somerville on ${path}`);
    assert.equal(await h1(page), 'You do not have access to this page');
  }

  page = await newPerson();
  await signIn(page, town('somerville'), DEMO.adminSomerville);
  assert.equal(await open(page, `${town('somerville')}/admin`), 200, 'admin.somerville on /admin');
  await page.getByRole('navigation', { name: 'Somerville administration' }).waitFor();
  assert.equal(await open(page, `${town('somerville')}/admin/categories`), 200, 'admin.somerville on /admin/categories');
});
