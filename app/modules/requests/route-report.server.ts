import { locateTown, townAnchorPoint } from '~/modules/geo/locate-town.server';
import { findTownBySlug, type TownProfile } from '~/utils/town-profile.server';
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
  | { kind: 'choose_town'; reason: 'border' | 'other_town'; suggested: TownChoice; choices: TownChoice[]; elsewhere: TownChoice[]; towns: TownChoice[]; point: Point }
  | { kind: 'unroutable'; error: ReportError };

async function locationOf(report: ValidReport, hostTown: TownProfile): Promise<FiledLocation> {
  const { place } = report;
  if (place.kind === 'point') return { lat: place.lat, lng: place.lng, source: place.source, address: report.address };
  const anchor = await townAnchorPoint(hostTown.slug);
  const geocoded = await geocodeAddress(place.address, anchor);
  return geocoded ? { ...geocoded, source: 'geocoded', address: place.address } : { ...anchor, source: 'address', address: place.address };
}

/** Routes a report from the town site it was sent on (`hostTown`) to the town whose boundary holds it. */
export async function routeReport(report: ValidReport, hostTown: TownProfile): Promise<RoutingOutcome> {
  const location = await locationOf(report, hostTown);
  // An address that could not be placed stays with the town the resident chose; a point decides for itself.
  if (location.source === 'address') return { kind: 'routed', town: hostTown, location };

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
