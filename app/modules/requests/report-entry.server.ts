import type { LocationSource } from '#db/vocabulary';
import { listMunicipalities } from '~/modules/geo/municipalities.server';
import { locateTown } from '~/modules/geo/locate-town.server';
import { recognisePlace } from '~/modules/geo/place-names.server';
import { fieldErrorCodesOf } from '~/utils/field-errors';
import { geocodeAddress } from '~/utils/mapbox.server';
import { findTownById, findTownBySlug, listTowns, type TownProfile } from '~/utils/town-profile.server';
import type { ReportError, ReportErrors } from './report-errors';
import { reportLocationFields } from './report-form.server';
import type { TownChoice } from './route-report.server';
import { intakeFor } from './submit-report.server';
import { MASSACHUSETTS_CENTRE } from '~/modules/geo/massachusetts';


export type EntryLocation = { lat: number; lng: number; source: LocationSource; address: string | null };

/**
 * The statewide report entry, location first (docs/decisions/0020): where the resident says the
 * problem is decides which town's form they get. Every outcome is data; the page words it.
 * - `locate`: nothing given yet, or what was given is wrong (`errors`, by field);
 * - `choose_town`: the spot is on a border (or only an address was given): the resident picks;
 * - `report`: the town's own form, for this spot;
 * - `closed`: the town takes no reports now (onboarding, lapsed, left);
 * - `not_participating`: the spot is in a city or town that does not use Commonwealth Connect.
 */
export type ReportEntry =
  | { kind: 'locate'; errors: ReportErrors }
  | { kind: 'choose_town'; location: EntryLocation | null; choices: TownChoice[]; elsewhere: TownChoice[] }
  | { kind: 'report'; town: TownProfile; location: EntryLocation | null }
  | { kind: 'closed'; town: TownProfile; reason: 'onboarding' | 'lapsed' | 'left' }
  | { kind: 'not_participating'; municipality: TownChoice };

export type EntryQuery = Record<string, string | undefined>;

async function participatingTown(slug: string, user: { id: string } | null): Promise<ReportEntry | null> {
  const town = await findTownBySlug(slug);
  if (!town) return null;
  const intake = await intakeFor(town, user);
  return intake.open ? { kind: 'report', town, location: null } : { kind: 'closed', town, reason: intake.reason };
}

/** Every town that takes reports from this resident now, for choosing one by name. */
async function openTowns(user: { id: string } | null): Promise<TownChoice[]> {
  const open: TownChoice[] = [];
  for (const town of await listTowns()) if ((await intakeFor(town, user)).open) open.push({ slug: town.slug, name: town.name });
  return open;
}

async function entryForPoint(location: EntryLocation, chosen: string | undefined, user: { id: string } | null): Promise<ReportEntry> {
  const routed = await locateTown(location.lat, location.lng);
  if (routed.kind === 'outside') {
    const error: ReportError = routed.nearest
      ? { code: 'location.outside_massachusetts_near', values: { town: routed.nearest.name, kilometres: (routed.nearest.distanceMeters / 1000).toFixed(1) } }
      : { code: 'location.outside_massachusetts' };
    return { kind: 'locate', errors: { location: error } };
  }
  const candidates = [routed, ...routed.alternatives];
  const choices = candidates.filter((c) => c.participating).map((c) => ({ slug: c.slug, name: c.name }));
  const elsewhere = candidates.filter((c) => !c.participating).map((c) => ({ slug: c.slug, name: c.name }));
  const picked = chosen ? candidates.find((c) => c.slug === chosen) : candidates.length === 1 ? candidates[0] : undefined;
  if (!picked) return { kind: 'choose_town', location, choices, elsewhere };
  if (!picked.participating) return { kind: 'not_participating', municipality: { slug: picked.slug, name: picked.name } };
  const entry = await participatingTown(picked.slug, user);
  return entry?.kind === 'report' ? { ...entry, location } : (entry ?? { kind: 'choose_town', location, choices, elsewhere });
}

/**
 * Resolves the query the entry's first step sends (GET: `lat`, `lng`, `locationSource`, `address`,
 * and `town` once the resident picked one). A GET, so it writes nothing.
 */
export async function locateReportEntry(query: EntryQuery, user: { id: string } | null): Promise<ReportEntry> {
  const parsed = reportLocationFields.safeParse(query);
  if (!parsed.success) return { kind: 'locate', errors: fieldErrorCodesOf(parsed.error.issues) as ReportErrors };
  const { lat, lng, address, locationSource } = parsed.data;
  const chosen = query.town?.trim() || undefined;
  if (lat !== null && lng !== null) return entryForPoint({ lat, lng, source: locationSource, address }, chosen, user);
  if (lat !== null || lng !== null) return { kind: 'locate', errors: { location: { code: 'location.half_given' } } };
  if (address) {
    const geocoded = await geocodeAddress(address, MASSACHUSETTS_CENTRE);
    if (geocoded) return entryForPoint({ ...geocoded, source: 'geocoded', address }, chosen, user);
    // No geocoder, or it found nothing: the town named in the address, else the resident's choice (the spot stays approximate).
    const named = chosen ? null : recognisePlace(address);
    if (named) {
      const meant = named.municipality ? [named.municipality] : named.candidates;
      const towns = await Promise.all(meant.map((m) => findTownById(m.townId)));
      if (meant.length === 1) {
        const town = towns[0];
        return town ? ((await participatingTown(town.slug, user)) ?? { kind: 'locate', errors: {} }) : { kind: 'not_participating', municipality: { slug: meant[0]!.slug, name: meant[0]!.name } };
      }
      const choices = towns.flatMap((t) => (t ? [{ slug: t.slug, name: t.name }] : []));
      const elsewhere = meant.filter((_, i) => !towns[i]).map((m) => ({ slug: m.slug, name: m.name }));
      return { kind: 'choose_town', location: null, choices, elsewhere };
    }
    if (chosen) {
      const entry = await participatingTown(chosen, user);
      if (entry) return entry;
      const municipality = listMunicipalities().find((m) => m.slug === chosen);
      if (municipality) return { kind: 'not_participating', municipality: { slug: municipality.slug, name: municipality.name } };
    }
    return { kind: 'choose_town', location: null, choices: await openTowns(user), elsewhere: [] };
  }
  return { kind: 'locate', errors: {} };
}
