-- Billing gets a role of its own (docs/decisions/0019), created before the policies that name it.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_billing') THEN
    CREATE ROLE app_billing NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
GRANT app_billing TO CURRENT_USER;
--> statement-breakpoint
CREATE TABLE "lifecycle_notices" (
	"town_id" integer NOT NULL,
	"kind" text NOT NULL,
	"service_end" date NOT NULL,
	"emailed" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lifecycle_notices_town_id_kind_service_end_pk" PRIMARY KEY("town_id","kind","service_end")
);
--> statement-breakpoint
ALTER TABLE "lifecycle_notices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"outcome" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stripe_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "town_invoices" (
	"town_id" integer NOT NULL,
	"stripe_invoice_id" text NOT NULL,
	"stripe_subscription_id" text,
	"status" text NOT NULL,
	"amount_due_cents" integer NOT NULL,
	"amount_paid_cents" integer NOT NULL,
	"currency" text NOT NULL,
	"paid_at" timestamp with time zone,
	"last_payment_failed_at" timestamp with time zone,
	"hosted_invoice_url" text,
	"stripe_state_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "town_invoices_town_id_stripe_invoice_id_pk" PRIMARY KEY("town_id","stripe_invoice_id")
);
--> statement-breakpoint
ALTER TABLE "town_invoices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "town_subscriptions" (
	"town_id" integer NOT NULL,
	"id" uuid NOT NULL,
	"source" text NOT NULL,
	"status" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"stripe_subscription_id" text,
	"stripe_state_at" timestamp with time zone,
	"purchase_order_number" text,
	"amount_cents" integer,
	"recorded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "town_subscriptions_town_id_id_pk" PRIMARY KEY("town_id","id")
);
--> statement-breakpoint
ALTER TABLE "town_subscriptions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "towns" ADD COLUMN "stripe_customer_id" text;--> statement-breakpoint
ALTER TABLE "lifecycle_notices" ADD CONSTRAINT "lifecycle_notices_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_invoices" ADD CONSTRAINT "town_invoices_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_subscriptions" ADD CONSTRAINT "town_subscriptions_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "town_subscriptions" ADD CONSTRAINT "town_subscriptions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "town_invoices_stripe_key" ON "town_invoices" USING btree ("stripe_invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "town_subscriptions_stripe_key" ON "town_subscriptions" USING btree ("stripe_subscription_id");--> statement-breakpoint
CREATE UNIQUE INDEX "towns_stripe_customer_key" ON "towns" USING btree ("stripe_customer_id");--> statement-breakpoint
CREATE POLICY "towns_billing_update" ON "towns" AS PERMISSIVE FOR UPDATE TO "app_billing" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "lifecycle_notices" AS PERMISSIVE FOR ALL TO "app_town" USING ("lifecycle_notices"."town_id" = (select app.current_town_id())) WITH CHECK ("lifecycle_notices"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "lifecycle_notices" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
CREATE POLICY "billing_all" ON "lifecycle_notices" AS PERMISSIVE FOR ALL TO "app_billing" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "billing_all" ON "stripe_events" AS PERMISSIVE FOR ALL TO "app_billing" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "town_invoices" AS PERMISSIVE FOR ALL TO "app_town" USING ("town_invoices"."town_id" = (select app.current_town_id())) WITH CHECK ("town_invoices"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "town_invoices" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
CREATE POLICY "billing_all" ON "town_invoices" AS PERMISSIVE FOR ALL TO "app_billing" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "town_isolation" ON "town_subscriptions" AS PERMISSIVE FOR ALL TO "app_town" USING ("town_subscriptions"."town_id" = (select app.current_town_id())) WITH CHECK ("town_subscriptions"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "town_subscriptions" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
CREATE POLICY "billing_all" ON "town_subscriptions" AS PERMISSIVE FOR ALL TO "app_billing" USING (true) WITH CHECK (true);--> statement-breakpoint
CREATE POLICY "program_purchase_orders" ON "town_subscriptions" AS PERMISSIVE FOR ALL TO "app_program" USING ("town_subscriptions"."source" = 'purchase_order') WITH CHECK ("town_subscriptions"."source" = 'purchase_order');