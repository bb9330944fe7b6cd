-- The address a claim has just proven (docs/decisions/0021), set only by withVerifiedEmail; the
-- resident_claimable policies below read it, so it exists before them.
CREATE OR REPLACE FUNCTION app.current_verified_email() RETURNS text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(lower(current_setting('app.verified_email', true)), '') $$;
--> statement-breakpoint
CREATE TABLE "request_fixed_checks" (
	"town_id" integer NOT NULL,
	"request_id" uuid NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	"recipients" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_fixed_checks_town_id_request_id_closed_at_pk" PRIMARY KEY("town_id","request_id","closed_at")
);
--> statement-breakpoint
ALTER TABLE "request_fixed_checks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "request_tokens" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"token_hash" text NOT NULL,
	"email" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_tokens_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "request_tokens" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "dev_mailbox" ADD COLUMN "headers" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "request_photos" ADD COLUMN "public" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "request_fixed_checks" ADD CONSTRAINT "request_fixed_checks_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_fixed_checks" ADD CONSTRAINT "request_fixed_checks_request_fk" FOREIGN KEY ("town_id","request_id") REFERENCES "public"."service_requests"("town_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_tokens" ADD CONSTRAINT "request_tokens_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_tokens" ADD CONSTRAINT "request_tokens_request_fk" FOREIGN KEY ("town_id","request_id") REFERENCES "public"."service_requests"("town_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "request_tokens_town_hash_key" ON "request_tokens" USING btree ("town_id","token_hash");--> statement-breakpoint
CREATE INDEX "request_tokens_town_expires_idx" ON "request_tokens" USING btree ("town_id","expires_at");--> statement-breakpoint
CREATE INDEX "request_followers_unclaimed_email_idx" ON "request_followers" USING btree (lower("email"),"town_id") WHERE user_id is null;--> statement-breakpoint
CREATE INDEX "service_requests_town_fixed_closed_idx" ON "service_requests" USING btree ("town_id","closed_at") WHERE status = 'fixed';--> statement-breakpoint
CREATE INDEX "service_requests_unclaimed_email_idx" ON "service_requests" USING btree (lower("reporter_email"),"town_id") WHERE reporter_user_id is null and reporter_email is not null;--> statement-breakpoint
CREATE POLICY "resident_read" ON "categories" AS PERMISSIVE FOR SELECT TO "app_resident" USING (true);--> statement-breakpoint
CREATE POLICY "resident_claimable" ON "request_followers" AS PERMISSIVE FOR SELECT TO "app_resident" USING ("request_followers"."user_id" is null and lower("request_followers"."email") = (select app.current_verified_email()));--> statement-breakpoint
CREATE POLICY "resident_claimable" ON "service_requests" AS PERMISSIVE FOR SELECT TO "app_resident" USING ("service_requests"."reporter_user_id" is null and lower("service_requests"."reporter_email") = (select app.current_verified_email()));--> statement-breakpoint
CREATE POLICY "town_isolation" ON "request_fixed_checks" AS PERMISSIVE FOR ALL TO "app_town" USING ("request_fixed_checks"."town_id" = (select app.current_town_id())) WITH CHECK ("request_fixed_checks"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "town_isolation" ON "request_tokens" AS PERMISSIVE FOR ALL TO "app_town" USING ("request_tokens"."town_id" = (select app.current_town_id())) WITH CHECK ("request_tokens"."town_id" = (select app.current_town_id()));