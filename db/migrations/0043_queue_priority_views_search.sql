CREATE TABLE "request_search_words" (
	"town_id" integer NOT NULL,
	"word" text COLLATE "C" NOT NULL,
	"request_id" uuid NOT NULL,
	CONSTRAINT "request_search_words_town_id_word_request_id_pk" PRIMARY KEY("town_id","word","request_id")
);
--> statement-breakpoint
ALTER TABLE "request_search_words" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "saved_queue_views" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"owner_user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "saved_queue_views_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "saved_queue_views" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "service_requests" ADD COLUMN "priority" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "request_search_words" ADD CONSTRAINT "request_search_words_request_fk" FOREIGN KEY ("town_id","request_id") REFERENCES "public"."service_requests"("town_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_queue_views" ADD CONSTRAINT "saved_queue_views_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "saved_queue_views" ADD CONSTRAINT "saved_queue_views_owner_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_search_words_request_idx" ON "request_search_words" USING btree ("town_id","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "saved_queue_views_owner_name_key" ON "saved_queue_views" USING btree ("town_id","owner_user_id",lower("name"));--> statement-breakpoint
CREATE INDEX "service_requests_town_open_priority_idx" ON "service_requests" USING btree ("town_id","priority","created_at","id") WHERE status in ('submitted', 'acknowledged', 'in_progress');--> statement-breakpoint
CREATE INDEX "service_requests_town_priority_created_idx" ON "service_requests" USING btree ("town_id","priority","created_at","id");--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_priority_check" CHECK ("service_requests"."priority" between 0 and 3);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "request_search_words" AS PERMISSIVE FOR ALL TO "app_town" USING ("request_search_words"."town_id" = (select app.current_town_id())) WITH CHECK ("request_search_words"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "town_isolation" ON "saved_queue_views" AS PERMISSIVE FOR ALL TO "app_town" USING ("saved_queue_views"."town_id" = (select app.current_town_id())) WITH CHECK ("saved_queue_views"."town_id" = (select app.current_town_id()));