CREATE TABLE "request_daily_stats" (
	"town_id" integer NOT NULL,
	"day" date NOT NULL,
	"category_id" uuid NOT NULL,
	"measure" text NOT NULL,
	"value" integer NOT NULL,
	"n" integer NOT NULL,
	CONSTRAINT "request_daily_stats_town_id_category_id_day_measure_value_pk" PRIMARY KEY("town_id","category_id","day","measure","value")
);
--> statement-breakpoint
ALTER TABLE "request_daily_stats" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_signed_in_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "request_daily_stats" ADD CONSTRAINT "request_daily_stats_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_daily_stats_measure_category_town_day_idx" ON "request_daily_stats" USING btree ("measure","category_id","town_id","day","value","n");--> statement-breakpoint
CREATE INDEX "request_daily_stats_zero_idx" ON "request_daily_stats" USING btree ("town_id") WHERE n = 0;--> statement-breakpoint
CREATE POLICY "town_isolation" ON "request_daily_stats" AS PERMISSIVE FOR ALL TO "app_town" USING ("request_daily_stats"."town_id" = (select app.current_town_id())) WITH CHECK ("request_daily_stats"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "request_daily_stats" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);