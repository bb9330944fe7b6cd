-- Towns already in the program are live since their grant began; only towns added from now on onboard.
UPDATE towns SET live_since = grant_start::timestamp AT TIME ZONE timezone WHERE live_since IS NULL;
--> statement-breakpoint
-- Program administration adds towns and writes their lifecycle facts, and nothing else.
GRANT SELECT, INSERT ON towns TO app_program;
--> statement-breakpoint
GRANT UPDATE (live_since, left_program_at, grant_start, grant_end, cohort, updated_at) ON towns TO app_program;
--> statement-breakpoint
-- The town admin ticks the onboarding checklist's confirmations for their own town.
GRANT UPDATE (boundary_confirmed_at, categories_reviewed_at) ON towns TO app_town;
