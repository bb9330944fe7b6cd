import { locateTown, townAnchorPoint } from '~/modules/geo/locate-town.server';
import { recognisePlace } from '~/modules/geo/place-names.server';
import { findTownById, findTownBySlug, type TownProfile } from '~/utils/town-profile.server';
import { geocodeAddress } from '~/utils/mapbox.server';
import type { LocationSource } from '#db/vocabulary';
import type { ReportError } from './report-errors';
import type { ValidReport } from './validate-report.server';

export type TownChoice = { slug: string; name: string };
export type Point = { lat: number; lng: number };
export type FiledLocation = Point & { address: string | null; source: LocationSource };

/**
 * Where a valid report goes. `choose_town` asks the resident first: the spot is on a border
 * (`towns` lists every community there) or in another participating town than the one they are
 * on. `elsewhere` are the municipalities at that spot that do not use Commonwealth Connect: the
 * resident may say it is on their side, and is then told how to reach them. `point` is what the
 * next step should carry, so a location read from a photo survives re-attaching the photo.
 */
export type RoutingOutcome =
  | { kind: 'routed'; town: TownProfile; location: FiledLocation }
  | { kind: 'choose_town'; reason: 'border' | 'other_town' | 'address_town'; suggested: TownChoice; choices: TownChoice[]; elsewhere: TownChoice[]; towns: TownChoice[]; point: Point }
  | { kind: 'unroutable'; error: ReportError };

async function locationOf(report: ValidReport, hostTown: TownProfile): Promise<FiledLocation> {
  const { place } = report;
  if (place.kind === 'point') return { lat: place.lat, lng: place.lng, source: place.source, address: report.address };
  const anchor = await townAnchorPoint(hostTown.slug);
  const geocoded = await geocodeAddress(place.address, anchor);
  return geocoded ? { ...geocoded, source: 'geocoded', address: place.address } : { ...anchor, source: 'address', address: place.address };
}

/**
 * An address no geocoder placed: it stays with the site's town only when it names that town (or
 * no other); otherwise the resident confirms the town, told that the spot is approximate. Towns
 * are compared by MassGIS id, which is every participating town's id whatever its slug.
 */
async function routeUnplacedAddress(report: ValidReport, hostTown: TownProfile, location: FiledLocation): Promise<RoutingOutcome> {
  const named = recognisePlace(location.address ?? '');
  const candidates = named ? (named.municipality ? [named.municipality] : named.candidates) : [];
  const host = { slug: hostTown.slug, name: hostTown.name };
  const participating = (await Promise.all(candidates.map(async (m) => (await findTownById(m.townId)) ?? null))).filter((t) => t !== null);
  const choices = [...participating.map((t) => ({ slug: t.slug, name: t.name })).filter((c) => c.slug !== host.slug), host];
  const elsewhere = candidates.filter((m) => !participating.some((t) => t.id === m.townId)).map((m) => ({ slug: m.slug, name: m.name }));
  const confirmed = report.confirmTown;
  const outside = elsewhere.find((c) => c.slug === confirmed);
  if (outside) return { kind: 'unroutable', error: { code: 'location.not_participating', values: { town: outside.name, slug: outside.slug } } };
  const chosen = confirmed ? choices.find((c) => c.slug === confirmed) : candidates.length === 1 && participating[0]?.id === hostTown.id ? host : undefined;
  if (!chosen) {
    const suggested = choices[0]!;
    return { kind: 'choose_town', reason: 'address_town', suggested, choices, elsewhere, towns: [...choices, ...elsewhere], point: { lat: location.lat, lng: location.lng } };
  }
  const town = chosen.slug === hostTown.slug ? hostTown : await findTownBySlug(chosen.slug);
  if (!town) throw new Error(`Routed to unknown town ${chosen.slug}`);
  return { kind: 'routed', town, location: town === hostTown ? location : { ...(await townAnchorPoint(town.slug)), source: 'address', address: location.address } };
}

/** Routes a report from the town site it was sent on (`hostTown`) to the town whose boundary holds it. */
export async function routeReport(report: ValidReport, hostTown: TownProfile): Promise<RoutingOutcome> {
  const location = await locationOf(report, hostTown);
  // A point decides for itself; an address no geocoder placed is checked against the town it names.
  if (location.source === 'address') return routeUnplacedAddress(report, hostTown, location);

  const routed = await locateTown(location.lat, location.lng);
  if (routed.kind === 'outside') {
    if (!routed.nearest) return { kind: 'unroutable', error: { code: 'location.outside_massachusetts' } };
    const kilometres = (routed.nearest.distanceMeters / 1000).toFixed(1);
    return { kind: 'unroutable', error: { code: 'location.outside_massachusetts_near', values: { town: routed.nearest.name, kilometres } } };
  }
  const candidates = [routed, ...routed.alternatives];
  const choices = candidates.filter((c) => c.participating).map((c) => ({ slug: c.slug, name: c.name }));
  const elsewhere = candidates.filter((c) => !c.participating).map((c) => ({ slug: c.slug, name: c.name }));
  const outside = elsewhere.find((c) => c.slug === report.confirmTown) ?? (choices.length === 0 ? elsewhere[0] : undefined);
  if (outside) return { kind: 'unroutable', error: { code: 'location.not_participating', values: { town: outside.name, slug: outside.slug } } };

  const chosen = report.confirmTown ? choices.find((c) => c.slug === report.confirmTown) : undefined;
  const suggested = choices[0]!;
  const onBorder = routed.alternatives.length > 0;
  if ((onBorder || suggested.slug !== hostTown.slug) && !chosen) {
    const towns = candidates.map((c) => ({ slug: c.slug, name: c.name }));
    return { kind: 'choose_town', reason: onBorder ? 'border' : 'other_town', suggested, choices, elsewhere, towns, point: { lat: location.lat, lng: location.lng } };
  }
  const destination = (chosen ?? suggested).slug;
  const town = destination === hostTown.slug ? hostTown : await findTownBySlug(destination);
  if (!town) throw new Error(`Routed to unknown town ${destination}`);
  return { kind: 'routed', town, location };
}
