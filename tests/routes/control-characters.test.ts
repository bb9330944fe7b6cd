import { eq, sql } from 'drizzle-orm';
import { getDatabase } from '#db/client';
import { uuidv7 } from '#db/ids';
import { categories } from '#db/schema';
import { withTown } from '#db/scope';
import { createServiceRequest } from '~/modules/requests/create-request.server';
import type { TownProfile } from '~/utils/town-profile.server';
import * as adminCategory from '~/routes/admin.categories.$code';
import * as adminCategories from '~/routes/admin.categories._index';
import * as adminDepartments from '~/routes/admin.departments';
import * as adminProfile from '~/routes/admin.profile';
import * as adminStaff from '~/routes/admin.staff';
import * as devMailbox from '~/routes/dev.mailbox';
import * as forgotPassword from '~/routes/forgot-password';
import * as invitation from '~/routes/invitations.$token';
import * as login from '~/routes/login';
import * as report from '~/routes/report';
import * as publicRequest from '~/routes/requests.$trackingNumber';
import * as publicRequests from '~/routes/requests._index';
import * as resetPassword from '~/routes/reset-password';
import * as signup from '~/routes/signup';
import * as staffBulk from '~/routes/staff.bulk';
import * as staffQueue from '~/routes/staff._index';
import * as staffRequest from '~/routes/staff.requests.$trackingNumber';
import * as staffTemplates from '~/routes/staff.templates';
import * as track from '~/routes/track';
import * as unsubscribe from '~/routes/unsubscribe';
import * as verifyEmail from '~/routes/verify-email';
import { startSession } from '~/utils/auth.server';
import { townLinks } from '~/utils/town.server';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { reportRequest, settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MESSAGE = 'Remove the invisible control characters from this field';
type RouteFunction = (args: never) => Promise<Response>;

const call = (fn: RouteFunction, request: Request, params: Record<string, string> = {}) =>
  settle(fn({ request, params, context: { clientIp: `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}` } } as never));

// Every table a form could write to; a refused form leaves each count unchanged.
const WRITTEN_TABLES = ['users', 'sessions', 'email_tokens', 'outbox_messages', 'service_requests', 'request_events', 'request_followers', 'categories', 'departments', 'response_templates', 'staff_invitations', 'memberships', 'audit_log'];
async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of WRITTEN_TABLES) {
    const result = await getDatabase().db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`);
    counts[table] = Number((result as unknown as { rows?: { n: number }[] }).rows?.[0]?.n ?? (result as unknown as { n: number }[])[0]!.n);
  }
  return counts;
}

let somerville: TownProfile;
let trackingNumber: string;
const cookies: Record<'staff' | 'admin', string> = { staff: '', admin: '' };

beforeAll(async () => {
  somerville = await townBySlug('somerville');
  cookies.staff = cookieFrom(await startSession((await createUser({ roles: [[somerville, 'staff']] })).id, new Request(SOMERVILLE)));
  cookies.admin = cookieFrom(await startSession((await createUser({ roles: [[somerville, 'admin']] })).id, new Request(SOMERVILLE)));
  const filed = await createServiceRequest({
    town: somerville,
    categoryCode: 'graffiti',
    description: 'A tag on the wall',
    location: { lat: 42.3876, lng: -71.0995, address: null, source: 'map' },
    answers: {},
    reporter: { userId: null, email: null, name: null },
    photos: [],
    idempotencyKey: uuidv7(),
    links: townLinks('somerville'),
  });
  if (filed.kind !== 'filed') throw new Error('not filed');
  trackingNumber = filed.trackingNumber;
  await withTown(somerville.id, (tx) =>
    tx
      .update(categories)
      .set({ questions: [{ code: 'details', label: 'Anything else?', type: 'text', required: false, public: true }] })
      .where(eq(categories.code, 'other')),
  );
});

describe('a control character in a query parameter is refused with 400, never a 500', () => {
  const get = (path: string, cookie?: string) => browserRequest(`${SOMERVILLE}${path}`, { cookie });
  it.each<[string, RouteFunction, string, 'staff' | 'admin' | null, Record<string, string>?]>([
    ['/track?number=', track.loader, '/track?number=SOM-1%00', null],
    ['/requests?category=', publicRequests.loader, '/requests?category=pot%00hole', null],
    ['/staff?q=', staffQueue.loader, '/staff?q=tag%00', 'staff'],
    ['/staff?category=', staffQueue.loader, '/staff?category=%00', 'staff'],
    ['/staff/requests/:n?template=', staffRequest.loader, '/staff/requests/N?template=%00', 'staff'],
    ['/staff/templates?done=', staffTemplates.loader, '/staff/templates?done=%01', 'staff'],
    ['/admin/categories?deleted=', adminCategories.loader, '/admin/categories?deleted=%1b[31m', 'admin'],
    ['/admin/categories/:code?question=', adminCategory.loader, '/admin/categories/pothole?question=%00', 'admin', { code: 'pothole' }],
    ['/admin/departments?edit=', adminDepartments.loader, '/admin/departments?edit=%00', 'admin'],
    ['/unsubscribe?token=', unsubscribe.loader, '/unsubscribe?token=abc%00', null],
    ['/verify-email?token=', verifyEmail.loader, '/verify-email?token=abc%00', null],
    ['/reset-password?token=', resetPassword.loader, '/reset-password?token=abc%00', null],
  ])('%s', async (_name, loader, path, who, params = {}) => {
    const response = await call(loader, get(path.replace('/N?', `/${trackingNumber}?`), who ? cookies[who] : undefined), { trackingNumber, ...params });
    expect(response.status).toBe(400);
  });

  it('/dev/mailbox?to= (404 when the mailbox is off)', async () => {
    expect([400, 404]).toContain((await call(devMailbox.loader, get('/dev/mailbox?to=pat%00@example.com'))).status);
  });
});

describe('a control character in a path parameter finds nothing, never a 500', () => {
  it.each<[string, RouteFunction, string, Record<string, string>, 'staff' | 'admin' | null]>([
    ['public request page', publicRequest.loader, '/requests/SOM-1%00', { trackingNumber: 'SOM-1\u0000' }, null],
    ['staff request page', staffRequest.loader, '/staff/requests/SOM-1%00', { trackingNumber: 'SOM-1\u0000' }, 'staff'],
    ['invitation', invitation.loader, '/invitations/abc%00', { token: 'abc\u0000' }, null],
  ])('%s', async (_name, loader, path, params, who) => {
    const response = await call(loader, browserRequest(`${SOMERVILLE}${path}`, { cookie: who ? cookies[who] : undefined }), params);
    expect(response.status).toBe(404);
  });

  it('admin category actions', async () => {
    const request = browserRequest(`${SOMERVILLE}/admin/categories/pot%00hole`, { cookie: cookies.admin, form: { intent: 'deactivate' } });
    expect((await call(adminCategory.action, request, { code: 'pot\u0000hole' })).status).toBe(404);
  });
});

describe('a control character in a form field is refused next to the field, and nothing is written', () => {
  const post = (path: string, form: Record<string, string>, who: 'staff' | 'admin' | null = null) => browserRequest(`${SOMERVILLE}${path}`, { form, cookie: who ? cookies[who] : undefined });
  const report_ = (fields: Record<string, string>) => reportRequest(SOMERVILLE, { category: 'other', description: 'A hole', lat: '42.3876', lng: '-71.0995', locationSource: 'map', ...fields });
  type Case = [string, RouteFunction, () => Request | Promise<Request>, string, Record<string, string>?];
  const cases: Case[] = [
    ['report description', report.action, () => report_({ description: 'Hole\u0000 by the curb' }), 'description'],
    ['report address', report.action, () => report_({ address: '93 Highland\u0007 Ave' }), 'address'],
    ['report name', report.action, () => report_({ email: 'pat@example.com', name: 'Pat\u001b[2J' }), 'name'],
    ['report answer', report.action, () => report_({ 'q.details': 'More\u0000' }), 'q.details'],
    ['sign-up display name', signup.action, () => post('/signup', { email: `nul-${uuidv7()}@example.com`, password: 'a long enough passphrase', displayName: 'Pat\u0000' }), 'displayName'],
    ['sign-in email', login.action, () => post('/login', { email: 'pat\u0000@example.com', password: 'whatever it is' }), 'email'],
    ['sign-in password', login.action, () => post('/login', { email: 'pat@example.com', password: 'pass\u0000word' }), 'password'],
    ['forgot password email', forgotPassword.action, () => post('/forgot-password', { email: 'pat@example.com\u0000' }), 'email'],
    ['reset password', resetPassword.action, () => post('/reset-password', { token: 'abc', password: 'a long\u0000 enough passphrase' }), 'password'],
    ['new category name', adminCategories.action, () => post('/admin/categories', { intent: 'create', name: 'Bad\u0000', group: 'Streets', programCategory: 'other', targetDays: '5' }, 'admin'), 'name'],
    ['category row action code', adminCategories.action, () => post('/admin/categories', { intent: 'deactivate', code: 'pothole\u0000' }, 'admin'), ''],
    ['category description', adminCategory.action, () => post('/admin/categories/pothole', { intent: 'update', name: 'Pothole', group: 'Streets', programCategory: 'pothole', targetDays: '5', description: 'Deep\u0000' }, 'admin'), 'description', { code: 'pothole' }],
    ['category program category', adminCategory.action, () => post('/admin/categories/pothole', { intent: 'update', name: 'Pothole', group: 'Streets', programCategory: 'pothole\u0000', targetDays: '5' }, 'admin'), 'programCategory', { code: 'pothole' }],
    ['question label', adminCategory.action, () => post('/admin/categories/pothole', { intent: 'add-question', label: 'Lane\u0000?', type: 'text' }, 'admin'), 'label', { code: 'pothole' }],
    ['question choices', adminCategory.action, () => post('/admin/categories/pothole', { intent: 'add-question', label: 'Lane?', type: 'single', choices: 'Left\nRight\u0000' }, 'admin'), 'choices', { code: 'pothole' }],
    ['question reference', adminCategory.action, () => post('/admin/categories/pothole', { intent: 'delete-question', questionCode: 'lane\u0000' }, 'admin'), '', { code: 'pothole' }],
    ['department name', adminDepartments.action, () => post('/admin/departments', { intent: 'create', name: 'Parks\u0000' }, 'admin'), 'name'],
    ['invitation email', adminStaff.action, () => post('/admin/staff', { intent: 'invite', email: 'new\u0000@example.gov', role: 'staff' }, 'admin'), 'email'],
    ['profile welcome message', adminProfile.action, () => post('/admin/profile', { accentColor: '#1a4480', welcomeMessage: 'Welcome\u0000' }, 'admin'), 'welcomeMessage'],
    ['template body', staffTemplates.action, () => post('/staff/templates', { intent: 'create', title: 'Fixed', body: 'Done\u0000' }, 'staff'), 'body'],
    ['template id', staffTemplates.action, () => post('/staff/templates', { intent: 'delete', id: 'x\u0000' }, 'staff'), ''],
    ['internal note', staffRequest.action, () => post(`/staff/requests/${trackingNumber}`, { intent: 'note', expectedVersion: '1', note: 'Seen\u0000' }, 'staff'), 'note'],
    ['public reply', staffRequest.action, () => post(`/staff/requests/${trackingNumber}`, { intent: 'reply', expectedVersion: '1', message: 'Soon\u0000' }, 'staff'), 'message'],
    ['close reason', staffRequest.action, () => post(`/staff/requests/${trackingNumber}`, { intent: 'status', expectedVersion: '1', to: 'not_fixed', reason: 'Private\u0000' }, 'staff'), 'reason'],
    ['referred to', staffRequest.action, () => post(`/staff/requests/${trackingNumber}`, { intent: 'status', expectedVersion: '1', to: 'referred', referredTo: 'MassDOT\u0000' }, 'staff'), 'referredTo'],
    ['recategorise', staffRequest.action, () => post(`/staff/requests/${trackingNumber}`, { intent: 'recategorise', expectedVersion: '1', categoryCode: 'pothole\u0000' }, 'staff'), 'categoryCode'],
    ['corrected address', staffRequest.action, () => post(`/staff/requests/${trackingNumber}`, { intent: 'relocate', expectedVersion: '1', lat: '42.3876', lng: '-71.0995', address: 'Highland\u0000' }, 'staff'), 'address'],
    ['follow email', publicRequest.action, () => post(`/requests/${trackingNumber}`, { intent: 'follow', email: 'pat\u0000@example.com' }), ''],
  ];

  it.each(cases)('%s', async (_name, action, makeRequest, field, params = {}) => {
    const before = await rowCounts();
    const response = await call(action, await makeRequest(), { trackingNumber, ...params });
    expect(response.status).not.toBe(500);
    if (field) {
      expect(response.status).toBe(422);
      const body = await response.json();
      expect((body.errors ?? body.fieldErrors)[field]).toBe(MESSAGE);
    } else {
      // A hidden field (an id or a code) that no page sends with control characters: simply refused.
      expect(response.status).toBeGreaterThanOrEqual(400);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('bulk actions with a control character in the reason change nothing and go back to the queue', async () => {
    const before = await rowCounts();
    const response = await call(staffBulk.action, post('/staff/bulk', { operation: 'close', closeStatus: 'not_fixed', reason: 'Private\u0000', trackingNumbers: trackingNumber }, 'staff'));
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/staff?bulk=0%2C1');
    expect(await rowCounts()).toEqual(before);
  });

  it('bulk actions with a control character in a ticked number change nothing', async () => {
    const before = await rowCounts();
    const response = await call(staffBulk.action, post('/staff/bulk', { operation: 'acknowledge', trackingNumbers: `${trackingNumber}\u0000` }, 'staff'));
    expect(response.headers.get('Location')).toBe('/staff?bulk=0%2C1');
    expect(await rowCounts()).toEqual(before);
  });
});
