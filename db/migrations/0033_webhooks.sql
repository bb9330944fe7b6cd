CREATE TABLE "webhook_endpoints" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"secret" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by_user_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoints_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_created_by_fk" FOREIGN KEY ("created_by_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "town_isolation" ON "webhook_endpoints" AS PERMISSIVE FOR ALL TO "app_town" USING ("webhook_endpoints"."town_id" = (select app.current_town_id())) WITH CHECK ("webhook_endpoints"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "delivery" ON "webhook_endpoints" AS PERMISSIVE FOR SELECT TO "app_delivery" USING (true);