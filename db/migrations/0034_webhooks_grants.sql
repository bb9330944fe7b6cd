-- Town-scoped like every other town table: the owner is held to the policies too.
ALTER TABLE "webhook_endpoints" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Endpoints are created, listed, enabled or disabled and deleted; their URL, events and secret never change.
GRANT SELECT, INSERT, DELETE ON webhook_endpoints TO app_town;
--> statement-breakpoint
GRANT UPDATE (enabled) ON webhook_endpoints TO app_town;
--> statement-breakpoint
-- The worker reads where to send and what to sign with, nothing else.
GRANT SELECT (town_id, id, url, secret, enabled) ON webhook_endpoints TO app_delivery;
