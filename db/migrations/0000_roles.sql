-- Runtime roles and the town setting. Roles are cluster-wide, so creation tolerates a role that
-- another database on the same server already created.
CREATE SCHEMA IF NOT EXISTS app;
--> statement-breakpoint
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_town') THEN
    CREATE ROLE app_town NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_state') THEN
    CREATE ROLE app_state NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
-- The connecting role must be able to SET ROLE to both (a superuser already can).
GRANT app_town TO CURRENT_USER;
--> statement-breakpoint
GRANT app_state TO CURRENT_USER;
--> statement-breakpoint
-- No town set, or set to '', means NULL: policies comparing town_id to it match no row.
CREATE OR REPLACE FUNCTION app.current_town_id() RETURNS integer
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.town_id', true), '')::integer $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA app TO app_town, app_state;
