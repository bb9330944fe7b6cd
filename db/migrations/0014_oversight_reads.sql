CREATE TABLE "oversight_reads" (
	"id" uuid PRIMARY KEY NOT NULL,
	"state_staff_user_id" uuid NOT NULL,
	"what" text NOT NULL,
	"town_ids" integer[] NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "oversight_reads" ADD CONSTRAINT "oversight_reads_state_staff_user_id_users_id_fk" FOREIGN KEY ("state_staff_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oversight_reads_user_read_at_idx" ON "oversight_reads" USING btree ("state_staff_user_id","read_at" DESC NULLS LAST);