-- State oversight records what it read of personal data, and can do nothing else with the record
-- (docs/decisions/0012); tests/rls.test.ts lists the grant.
REVOKE ALL ON oversight_reads FROM PUBLIC, app_town, app_state, app_resident, app_identity, app_delivery;
--> statement-breakpoint
GRANT INSERT ON oversight_reads TO app_state;
