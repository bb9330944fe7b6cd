-- Town-scoped like every other town table: the owner is held to the policies too.
ALTER TABLE "town_subscriptions" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "town_invoices" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "lifecycle_notices" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "stripe_events" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A town's staff read their own town's billing (the billing page, the grace banner); only billing writes it.
GRANT SELECT ON town_subscriptions, town_invoices TO app_town;
--> statement-breakpoint
GRANT SELECT ON town_subscriptions, town_invoices, lifecycle_notices TO app_state;
--> statement-breakpoint
-- State staff record purchase orders and void them (the policy limits them to that source).
GRANT SELECT, INSERT ON town_subscriptions TO app_program;
--> statement-breakpoint
GRANT UPDATE (ended_at, updated_at) ON town_subscriptions TO app_program;
--> statement-breakpoint
GRANT SELECT ON towns TO app_billing;
--> statement-breakpoint
GRANT UPDATE (stripe_customer_id, updated_at) ON towns TO app_billing;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON town_subscriptions, town_invoices TO app_billing;
--> statement-breakpoint
GRANT SELECT, INSERT ON lifecycle_notices, stripe_events TO app_billing;
--> statement-breakpoint
-- The notices go to the state's staff too; no other account column.
GRANT SELECT (id, email, display_name, is_state_staff) ON users TO app_billing;
--> statement-breakpoint
-- Subscriptions are lifecycle facts, so every process's town cache hears of a change at commit.
CREATE TRIGGER town_subscriptions_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON town_subscriptions FOR EACH STATEMENT EXECUTE FUNCTION notify_towns_changed();
