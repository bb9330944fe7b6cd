ALTER TABLE "service_requests" ADD COLUMN "transferred_to_town_id" integer;--> statement-breakpoint
ALTER TABLE "service_requests" ADD COLUMN "transferred_to_tracking_number" text;--> statement-breakpoint
ALTER TABLE "service_requests" ADD COLUMN "transferred_from_town_id" integer;--> statement-breakpoint
ALTER TABLE "service_requests" ADD COLUMN "transferred_from_tracking_number" text;--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_transferred_to_town_id_towns_id_fk" FOREIGN KEY ("transferred_to_town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_transferred_from_town_id_towns_id_fk" FOREIGN KEY ("transferred_from_town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;