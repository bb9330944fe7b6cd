ALTER TABLE "towns" ADD COLUMN "live_since" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "towns" ADD COLUMN "left_program_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "towns" ADD COLUMN "boundary_confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "towns" ADD COLUMN "categories_reviewed_at" timestamp with time zone;--> statement-breakpoint
CREATE POLICY "towns_program_insert" ON "towns" AS PERMISSIVE FOR INSERT TO "app_program" WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "towns_program_update" ON "towns" AS PERMISSIVE FOR UPDATE TO "app_program" USING (true) WITH CHECK (true);