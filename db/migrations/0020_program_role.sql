-- State program administration (onboarding a town, its lifecycle facts) gets a role of its own,
-- created before the policies that name it: oversight (app_state) stays read-only.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_program') THEN
    CREATE ROLE app_program NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT app_program TO CURRENT_USER;
