-- The staff queue's description search is `ilike '%…%'`, which no btree can serve; a trigram
-- index finds the matching rows of a million-request table without reading them all. It exists
-- only here (drizzle's schema cannot name an operator class), like the policies.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS service_requests_description_trgm ON service_requests USING gin (description gin_trgm_ops);
--> statement-breakpoint
-- Every server process caches the towns (app/modules/towns/town-cache.server.ts). Any change to
-- the table, whoever makes it (an admin, a tenant sync in another process, psql), tells them all
-- at commit; a trigger cannot be forgotten by a new writer as a call in the code could.
CREATE FUNCTION notify_towns_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('towns_changed', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER towns_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON towns FOR EACH STATEMENT EXECUTE FUNCTION notify_towns_changed();
