CREATE TABLE "request_events" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"public" boolean NOT NULL,
	"from_status" text,
	"to_status" text,
	"message" text,
	"actor_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_events_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "request_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "request_followers" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"user_id" uuid,
	"email" text NOT NULL,
	"unsubscribe_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_followers_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "request_followers" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "request_photos" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"display_key" text NOT NULL,
	"thumbnail_key" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"sort_order" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_photos_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "request_photos" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "service_requests" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"number" integer NOT NULL,
	"tracking_number" text NOT NULL,
	"category_id" uuid NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"status_reason" text,
	"duplicate_of_id" uuid,
	"referred_to" text,
	"description" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"address" text,
	"location_source" text NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reporter_user_id" uuid,
	"reporter_email" text,
	"reporter_name" text,
	"idempotency_key" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "service_requests_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "service_requests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "town_counters" (
	"town_id" integer NOT NULL,
	"name" text NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "town_counters_town_id_name_pk" PRIMARY KEY("town_id","name")
);
--> statement-breakpoint
ALTER TABLE "town_counters" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "questions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_events" ADD CONSTRAINT "request_events_request_fk" FOREIGN KEY ("town_id","request_id") REFERENCES "public"."service_requests"("town_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_followers" ADD CONSTRAINT "request_followers_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_followers" ADD CONSTRAINT "request_followers_request_fk" FOREIGN KEY ("town_id","request_id") REFERENCES "public"."service_requests"("town_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_followers" ADD CONSTRAINT "request_followers_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_photos" ADD CONSTRAINT "request_photos_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_photos" ADD CONSTRAINT "request_photos_request_fk" FOREIGN KEY ("town_id","request_id") REFERENCES "public"."service_requests"("town_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_category_fk" FOREIGN KEY ("town_id","category_id") REFERENCES "public"."categories"("town_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_duplicate_of_fk" FOREIGN KEY ("town_id","duplicate_of_id") REFERENCES "public"."service_requests"("town_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_reporter_fk" FOREIGN KEY ("reporter_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_counters" ADD CONSTRAINT "town_counters_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_events_request_idx" ON "request_events" USING btree ("town_id","request_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "request_followers_request_email_key" ON "request_followers" USING btree ("town_id","request_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "request_followers_unsubscribe_key" ON "request_followers" USING btree ("town_id","unsubscribe_token");--> statement-breakpoint
CREATE INDEX "request_followers_user_idx" ON "request_followers" USING btree ("user_id") WHERE user_id is not null;--> statement-breakpoint
CREATE INDEX "request_photos_request_idx" ON "request_photos" USING btree ("town_id","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "service_requests_town_number_key" ON "service_requests" USING btree ("town_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "service_requests_town_idempotency_key" ON "service_requests" USING btree ("town_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "service_requests_town_created_idx" ON "service_requests" USING btree ("town_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "service_requests_town_status_created_idx" ON "service_requests" USING btree ("town_id","status","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "service_requests_town_category_location_idx" ON "service_requests" USING btree ("town_id","category_id","lat","lng");--> statement-breakpoint
CREATE INDEX "service_requests_reporter_idx" ON "service_requests" USING btree ("reporter_user_id") WHERE reporter_user_id is not null;--> statement-breakpoint
CREATE POLICY "town_isolation" ON "request_events" AS PERMISSIVE FOR ALL TO "app_town" USING ("request_events"."town_id" = (select app.current_town_id())) WITH CHECK ("request_events"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "request_events" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "request_followers" AS PERMISSIVE FOR ALL TO "app_town" USING ("request_followers"."town_id" = (select app.current_town_id())) WITH CHECK ("request_followers"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "request_followers" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
CREATE POLICY "resident_read" ON "request_followers" AS PERMISSIVE FOR SELECT TO "app_town" USING ("request_followers"."user_id" = (select app.current_user_id()));--> statement-breakpoint
CREATE POLICY "town_isolation" ON "request_photos" AS PERMISSIVE FOR ALL TO "app_town" USING ("request_photos"."town_id" = (select app.current_town_id())) WITH CHECK ("request_photos"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "request_photos" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "service_requests" AS PERMISSIVE FOR ALL TO "app_town" USING ("service_requests"."town_id" = (select app.current_town_id())) WITH CHECK ("service_requests"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "service_requests" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
CREATE POLICY "resident_read" ON "service_requests" AS PERMISSIVE FOR SELECT TO "app_town" USING ("service_requests"."reporter_user_id" = (select app.current_user_id()) or exists (select 1 from request_followers f where f.town_id = "service_requests"."town_id" and f.request_id = "service_requests"."id" and f.user_id = (select app.current_user_id())));--> statement-breakpoint
CREATE POLICY "town_isolation" ON "town_counters" AS PERMISSIVE FOR ALL TO "app_town" USING ("town_counters"."town_id" = (select app.current_town_id())) WITH CHECK ("town_counters"."town_id" = (select app.current_town_id()));