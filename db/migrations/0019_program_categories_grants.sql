-- The program list is reference data written only by the registry sync (the owner). Town admins
-- choose from it and state oversight groups by it, so both read it; nobody at run time writes it.
-- tests/rls.test.ts lists the grants.
REVOKE ALL ON program_categories FROM PUBLIC, app_town, app_state, app_resident, app_identity, app_delivery;
--> statement-breakpoint
GRANT SELECT ON program_categories TO app_town, app_state;
