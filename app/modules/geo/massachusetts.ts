/** Roughly the middle of Massachusetts: where a statewide map starts and an address is searched from when no town is known yet. */
export const MASSACHUSETTS_CENTRE = { lat: 42.25, lng: -71.8 };
