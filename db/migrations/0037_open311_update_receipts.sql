CREATE TABLE "open311_update_receipts" (
	"town_id" integer NOT NULL,
	"api_key_id" uuid NOT NULL,
	"update_id" text NOT NULL,
	"id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"status" text NOT NULL,
	"reported_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open311_update_receipts_town_id_api_key_id_update_id_pk" PRIMARY KEY("town_id","api_key_id","update_id")
);
--> statement-breakpoint
ALTER TABLE "open311_update_receipts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "open311_update_receipts" ADD CONSTRAINT "open311_update_receipts_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_update_receipts" ADD CONSTRAINT "open311_update_receipts_api_key_fk" FOREIGN KEY ("town_id","api_key_id") REFERENCES "public"."api_keys"("town_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open311_update_receipts" ADD CONSTRAINT "open311_update_receipts_request_fk" FOREIGN KEY ("town_id","request_id") REFERENCES "public"."service_requests"("town_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE POLICY "town_isolation" ON "open311_update_receipts" AS PERMISSIVE FOR ALL TO "app_town" USING ("open311_update_receipts"."town_id" = (select app.current_town_id())) WITH CHECK ("open311_update_receipts"."town_id" = (select app.current_town_id()));