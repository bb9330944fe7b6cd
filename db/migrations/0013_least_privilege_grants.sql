-- Least privilege: each runtime role gets exactly what its scope needs (docs/decisions/0010).
-- Start from nothing, then grant; tests/rls.test.ts compares the result with a reviewed list.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM app_town, app_state, app_resident, app_identity, app_delivery;
--> statement-breakpoint
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
--> statement-breakpoint
ALTER TABLE "outbox_messages" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
GRANT USAGE ON SCHEMA app, public TO app_identity, app_delivery;
--> statement-breakpoint
-- Identity: accounts, sessions, emailed tokens, sign-in throttling and account mail. Nobody at
-- run time can make an account state staff: is_state_staff is not insertable or updatable.
GRANT SELECT ON users TO app_identity;
--> statement-breakpoint
GRANT INSERT (id, email, display_name, password_hash, email_verified_at) ON users TO app_identity;
--> statement-breakpoint
GRANT UPDATE (password_hash, email_verified_at) ON users TO app_identity;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON sessions TO app_identity;
--> statement-breakpoint
GRANT UPDATE (expires_at) ON sessions TO app_identity;
--> statement-breakpoint
GRANT SELECT, INSERT ON email_tokens, pending_sign_ups TO app_identity;
--> statement-breakpoint
GRANT UPDATE (used_at) ON email_tokens, pending_sign_ups TO app_identity;
--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON rate_limit_counters TO app_identity;
--> statement-breakpoint
GRANT UPDATE (hits) ON rate_limit_counters TO app_identity;
--> statement-breakpoint
GRANT INSERT ON outbox_messages TO app_identity;
--> statement-breakpoint
-- Town: its own rows (RLS), the town list, the profile columns an admin edits, and the
-- non-secret user columns staff pages show. Mail is written, never read back.
GRANT SELECT ON towns TO app_town;
--> statement-breakpoint
GRANT UPDATE (contact, accent_color, welcome_message, banner_message, logo_key, boundary, updated_at) ON towns TO app_town;
--> statement-breakpoint
GRANT SELECT (id, email, display_name) ON users TO app_town;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON categories, memberships, town_counters, service_requests, request_photos, request_events, request_followers, departments, response_templates, staff_invitations TO app_town;
--> statement-breakpoint
GRANT SELECT, INSERT ON audit_log TO app_town;
--> statement-breakpoint
GRANT INSERT ON outbox_messages TO app_town;
--> statement-breakpoint
-- State oversight: read-only, town rows and non-secret identity columns only.
GRANT SELECT ON towns, categories, memberships, town_counters, service_requests, request_photos, request_events, request_followers, departments, response_templates, staff_invitations, audit_log TO app_state;
--> statement-breakpoint
GRANT SELECT (id, email, display_name, email_verified_at, is_state_staff, created_at) ON users TO app_state;
--> statement-breakpoint
-- Resident: "my requests" (RLS limits it to the resident's own rows).
GRANT SELECT ON service_requests, request_followers, towns TO app_resident;
--> statement-breakpoint
-- Delivery: claims and settles outbox messages; files mail in the dev mailbox when no provider is set.
GRANT SELECT (id, town_id, kind, payload, status, attempts, run_at) ON outbox_messages TO app_delivery;
--> statement-breakpoint
GRANT UPDATE (status, attempts, run_at, last_error, sent_at) ON outbox_messages TO app_delivery;
--> statement-breakpoint
GRANT SELECT, INSERT ON dev_mailbox TO app_delivery;
