ALTER TABLE "town_counters" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "service_requests" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "request_photos" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "request_events" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "request_followers" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON town_counters, service_requests, request_photos, request_events, request_followers TO app_town;
--> statement-breakpoint
GRANT SELECT ON town_counters, service_requests, request_photos, request_events, request_followers TO app_state;
