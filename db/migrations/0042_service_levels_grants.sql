-- Town-scoped like every other town table: the owner is held to the policies too.
ALTER TABLE "town_closure_days" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "request_overdue_notices" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "staff_digests" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A closure day is added or removed by the town's admin; never edited in place.
GRANT SELECT, INSERT, DELETE ON town_closure_days TO app_town;
--> statement-breakpoint
-- The state console counts business days past due in each town's calendar.
GRANT SELECT ON town_closure_days TO app_state;
--> statement-breakpoint
-- Append-only: a second process's insert of the same request and due time does nothing, so each is announced once.
GRANT SELECT, INSERT ON request_overdue_notices TO app_town;
--> statement-breakpoint
-- Append-only: one row per member and day, so each digest goes out once.
GRANT SELECT, INSERT ON staff_digests TO app_town;
