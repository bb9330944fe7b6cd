import { eq } from 'drizzle-orm';
import { categories, requestEvents, serviceRequests, townClosureDays } from '#db/schema';
import { withTown } from '#db/scope';
import type { CategoryQuestion } from '#db/vocabulary';
import { uuidv7 } from '#db/ids';
import { loader as exportLoader } from '~/routes/staff.export[.]csv';
import { startSession } from '~/utils/auth.server';
import type { TownProfile } from '~/utils/town-profile.server';
import { parseCsv } from '../csv';
import { browserRequest, cookieFrom, createUser, requestRow, townBySlug } from '../factories';
import { settle } from '../requests';

const MELROSE = 'http://melrose.localhost:3000';
const ctx = { clientIp: '10.3.4.4' };
const QUESTIONS: CategoryQuestion[] = [
  { code: 'side', label: 'Which side of the street?', type: 'single', required: false, public: true, choices: [{ value: 'north', label: 'North side' }] },
  { code: 'phone', label: 'A number to call you back', type: 'text', required: false, public: false },
];

let melrose: TownProfile;
let cookie: string;
let handled: string;
let fresh: string;
beforeAll(async () => {
  melrose = await townBySlug('melrose');
  cookie = cookieFrom(await startSession((await createUser({ roles: [[melrose, 'staff']] })).id, new Request(MELROSE)));
  const [pothole] = await withTown(melrose.id, (tx) => tx.update(categories).set({ questions: QUESTIONS }).where(eq(categories.code, 'pothole')).returning({ id: categories.id }));
  // Filed the day before Thanksgiving 2026 (Thursday 26 November); the town closed on the Friday after.
  const rows = [
    requestRow(melrose, pothole!.id, {
      createdAt: new Date('2026-11-25T15:00:00Z'),
      acknowledgedAt: new Date('2026-11-30T14:00:00Z'),
      closedAt: new Date('2026-12-04T20:30:00Z'),
      status: 'not_fixed',
      statusReason: 'Private property',
      priority: 'high',
      channel: 'phone',
      answers: { side: 'north', phone: '617-555-0199' },
      description: 'Sinkhole at the kerb',
    }),
    requestRow(melrose, pothole!.id, { createdAt: new Date('2026-12-01T13:00:00Z'), description: 'Crack by the hydrant' }),
  ];
  await withTown(melrose.id, async (tx) => {
    await tx.insert(serviceRequests).values(rows);
    await tx.insert(townClosureDays).values({ townId: melrose.id, day: '2026-11-27', name: 'Day after Thanksgiving' });
    await tx.insert(requestEvents).values({ townId: melrose.id, id: uuidv7(), requestId: rows[0]!.id, kind: 'status_changed', public: true, fromStatus: 'in_progress', toStatus: 'not_fixed', createdAt: new Date('2026-12-04T20:30:00Z') });
  });
  [handled, fresh] = rows.map((r) => r.trackingNumber) as [string, string];
});

async function exported(search: string) {
  const response = await settle(exportLoader({ request: browserRequest(`${MELROSE}/staff/export.csv${search}`, { cookie }), params: {}, context: ctx }));
  expect(response.status).toBe(200);
  const [header, ...rows] = parseCsv(await response.text());
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name.replace('\uFEFF', ''), row[i]])));
}

describe('the queue export', () => {
  it('adds the service-level columns: town-clock times, business days past holidays and closure days, reason, priority, public answers, the URL', async () => {
    const row = (await exported('?status=closed')).find((r) => r['tracking number'] === handled)!;
    expect(row).toMatchObject({
      url: `${MELROSE}/requests/${handled}`,
      status: 'Closed, not fixed',
      'status reason': 'Private property',
      priority: 'high',
      channel: 'phone',
      // 10:00 in Melrose (EST): spreadsheets read this form as a date and time.
      created: '2026-11-25 10:00:00',
      acknowledged: '2026-11-30 09:00:00',
      'last status change': '2026-12-04 15:30:00',
      closed: '2026-12-04 15:30:00',
      // Thanksgiving (state holiday) and the 27th (the town's closure day) do not count; Monday the 30th does.
      'business days to acknowledge': '1',
      'business days to close': '5',
      'public answers': 'Which side of the street?: North side',
    });
    expect(JSON.stringify(row)).not.toContain('617-555-0199');
  });

  it('leaves the times of what has not happened empty, and keeps the view sort', async () => {
    const newest = await exported('?status=open&status=closed&sort=newest');
    const oldest = await exported('?status=open&status=closed&sort=oldest');
    const mine = (rows: Record<string, string | undefined>[]) => rows.map((r) => r['tracking number']).filter((t) => t === handled || t === fresh);
    expect(mine(newest)).toEqual([fresh, handled]);
    expect(mine(oldest)).toEqual([handled, fresh]);
    expect(newest.find((r) => r['tracking number'] === fresh)).toMatchObject({ acknowledged: '', closed: '', 'business days to acknowledge': '', 'business days to close': '', 'public answers': '' });
  });
});
