-- "Near me" on the public request list (/requests): a town's requests ordered by distance from a
-- point, nearest first (`<->`), which a GiST index on a point serves as a nearest-neighbour scan,
-- reading only the rows of the page. town_id leads, like every list index; btree_gist gives GiST
-- the equality on it. It lives only here (drizzle's schema cannot declare it), like the trigram
-- index of 0016. Longitude is scaled by cos(42.3°) so that plane distance is proportional to
-- ground distance across Massachusetts (within 2 %); app/modules/requests/request-list.server.ts
-- writes the same expression, and its test checks the index serves it.
--
-- An ORDER BY may use it under row-level security, but a WHERE may not: RLS lets an index serve
-- only leakproof operators, and neither `<@` (point in box) nor ILIKE is one. The map's view is
-- therefore a range of lat and lng (float comparisons are leakproof) on the btree index of 0027.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS service_requests_town_point_gist ON service_requests USING gist (town_id, point(lng * 0.74, lat));
