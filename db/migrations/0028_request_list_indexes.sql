-- The public request list (/requests) and its map. Both indexes live only here, like the queue's
-- trigram index (0016): drizzle's schema can name neither an operator class nor an expression
-- index over two columns.
--
-- "Near me" orders a town's requests by distance (`<->`, nearest first) and the map reads the
-- requests inside its view (`<@ box`); one GiST index on (town_id, point) serves both, town first
-- like every list index. btree_gist gives GiST the equality on town_id. Longitude is scaled by
-- cos(42.3°) so that plane distance is proportional to ground distance in Massachusetts (within
-- 2 % across the state); app/modules/requests/request-list.server.ts writes the same expression.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS service_requests_town_point_gist ON service_requests USING gist (town_id, point(lng * 0.74, lat));
--> statement-breakpoint
-- The list's text filter looks in addresses as well as descriptions (0016 indexed those).
CREATE INDEX IF NOT EXISTS service_requests_address_trgm ON service_requests USING gin (address gin_trgm_ops);
