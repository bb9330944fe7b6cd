-- Town-scoped like every other town table: the owner is held to the policies too.
ALTER TABLE "webhook_deliveries" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Admins list deliveries and queue them: with the change they report, or again by hand.
GRANT SELECT, INSERT ON webhook_deliveries TO app_town;
--> statement-breakpoint
-- Re-enabling an endpoint clears its failure record; the app disables a failing one inside the town's scope.
GRANT UPDATE (failing_since, auto_disabled_at) ON webhook_endpoints TO app_town;
--> statement-breakpoint
-- The worker claims what is due, sends it and records each attempt's outcome, nothing else.
GRANT SELECT (town_id, id, endpoint_id, event_id, event, status, attempts, next_attempt_at) ON webhook_deliveries TO app_delivery;
--> statement-breakpoint
GRANT UPDATE (status, attempts, next_attempt_at, last_attempt_at, last_response_status, last_error, delivered_at) ON webhook_deliveries TO app_delivery;
--> statement-breakpoint
GRANT SELECT (failing_since) ON webhook_endpoints TO app_delivery;
--> statement-breakpoint
GRANT UPDATE (failing_since) ON webhook_endpoints TO app_delivery;
--> statement-breakpoint
-- Secrets made before Standard Webhooks were base64url; the same key in base64 is what its verifiers decode.
UPDATE webhook_endpoints SET secret = 'whsec_' || translate(substr(secret, 7), '-_', '+/') || '=' WHERE length(secret) = 49 AND secret NOT LIKE '%=';
