-- "My requests" gets its own read-only role (see db/rls.ts); created before its policies move to it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_resident') THEN
    CREATE ROLE app_resident NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT app_resident TO CURRENT_USER;
--> statement-breakpoint
GRANT USAGE ON SCHEMA app, public TO app_resident;
--> statement-breakpoint
GRANT SELECT ON service_requests, request_followers, towns TO app_resident;
