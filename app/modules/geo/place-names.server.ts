import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listMunicipalities } from './municipalities.server';
import { buildPlaceIndex, recognisePlaceIn, type PlaceIndex, type PlaceNameFile, type RecognisedPlace } from './place-names';

let index: PlaceIndex | undefined;

/** The index of all 351 municipalities and the villages in tenants/_statewide/place-names.json, built once per process. */
export function placeIndex(): PlaceIndex {
  if (!index) {
    const file = JSON.parse(readFileSync(path.join(process.cwd(), 'tenants/_statewide/place-names.json'), 'utf8')) as PlaceNameFile;
    index = buildPlaceIndex(listMunicipalities(), file);
  }
  return index;
}

/** The Massachusetts municipality a typed address or landmark names, if any (see recognisePlaceIn). */
export function recognisePlace(text: string): RecognisedPlace | null {
  return recognisePlaceIn(placeIndex(), text);
}
