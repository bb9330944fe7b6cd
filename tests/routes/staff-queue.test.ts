import { uuidv7 } from '#db/ids';
import { createServiceRequest } from '~/modules/requests/create-request.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { loader as exportLoader } from '~/routes/staff.export[.]csv';
import { loader as queueLoader } from '~/routes/staff._index';
import { startSession } from '~/utils/auth.server';
import { townLinks } from '~/utils/town.server';
import { browserRequest, cookieFrom, createUser, townBySlug } from '../factories';
import { parseCsv } from '../csv';
import { signInEveryone, type MatrixPerson } from '../people';
import { settle } from '../requests';

const SOMERVILLE = 'http://somerville.localhost:3000';
const MALDEN = 'http://malden.localhost:3000';
const ctx = { clientIp: '10.3.3.3' };


const openQueue = (url: string, cookie: string | null) => settle(queueLoader({ request: browserRequest(url, { cookie }), params: {}, context: ctx }));
const openExport = (url: string, cookie: string | null) => settle(exportLoader({ request: browserRequest(url, { cookie }), params: {}, context: ctx }));

async function file(town: TownProfile, description: string, address: string | null = null): Promise<string> {
  const result = await createServiceRequest({
    town,
    categoryCode: 'graffiti',
    description,
    location: { lat: 42.39, lng: -71.1, address, source: 'map' },
    answers: {},
    reporter: { userId: null, email: null, name: null },
    photos: [],
    idempotencyKey: uuidv7(),
    links: townLinks(town.slug),
  });
  if (result.kind !== 'filed') throw new Error(JSON.stringify(result));
  return result.trackingNumber;
}

describe('the staff queue and its CSV export', () => {
  let cookies: Record<MatrixPerson, string | null>;
  let somerville: TownProfile;
  let malden: TownProfile;
  const tracking = { formula: '', plus: '', minus: '', plain: '', malden: '' };

  beforeAll(async () => {
    somerville = await townBySlug('somerville');
    malden = await townBySlug('malden');
    ({ cookies } = await signInEveryone(SOMERVILLE));
    tracking.formula = await file(somerville, '=HYPERLINK("http://evil.example","click")', '@home, "the corner"');
    tracking.plus = await file(somerville, '+1 555 0100 called about it');
    tracking.minus = await file(somerville, '-2 degrees and the hydrant leaks\r\nsecond line');
    tracking.plain = await file(somerville, 'Plain words, with a comma');
    tracking.malden = await file(malden, 'A Malden wall');
  });

  // Somerville is town A; Malden is town B. 302 = sent to sign in.
  it.each<[MatrixPerson, number]>([
    ['anonymous', 302],
    ['resident', 403],
    ['staffB', 403],
    ['state', 403],
    ['staffA', 200],
    ['adminA', 200],
  ])('%s opening the queue and the export: %i', async (who, status) => {
    expect((await openQueue(`${SOMERVILLE}/staff`, cookies[who]!)).status).toBe(status);
    expect((await openExport(`${SOMERVILLE}/staff/export.csv`, cookies[who]!)).status).toBe(status);
  });

  it("sends an anonymous visitor to sign in and back to the same queue view", async () => {
    const response = await openExport(`${SOMERVILLE}/staff/export.csv?status=closed`, null);
    expect(response.headers.get('Location')).toBe(`/login?${new URLSearchParams({ redirectTo: '/staff/export.csv?status=closed' })}`);
  });

  it("lists only the town's own requests, with links that keep the view", async () => {
    const response = await openQueue(`${SOMERVILLE}/staff?sort=oldest&pageSize=2&category=graffiti`, cookies.staffA!);
    const data = await response.json();
    expect(data.total).toBe(4);
    expect(data.items.map((i: { trackingNumber: string }) => i.trackingNumber)).toEqual([tracking.formula, tracking.plus]);
    expect(data.pageLinks.next).toBe('/staff?category=graffiti&sort=oldest&page=2&pageSize=2');
    expect(data.exportHref).toBe('/staff/export.csv?category=graffiti&sort=oldest');
    expect(data.returnTo).toBe('/staff?category=graffiti&sort=oldest&pageSize=2');
    expect(data.statusLinks.groups[1]).toEqual({ filter: 'closed', label: 'All closed', count: '0', href: '/staff?status=closed&category=graffiti&sort=oldest&pageSize=2', current: false });

    const maldenData = await (await openQueue(`${MALDEN}/staff?status=open&status=closed&status=withdrawn`, cookieFrom(await startSession((await createUser({ roles: [[malden, 'staff']] })).id, new Request(MALDEN))))).json();
    expect(maldenData.items.map((i: { trackingNumber: string }) => i.trackingNumber)).toEqual([tracking.malden]);
  });

  it('says how a bulk action went and why each failure failed, in the words of the catalogue only, and sends the next one back to the same view without that note', async () => {
    const failures = ['SOM-1042~staffWork.reason.required', 'SOM-1043~staffWork.status.cannot_become~fixed~referred', 'SOM-1044~Call 555-0100 now', 'Call 555-0100 now~staffWork.stale', 'SOM-1045~staffWork.note.too_long'];
    const data = await (await openQueue(`${SOMERVILLE}/staff?sort=oldest&bulk=2%2C4&${failures.map((f) => `bulkFailed=${encodeURIComponent(f)}`).join('&')}`, cookies.staffA!)).json();
    expect(data.bulkResult).toEqual({
      succeeded: 2,
      failed: 4,
      failures: [
        { trackingNumber: 'SOM-1042', cause: 'Say why the request is closed without a fix.' },
        { trackingNumber: 'SOM-1043', cause: 'A request that is "Fixed" cannot become "Referred elsewhere".' },
        { trackingNumber: 'SOM-1045', cause: 'Use at most 4000 characters.' },
      ],
    });
    expect(data.returnTo).toBe('/staff?sort=oldest');
    expect((await (await openQueue(`${SOMERVILLE}/staff?bulk=lots`, cookies.staffA!)).json()).bulkResult).toBeNull();
  });

  it("a town's search never reaches another town's requests, even by tracking number", async () => {
    const data = await (await openQueue(`${SOMERVILLE}/staff?q=${tracking.malden}&status=open&status=closed`, cookies.staffA!)).json();
    expect(data.total).toBe(0);
    const words = await (await openQueue(`${SOMERVILLE}/staff?q=Malden`, cookies.staffA!)).json();
    expect(words.total).toBe(0);
  });

  it('exports CSV with RFC 4180 quoting and spreadsheet formulas neutralised', async () => {
    const response = await openExport(`${SOMERVILLE}/staff/export.csv?sort=oldest`, cookies.staffA!);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
    expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="somerville-requests-${today}.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"",""click"")"');
    expect(text.endsWith('\r\n')).toBe(true);

    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([
      'tracking number',
      'url',
      'status',
      'status reason',
      'priority',
      'channel',
      'category',
      'department',
      'assignee',
      'created',
      'acknowledged',
      'last status change',
      'closed',
      'due',
      'overdue',
      'business days to acknowledge',
      'business days to close',
      'address',
      'lat',
      'lng',
      'description',
      'public answers',
    ]);
    expect(rows.map((r) => r[0])).toEqual([tracking.formula, tracking.plus, tracking.minus, tracking.plain]);
    const byNumber = Object.fromEntries(rows.map((r) => [r[0], r]));
    expect(byNumber[tracking.formula]!.slice(1)).toEqual([
      `${SOMERVILLE}/requests/${tracking.formula}`,
      'Submitted',
      '',
      'normal',
      'web',
      'Graffiti',
      '',
      '',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      '',
      '',
      '',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      'no',
      '',
      '',
      '\'@home, "the corner"',
      '42.39',
      '-71.1',
      '\'=HYPERLINK("http://evil.example","click")',
      '',
    ]);
    expect(byNumber[tracking.plus]![20]).toBe("'+1 555 0100 called about it");
    expect(byNumber[tracking.minus]![20]).toBe("'-2 degrees and the hydrant leaks\r\nsecond line");
    expect(byNumber[tracking.plain]![20]).toBe('Plain words, with a comma');
    expect(text).not.toContain('Malden');
  });

  it('exports with the same filters as the page', async () => {
    const text = await (await openExport(`${SOMERVILLE}/staff/export.csv?q=comma`, cookies.adminA!)).text();
    expect(parseCsv(text).map((r) => r[0])).toEqual(['tracking number', tracking.plain]);
    const none = await (await openExport(`${SOMERVILLE}/staff/export.csv?status=fixed`, cookies.adminA!)).text();
    expect(parseCsv(none)).toHaveLength(1);
  });
});

describe('control characters and the CSV export', () => {
  let everett: TownProfile;
  let cookie: string;

  beforeAll(async () => {
    everett = await townBySlug('everett');
    cookie = cookieFrom(await startSession((await createUser({ roles: [[everett, 'staff']] })).id, new Request('http://everett.localhost:3000')));
  });

  it('refuses a filter with a control character with a plain 400 before any CSV is sent', async () => {
    const response = await openExport('http://everett.localhost:3000/staff/export.csv?q=tag%00', cookie);
    expect(response.status).toBe(400);
    expect(response.headers.get('Content-Type')).not.toMatch(/csv/);
  });

  it('exports stored text holding control characters to the end, without them, formulas still neutralised', async () => {
    const number = await file(everett, '\u0007=1+1 bell\u001b[31m red\ttab\r\nnext line\u000b', 'Main\u0001 St');
    const response = await openExport('http://everett.localhost:3000/staff/export.csv', cookie);
    expect(response.status).toBe(200);
    const rows = parseCsv(await response.text());
    const row = rows.find((r) => r[0] === number)!;
    expect(row[17]).toBe('Main St');
    expect(row[20]).toBe("'=1+1 bell[31m red\ttab\r\nnext line");
  });
});
