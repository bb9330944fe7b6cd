/** The staff request page's section with the location (its `id`), which staff emails link to for the map. */
export const STAFF_LOCATION_ANCHOR = 'location';
