CREATE TABLE "audit_log" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"actor_user_id" uuid,
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "departments" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "departments_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "departments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "response_templates" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "response_templates_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "response_templates" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "staff_invitations" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by_user_id" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "staff_invitations_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "staff_invitations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "towns" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "towns" ADD COLUMN "welcome_message" text;--> statement-breakpoint
ALTER TABLE "towns" ADD COLUMN "banner_message" text;--> statement-breakpoint
ALTER TABLE "towns" ADD COLUMN "logo_key" text;--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "department_id" uuid;--> statement-breakpoint
ALTER TABLE "service_requests" ADD COLUMN "department_id" uuid;--> statement-breakpoint
ALTER TABLE "service_requests" ADD COLUMN "assignee_user_id" uuid;--> statement-breakpoint
ALTER TABLE "service_requests" ADD COLUMN "due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "service_requests" ADD COLUMN "acknowledged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "departments" ADD CONSTRAINT "departments_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "response_templates" ADD CONSTRAINT "response_templates_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_invitations" ADD CONSTRAINT "staff_invitations_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_town_created_idx" ON "audit_log" USING btree ("town_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "departments_town_name_key" ON "departments" USING btree ("town_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "staff_invitations_token_key" ON "staff_invitations" USING btree ("town_id","token_hash");--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_department_fk" FOREIGN KEY ("town_id","department_id") REFERENCES "public"."departments"("town_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_department_fk" FOREIGN KEY ("town_id","department_id") REFERENCES "public"."departments"("town_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_requests" ADD CONSTRAINT "service_requests_assignee_fk" FOREIGN KEY ("assignee_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_requests_town_category_created_idx" ON "service_requests" USING btree ("town_id","category_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "service_requests_town_department_created_idx" ON "service_requests" USING btree ("town_id","department_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "service_requests_town_assignee_created_idx" ON "service_requests" USING btree ("town_id","assignee_user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "service_requests_town_open_due_idx" ON "service_requests" USING btree ("town_id","due_at") WHERE status in ('submitted', 'acknowledged', 'in_progress');--> statement-breakpoint
CREATE POLICY "towns_read" ON "towns" AS PERMISSIVE FOR SELECT TO public USING (true);--> statement-breakpoint
CREATE POLICY "towns_update_own" ON "towns" AS PERMISSIVE FOR UPDATE TO "app_town" USING ("towns"."id" = (select app.current_town_id())) WITH CHECK ("towns"."id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "towns_update_state" ON "towns" AS PERMISSIVE FOR UPDATE TO "app_state" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "audit_log" AS PERMISSIVE FOR ALL TO "app_town" USING ("audit_log"."town_id" = (select app.current_town_id())) WITH CHECK ("audit_log"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "audit_log" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "departments" AS PERMISSIVE FOR ALL TO "app_town" USING ("departments"."town_id" = (select app.current_town_id())) WITH CHECK ("departments"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "departments" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "response_templates" AS PERMISSIVE FOR ALL TO "app_town" USING ("response_templates"."town_id" = (select app.current_town_id())) WITH CHECK ("response_templates"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "response_templates" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "staff_invitations" AS PERMISSIVE FOR ALL TO "app_town" USING ("staff_invitations"."town_id" = (select app.current_town_id())) WITH CHECK ("staff_invitations"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "staff_invitations" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);