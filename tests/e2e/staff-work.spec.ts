import assert from 'node:assert/strict';
import { test } from './fixtures';
import {
  assignedTo,
  DEMO,
  fileSomervilleReport,
  hydrated,
  mailboxSubjects,
  near,
  open,
  openStaffRequest,
  optionValue,
  publicRequestUrl,
  signIn,
  SOMERVILLE_WORK_POINT,
  STALE_MESSAGE,
  staffAction,
  staffActionResponse,
  staffRequestUrl,
  timelineLabels,
  town,
  waitForMail,
} from './helpers';

test('work order end to end: report → queue → acknowledge, assign, reply, note, fixed; resident sees and hears the public steps only', async ({ newPerson, stamp }) => {
  const resident = await newPerson();
  const staff = await newPerson();
  const reporter = `e2e-work-${stamp}@example.com`;
  const point = near(SOMERVILLE_WORK_POINT);
  const description = `Streetlight dark outside number 12, whole block unlit (work order ${stamp}).`;
  const replyText = `A crew is scheduled for Thursday night (${stamp}).`;
  const noteText = `Internal: ladder truck 7 needed, ask Dana (${stamp}).`;
  const closingNote = `Lamp replaced (${stamp}).`;

  const trackingNumber = await fileSomervilleReport(resident, { category: 'streetlight', description, email: reporter, ...point });
  const publicUrl = publicRequestUrl(trackingNumber);
  /** What the resident sees on a fresh load of the public page. */
  const residentSees = async () => {
    assert.equal(await open(resident, publicUrl), 200);
    return { labels: await timelineLabels(resident), text: await resident.locator('main').innerText() };
  };

  // The staff member finds it with the queue's search box.
  await signIn(staff, town('somerville'), DEMO.staffSomerville);
  assert.equal(await open(staff, `${town('somerville')}/staff`), 200);
  await staff.getByLabel('Search', { exact: true }).fill(trackingNumber);
  await staff.getByRole('button', { name: 'Apply filters' }).click();
  await staff.waitForURL((url) => url.pathname === '/staff' && url.searchParams.get('q') === trackingNumber);
  await staff.getByRole('status').getByText(/^1 request matches/).waitFor();
  await staff.getByRole('table').getByRole('link', { name: trackingNumber, exact: true }).click();
  // The link carries the queue view to come back to.
  await staff.waitForURL((url) => url.href.startsWith(`${staffRequestUrl(trackingNumber)}?back=`));
  await staff.getByRole('heading', { level: 2, name: `${trackingNumber}: Streetlight out` }).waitFor();
  await staff.getByText(description).waitFor();
  await hydrated(staff);

  await staffAction(staff, trackingNumber, 'Acknowledge', 'acknowledge', 'Acknowledged. Followers were emailed.');
  let seen = await residentSees();
  assert.ok(seen.labels.includes('Acknowledged'), `public timeline after acknowledging: ${seen.labels.join(', ')}`);
  await resident.locator('main .usa-tag', { hasText: /^Acknowledged$/ }).first().waitFor();

  // Assigned to themselves: the module sends no email for work you take yourself…
  await staff.getByLabel('Staff member', { exact: true }).selectOption(await optionValue(staff, 'Staff member', DEMO.staffSomerville));
  await staffAction(staff, trackingNumber, 'Save assignment', 'assign', 'Assignment saved.');
  await assignedTo(staff, DEMO.staffSomerville);
  // …so hand it to the administrator too, who does get one.
  await staff.getByLabel('Staff member', { exact: true }).selectOption(await optionValue(staff, 'Staff member', DEMO.adminSomerville));
  const [reassigned] = await Promise.all([staffActionResponse(staff, trackingNumber), staff.getByRole('button', { name: 'Save assignment', exact: true }).click()]);
  assert.ok(reassigned.status() < 400, `reassigning answered ${reassigned.status()}`);
  await assignedTo(staff, DEMO.adminSomerville);
  await hydrated(staff);

  await staff.getByLabel('Public reply').fill(replyText);
  await staffAction(staff, trackingNumber, 'Post reply', 'reply', 'Reply posted and emailed to followers.');
  seen = await residentSees();
  assert.ok(seen.labels.includes('Reply from the town'), `public timeline after the reply: ${seen.labels.join(', ')}`);
  assert.ok(seen.text.includes(replyText), 'the reply is not on the public page');

  await staff.getByLabel('Note for staff').fill(noteText);
  await staffAction(staff, trackingNumber, 'Add note', 'note', 'Internal note added.');
  await staff.locator('.cc-timeline').getByText(noteText).waitFor();

  await staff.getByLabel('New status').selectOption('fixed');
  await staff.getByLabel('Reason or closing note (shown to the public)').fill(closingNote);
  await staffAction(staff, trackingNumber, 'Change status', 'status', 'Status changed. Followers were emailed.');
  await staff.locator('main .usa-tag', { hasText: /^Fixed$/ }).first().waitFor();
  const staffLabels = await timelineLabels(staff);
  assert.deepEqual(staffLabels, ['Submitted', 'Acknowledged', 'Assigned', 'Assigned', 'Public reply', 'Internal note', 'Fixed'], `staff timeline: ${staffLabels.join(', ')}`);

  seen = await residentSees();
  assert.deepEqual(seen.labels, ['Submitted', 'Acknowledged', 'Reply from the town', 'Fixed'], `public timeline at the end: ${seen.labels.join(', ')}`);
  await resident.locator('main .usa-tag', { hasText: /^Fixed$/ }).first().waitFor();
  assert.ok(seen.text.includes(closingNote), 'closing note missing from the public page');
  for (const secret of [noteText, DEMO.staffSomerville, DEMO.adminSomerville]) assert.ok(!seen.text.includes(secret), `the public page shows "${secret}"`);

  // Email: the resident hears every public step, never the note.
  for (const subject of [
    `We received your report ${trackingNumber}`,
    `Update on ${trackingNumber}: Status: Acknowledged`,
    `Update on ${trackingNumber}: ${replyText}`,
    `Update on ${trackingNumber}: Status: Fixed: ${closingNote}`,
  ]) {
    await waitForMail(resident, reporter, subject);
  }
  const residentMail = await resident.locator('main').innerText();
  assert.ok(!residentMail.includes(noteText), 'the internal note reached the resident by email');
  const residentSubjects = await mailboxSubjects(resident, reporter);
  assert.equal(residentSubjects.length, 4, `resident's emails: ${residentSubjects.join(' | ')}`);

  const assignedSubject = `Assigned to you: ${trackingNumber} (Streetlight out)`;
  await waitForMail(resident, DEMO.adminSomerville, assignedSubject);
  const assignedMail = resident.locator('article', { has: resident.getByRole('heading', { name: assignedSubject }) });
  assert.ok((await assignedMail.innerText()).includes(staffRequestUrl(trackingNumber)), 'assignment email has no link to the staff page');
  // Every email above was queued after the self-assignment, so by now it would have been delivered.
  const selfSubjects = await mailboxSubjects(resident, DEMO.staffSomerville);
  assert.ok(!selfSubjects.some((s) => s.includes(trackingNumber)), `staff.somerville was emailed about work they took themselves: ${selfSubjects.join(' | ')}`);
});

test('stale update: two staff close the same request; the second hears "changed meanwhile" (409), it is closed once', async ({ newPerson, stamp }) => {
  const first = await newPerson();
  const second = await newPerson();
  const trackingNumber = await fileSomervilleReport(first, {
    category: 'graffiti',
    description: `Fresh tag on the mailbox at the corner (stale-update check ${stamp}).`,
    email: `e2e-stale-${stamp}@example.com`,
    ...near(SOMERVILLE_WORK_POINT),
  });
  await signIn(first, town('somerville'), DEMO.staffSomerville);
  await signIn(second, town('somerville'), DEMO.adminSomerville);
  await openStaffRequest(first, trackingNumber);
  await openStaffRequest(second, trackingNumber);

  await first.getByLabel('New status').selectOption('fixed');
  await staffAction(first, trackingNumber, 'Change status', 'status', 'Status changed. Followers were emailed.');

  await second.getByLabel('New status').selectOption('fixed');
  const [refused] = await Promise.all([staffActionResponse(second, trackingNumber), second.getByRole('button', { name: 'Change status', exact: true }).click()]);
  assert.equal(refused.status(), 409, 'second close');
  const message = second.locator('section[aria-labelledby="status-heading"]').getByText(STALE_MESSAGE);
  await message.waitFor();
  assert.equal(new URL(second.url()).searchParams.get('done'), null, 'the refused close must not say it was done');

  await openStaffRequest(second, trackingNumber);
  await second.locator('main .usa-tag', { hasText: /^Fixed$/ }).first().waitFor();
  const labels = await timelineLabels(second);
  assert.deepEqual(labels, ['Submitted', 'Fixed'], `timeline after both tries: ${labels.join(', ')}`);
  assert.equal(await open(second, publicRequestUrl(trackingNumber)), 200);
  assert.deepEqual(await timelineLabels(second), ['Submitted', 'Fixed'], 'public timeline');
});
