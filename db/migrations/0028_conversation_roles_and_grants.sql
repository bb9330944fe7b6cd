-- Town-scoped like every other town table: the owner is held to the policies too.
ALTER TABLE "request_tokens" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "request_fixed_checks" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A link is issued, checked, used once (used_at) and deleted when long expired; nothing else changes.
GRANT SELECT, INSERT, DELETE ON request_tokens TO app_town;
--> statement-breakpoint
GRANT UPDATE (used_at) ON request_tokens TO app_town;
--> statement-breakpoint
-- Append-only: a second process's insert of the same close does nothing, so each is asked once.
GRANT SELECT, INSERT ON request_fixed_checks TO app_town;
--> statement-breakpoint
-- "My requests" names each request's category (the resident_read policy on categories).
GRANT SELECT ON categories TO app_resident;
