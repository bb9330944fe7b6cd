CREATE TABLE "webhook_deliveries" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"event" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_attempt_at" timestamp with time zone,
	"last_response_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"redelivery_of_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "failing_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "auto_disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_endpoint_fk" FOREIGN KEY ("town_id","endpoint_id") REFERENCES "public"."webhook_endpoints"("town_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_created_idx" ON "webhook_deliveries" USING btree ("town_id","endpoint_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE POLICY "delivery_health" ON "webhook_endpoints" AS PERMISSIVE FOR UPDATE TO "app_delivery" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "webhook_deliveries" AS PERMISSIVE FOR ALL TO "app_town" USING ("webhook_deliveries"."town_id" = (select app.current_town_id())) WITH CHECK ("webhook_deliveries"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "delivery_read" ON "webhook_deliveries" AS PERMISSIVE FOR SELECT TO "app_delivery" USING (true);--> statement-breakpoint
CREATE POLICY "delivery_outcome" ON "webhook_deliveries" AS PERMISSIVE FOR UPDATE TO "app_delivery" USING (true) WITH CHECK (true);