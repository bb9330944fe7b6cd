-- Town-scoped like every other town table: the owner is held to the policies too.
ALTER TABLE "open311_update_receipts" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Written once per update with the change it made; read to answer a retry. Never changed or removed.
GRANT SELECT, INSERT ON open311_update_receipts TO app_town;
