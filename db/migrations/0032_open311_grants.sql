-- Town-scoped like every other town table: the owner is held to the policies too.
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A key is created, checked, marked used and revoked; never deleted, its hash never changed.
GRANT SELECT, INSERT ON api_keys TO app_town;
--> statement-breakpoint
GRANT UPDATE (last_used_at, revoked_at, revoked_by_user_id) ON api_keys TO app_town;
