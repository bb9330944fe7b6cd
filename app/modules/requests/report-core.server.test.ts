import { uuidv7 } from '#db/ids';
import { fixedT } from '~/i18n/translate';
import { findTownBySlug } from '~/utils/town-profile.server';
import type { UploadForm } from '~/utils/multipart.server';
import { PLACES } from '../../../tests/requests';
import { REPORT_ERROR_CODES } from './report-errors';
import { routeReport } from './route-report.server';
import { validateReport, type ValidReport } from './validate-report.server';

const formOf = (fields: Record<string, string>): UploadForm => ({ fields: new URLSearchParams(fields), files: [], tooManyFiles: false, unreadableParts: 0 });

async function valid(fields: Record<string, string>): Promise<ValidReport> {
  const outcome = await validateReport(formOf({ idempotencyKey: uuidv7(), category: 'pothole', description: 'A hole', ...fields }), { signedIn: false });
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.report;
}

describe('the report core speaks in codes and data, not HTTP or words', () => {
  it('says an expired form apart from other mistakes, so a channel can answer it differently', async () => {
    expect(await validateReport(formOf({ idempotencyKey: 'stale' }), { signedIn: false })).toMatchObject({ ok: false, rejection: 'expired_form', errors: { idempotencyKey: { code: 'form_expired' } } });
  });

  it('names every missing field by code at once, with the values its wording needs', async () => {
    const outcome = await validateReport(formOf({ idempotencyKey: uuidv7(), description: 'x'.repeat(4001), lat: '142', lng: '-71' }), { signedIn: false });
    expect(outcome).toEqual({
      ok: false,
      rejection: 'invalid',
      errors: {
        category: { code: 'category.required' },
        description: { code: 'description.too_long', values: { max: 4000 } },
        lat: { code: 'latitude.out_of_range', values: { min: -90, max: 90 } },
      },
    });
  });

  it('asks for an email when a name is given without one, unless the resident is signed in', async () => {
    const fields = { idempotencyKey: uuidv7(), category: 'pothole', description: 'A hole', ...stringsOf(PLACES.somervilleCityHall), name: 'Pat' };
    expect(await validateReport(formOf(fields), { signedIn: false })).toMatchObject({ ok: false, errors: { email: { code: 'name.needs_email' } } });
    expect(await validateReport(formOf(fields), { signedIn: true })).toMatchObject({ ok: true, report: { contact: { email: null, name: null } } });
  });

  it('routes a point in another participating town to a question naming it, and a point outside the state to a code', async () => {
    const somerville = (await findTownBySlug('somerville'))!;
    expect(await routeReport(await valid(stringsOf(PLACES.maldenCityHall)), somerville)).toMatchObject({
      kind: 'choose_town',
      reason: 'other_town',
      suggested: { slug: 'malden', name: 'Malden' },
      point: PLACES.maldenCityHall,
    });
    expect(await routeReport(await valid(stringsOf(PLACES.albanyNY)), somerville)).toEqual({
      kind: 'unroutable',
      error: { code: 'location.outside_massachusetts_near', values: { town: expect.any(String), kilometres: expect.stringMatching(/^\d+\.\d$/) } },
    });
    expect(await routeReport(await valid({ ...stringsOf(PLACES.maldenCityHall), confirmTown: 'malden' }), somerville)).toMatchObject({ kind: 'routed', town: { slug: 'malden' } });
  });
});

function stringsOf(point: { lat: number; lng: number }) {
  return { lat: String(point.lat), lng: String(point.lng), locationSource: 'map' };
}

describe('report error wording', () => {
  it('the English catalogue words every code the report core can return', () => {
    const t = fixedT('en', 'errors');
    expect(REPORT_ERROR_CODES.filter((code) => t(`report.${code}`) === `report.${code}`)).toEqual([]);
  });
});
