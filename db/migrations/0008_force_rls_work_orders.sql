ALTER TABLE "departments" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "response_templates" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "staff_invitations" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON departments, response_templates, staff_invitations TO app_town;
--> statement-breakpoint
-- The audit log is append-only for the app.
GRANT SELECT, INSERT ON audit_log TO app_town;
--> statement-breakpoint
GRANT SELECT ON departments, response_templates, staff_invitations, audit_log TO app_state;
