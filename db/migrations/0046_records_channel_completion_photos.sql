ALTER TABLE "request_photos" ADD COLUMN "event_id" uuid;--> statement-breakpoint
ALTER TABLE "service_requests" ADD COLUMN "channel" text DEFAULT 'web' NOT NULL;--> statement-breakpoint
ALTER TABLE "request_photos" ADD CONSTRAINT "request_photos_event_fk" FOREIGN KEY ("town_id","event_id") REFERENCES "public"."request_events"("town_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_town_entity_idx" ON "audit_log" USING btree ("town_id","entity_type","entity_id","created_at" DESC NULLS LAST);--> statement-breakpoint
-- Only Open311 gives a phone or a media link, so those requests are certainly its; any other Open311 filing cannot be told from the web form's and stays 'web'.
UPDATE "service_requests" SET "channel" = 'open311' WHERE "reporter_phone" IS NOT NULL OR "media_url" IS NOT NULL;
