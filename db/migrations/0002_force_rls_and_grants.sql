-- drizzle-kit emits ENABLE but not FORCE; FORCE makes the table owner obey the policies too.
ALTER TABLE "categories" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO app_town, app_state;
--> statement-breakpoint
-- The app role works accounts and town data; the town list itself changes only by registry sync
-- (owner) or by an admin editing its own town's settings.
GRANT SELECT, INSERT, UPDATE, DELETE ON users, sessions, email_tokens, rate_limit_counters, outbox_messages, dev_mailbox TO app_town;
--> statement-breakpoint
GRANT SELECT, UPDATE ON towns TO app_town;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON categories, memberships TO app_town;
--> statement-breakpoint
GRANT SELECT ON ALL TABLES IN SCHEMA public TO app_state;
--> statement-breakpoint
GRANT UPDATE ON towns TO app_state;
