import { json, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { uuidv7 } from '#db/ids';
import { mapStylesheets } from '~/components/location-map';
import { ReportForm, type ReportActionData } from '~/components/report-form';
import { StatewideReportEntry, type StatewideEntryView } from '~/components/statewide-report-entry';
import { TownIntakeNotice } from '~/components/town-contact';
import { wordFieldErrors } from '~/i18n/field-errors';
import { requestT } from '~/i18n/i18n.server';
import { metaT } from '~/i18n/translate';
import { groupCategories, listCategories } from '~/modules/categories/categories.server';
import { townAnchorPoint } from '~/modules/geo/locate-town.server';
import { canDecodeHeic } from '~/modules/photos/photo-pipeline.server';
import { locateReportEntry, type ReportEntry } from '~/modules/requests/report-entry.server';
import { REPORT_UPLOAD_LIMITS } from '~/modules/requests/report-form.server';
import { intakeFor, submitReport } from '~/modules/requests/submit-report.server';
import type { ReportRejection } from '~/modules/requests/validate-report.server';
import { municipalGuidance } from '~/modules/geo/municipal-guidance.server';
import { searchParamsOf } from '~/utils/control-characters';
import { getEnv } from '~/utils/env.server';
import { readUploadForm } from '~/utils/multipart.server';
import { getOptionalUser } from '~/utils/permissions.server';
import type { TownProfile } from '~/utils/town-profile.server';
import type { RequestArgs } from '~/utils/request-memo.server';
import { resolveSite, siteOrigin, townLinks } from '~/utils/town.server';

export const links: LinksFunction = () => mapStylesheets();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [
  {
    title: metaT(matches)('report.pageTitle', {
      townName: data?.town?.name ?? metaT(matches)('root.commonwealthConnect'),
    }),
  },
];

/** The town's form: its categories, a map centred on it, a fresh idempotency key. */
async function townForm(town: TownProfile) {
  return {
    groups: groupCategories(await listCategories(town.id)),
    idempotencyKey: uuidv7(),
    center: await townAnchorPoint(town.slug),
    mapboxToken: getEnv().MAPBOX_TOKEN ?? null,
    heicReadable: canDecodeHeic,
  };
}

const townSummary = (town: TownProfile) => ({
  name: town.name,
  slug: town.slug,
  contact: town.contact,
  origin: siteOrigin(town.slug),
});

/** The statewide entry's outcome as the page needs it: worded errors, no town profiles. */
function entryView(entry: ReportEntry, t: TFunction, query: Record<string, string>): StatewideEntryView | { kind: 'report' } | { kind: 'closed' } {
  switch (entry.kind) {
    case 'report':
      return { kind: 'report' };
    case 'closed':
      return { kind: 'closed' };
    case 'not_participating':
      return {
        kind: entry.kind,
        municipality: entry.municipality,
        guidance: municipalGuidance(entry.municipality.slug),
      };
    case 'choose_town':
      return { ...entry, address: query.address?.trim() || null };
    case 'locate':
      return {
        kind: 'locate',
        errors: wordFieldErrors(t, entry.errors, 'report'),
        values: query,
      };
  }
}

export async function loader(args: LoaderFunctionArgs) {
  const site = await resolveSite(args);
  const user = await getOptionalUser(args);
  const signedInAs = user ? user.email : null;
  if (site.kind === 'town') {
    const intake = await intakeFor(site.town, user);
    return json({
      statewide: null,
      town: townSummary(site.town),
      closedBecause: intake.open ? null : intake.reason,
      signedInAs,
      form: intake.open ? await townForm(site.town) : null,
      initialLocation: null,
    });
  }
  const query = Object.fromEntries(searchParamsOf(args.request));
  const entry = await locateReportEntry(query, user);
  const view = entryView(entry, await requestT(args.request), query);
  if (entry.kind === 'report') {
    const location = entry.location;
    // Only an address: the form carries it on, and the town finds the spot (approximate).
    const address = query.address?.trim();
    const initialLocation = location
      ? { lat: location.lat.toFixed(6), lng: location.lng.toFixed(6), source: location.source === 'geocoded' ? 'coordinates' : location.source, address: location.address ?? '' }
      : address
        ? { lat: '', lng: '', source: 'coordinates', address }
        : null;
    return json({
      statewide: view,
      town: townSummary(entry.town),
      closedBecause: null,
      signedInAs,
      form: await townForm(entry.town),
      initialLocation,
    });
  }
  if (entry.kind === 'closed')
    return json({
      statewide: view,
      town: townSummary(entry.town),
      closedBecause: entry.reason,
      signedInAs,
      form: null,
      initialLocation: null,
    });
  return json({
    statewide: view,
    town: null,
    closedBecause: null,
    signedInAs,
    form: null,
    initialLocation: null,
  });
}

// "Arlington and Cambridge", "Arlington, Belmont and Cambridge": the catalogue holds the words, the code only the order.
function townList(t: TFunction, names: string[]): string {
  return names.length < 2
    ? names[0] ?? ''
    : t('report.townList', {
        first: names.slice(0, -1).join(', '),
        last: names.at(-1),
      });
}

const REJECTION_STATUS: Record<ReportRejection, 400 | 413 | 422> = {
  expired_form: 400,
  photo_too_large: 413,
  invalid: 422,
};

/** The town a report posted here is for: the town's own site, or the one the statewide entry placed it in. */
async function hostTownOf(args: RequestArgs, user: { id: string } | null): Promise<TownProfile | null> {
  const site = await resolveSite(args);
  if (site.kind === 'town') return site.town;
  const entry = await locateReportEntry(Object.fromEntries(searchParamsOf(args.request)), user);
  return entry.kind === 'report' ? entry.town : null;
}

export async function action(args: ActionFunctionArgs) {
  const { request } = args;
  const user = await getOptionalUser(args);
  const town = await hostTownOf(args, user);
  const t = await requestT(request);
  if (!town)
    throw new Response(t('errors:report.chooseTheLocationFirst'), {
      status: 400,
    });
  const form = await readUploadForm(request, REPORT_UPLOAD_LIMITS);
  const { fields } = form;
  const result = await submitReport({
    hostTown: town,
    user,
    form,
    links: (slug) => townLinks(slug),
  });
  if (result.kind === 'created') {
    const origin = siteOrigin(result.town.slug);
    throw redirect(`${origin}/requests/${result.trackingNumber}?submitted=1`);
  }
  const values: Record<string, string | string[]> = {};
  for (const key of new Set(fields.keys())) {
    const all = fields.getAll(key);
    values[key] = key.startsWith('q.') ? all : all[0]!;
  }
  const base = { values, photosDropped: form.files.length > 0 };
  if (result.kind === 'invalid') {
    // A spot in a city or town outside the program: besides the message, where to go instead.
    const outside = result.errors.location?.code === 'location.not_participating' ? result.errors.location.values : undefined;
    const notParticipating = outside
      ? {
          name: String(outside.town),
          guidance: municipalGuidance(String(outside.slug)),
        }
      : undefined;
    return json<ReportActionData>(
      {
        ...base,
        errors: wordFieldErrors(t, result.errors, 'report'),
        notParticipating,
      },
      { status: REJECTION_STATUS[result.rejection] }
    );
  }
  // The next step carries the point the report was placed at (a photo's, say), unless it is only the approximate one of an address.
  const approximate = result.kind === 'choose_town' && result.reason === 'address_town';
  if (!values.lat && !values.lng && !approximate)
    Object.assign(values, {
      lat: result.point.lat.toFixed(6),
      lng: result.point.lng.toFixed(6),
      locationSource: 'coordinates',
    });
  if (result.kind === 'choose_town') {
    const message =
      result.reason === 'border'
        ? t('report.confirmBorder', { towns: townList(t, result.towns.map((c) => c.name)) })
        : result.reason === 'address_town'
          ? t('report.confirmAddressTown')
          : t('report.confirmOtherTown', { town: result.suggested.name, hostTown: town.name });
    return json<ReportActionData>({
      ...base,
      errors: {},
      confirm: {
        message,
        choices: result.choices,
        elsewhere: result.elsewhere,
        suggested: result.suggested.slug,
      },
    });
  }
  return json<ReportActionData>({
    ...base,
    errors: {},
    duplicates: {
      townSlug: result.destination.slug,
      townOrigin: siteOrigin(result.destination.slug),
      items: result.duplicates,
    },
  });
}

export default function Report() {
  const { t } = useTranslation();
  const { statewide, town, closedBecause, signedInAs, form, initialLocation } = useLoaderData<typeof loader>();
  if (statewide && statewide.kind !== 'report' && statewide.kind !== 'closed') return <StatewideReportEntry entry={statewide} />;
  if (!town) return null;
  return (
    <>
      <h1>{t('report.reportAProblemInName', { name: town.name })}</h1>
      {statewide ? (
        <p>
          {t('report.entry.placedIn', { name: town.name })} <Link to="/report">{t('report.entry.changeLocation')}</Link>
        </p>
      ) : null}
      {closedBecause || !form ? (
        <>
          <TownIntakeNotice reason={closedBecause ?? 'onboarding'} town={town} />
          <p>
            <a href={`${statewide ? town.origin : ''}/requests`}>{t('index.seeReportedProblemsInName', { name: town.name })}</a>
          </p>
        </>
      ) : (
        <ReportForm town={town} signedInAs={signedInAs} initialLocation={initialLocation} settledTown={statewide ? town.slug : null} {...form} />
      )}
    </>
  );
}
