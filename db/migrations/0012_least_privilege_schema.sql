CREATE TABLE "pending_sign_ups" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"display_name" text,
	"password_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "outbox_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD COLUMN "town_id" integer;--> statement-breakpoint
CREATE INDEX "pending_sign_ups_email_idx" ON "pending_sign_ups" USING btree (lower("email"));--> statement-breakpoint
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
DROP POLICY "towns_update_state" ON "towns" CASCADE;--> statement-breakpoint
CREATE POLICY "town_isolation" ON "outbox_messages" AS PERMISSIVE FOR ALL TO "app_town" USING ("outbox_messages"."town_id" = (select app.current_town_id())) WITH CHECK ("outbox_messages"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "account_mail" ON "outbox_messages" AS PERMISSIVE FOR INSERT TO "app_identity" WITH CHECK ("outbox_messages"."town_id" is null);--> statement-breakpoint
CREATE POLICY "delivery" ON "outbox_messages" AS PERMISSIVE FOR ALL TO "app_delivery" USING (true) WITH CHECK (true);