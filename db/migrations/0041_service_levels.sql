CREATE TABLE "request_overdue_notices" (
	"town_id" integer NOT NULL,
	"request_id" uuid NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"recipients" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "request_overdue_notices_town_id_request_id_due_at_pk" PRIMARY KEY("town_id","request_id","due_at")
);
--> statement-breakpoint
ALTER TABLE "request_overdue_notices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "staff_digests" (
	"town_id" integer NOT NULL,
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"requests" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_digests_town_id_user_id_day_pk" PRIMARY KEY("town_id","user_id","day")
);
--> statement-breakpoint
ALTER TABLE "staff_digests" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "town_closure_days" (
	"town_id" integer NOT NULL,
	"day" date NOT NULL,
	"name" text NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "town_closure_days_town_id_day_pk" PRIMARY KEY("town_id","day")
);
--> statement-breakpoint
ALTER TABLE "town_closure_days" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "ack_target_days" integer DEFAULT 2 NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "daily_digest" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "service_requests" ADD COLUMN "ack_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "request_overdue_notices" ADD CONSTRAINT "request_overdue_notices_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "request_overdue_notices" ADD CONSTRAINT "request_overdue_notices_request_fk" FOREIGN KEY ("town_id","request_id") REFERENCES "public"."service_requests"("town_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_digests" ADD CONSTRAINT "staff_digests_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_digests" ADD CONSTRAINT "staff_digests_user_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_closure_days" ADD CONSTRAINT "town_closure_days_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_closure_days" ADD CONSTRAINT "town_closure_days_created_by_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "town_isolation" ON "request_overdue_notices" AS PERMISSIVE FOR ALL TO "app_town" USING ("request_overdue_notices"."town_id" = (select app.current_town_id())) WITH CHECK ("request_overdue_notices"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "town_isolation" ON "staff_digests" AS PERMISSIVE FOR ALL TO "app_town" USING ("staff_digests"."town_id" = (select app.current_town_id())) WITH CHECK ("staff_digests"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "town_isolation" ON "town_closure_days" AS PERMISSIVE FOR ALL TO "app_town" USING ("town_closure_days"."town_id" = (select app.current_town_id())) WITH CHECK ("town_closure_days"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "town_closure_days" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);