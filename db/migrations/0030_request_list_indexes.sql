-- The public request list (/requests) and its map. Both indexes live only here: drizzle's schema
-- can declare neither a GiST index over an expression nor INCLUDE columns.
--
-- Under row-level security an index may serve a WHERE condition only when its operator is
-- leakproof (the policy must be checked first), which float and timestamp comparisons are, and
-- `point <@ box` and ILIKE are not; an ORDER BY is no condition. Hence the two shapes below.
--
-- "Near me" orders a town's requests by distance from a point, nearest first (`<->`), which a GiST
-- index serves as a nearest-neighbour scan reading only the rows of the page. town_id leads, like
-- every list index; btree_gist gives GiST the equality on it. Longitude is scaled by cos(42.3°) so
-- that plane distance is proportional to ground distance across Massachusetts (within 2 %);
-- app/modules/requests/request-list.server.ts writes the same expression, and its test checks that
-- the index serves it.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS service_requests_town_point_gist ON service_requests USING gist (town_id, point(lng * 0.74, lat));
--> statement-breakpoint
-- The map groups every matching request in its view (ranges of lat and lng) into clusters. With the
-- columns its filters and clusters read included, that is an index-only scan, however many
-- requests the view holds.
CREATE INDEX IF NOT EXISTS service_requests_town_location_idx ON service_requests (town_id, lat, lng) INCLUDE (status, category_id, created_at, number);
