CREATE TABLE "program_categories" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"default_target_days" integer NOT NULL,
	"default_questions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sort_order" integer NOT NULL
);
--> statement-breakpoint
-- The program list as this migration was written, so that existing categories can be mapped
-- before the column becomes NOT NULL. From here on `npm run tenants:sync` keeps the table in step
-- with tenants/_program/categories.json (and adds the default questions).
INSERT INTO "program_categories" ("code", "name", "description", "default_target_days", "sort_order") VALUES
  ('pothole', 'Pothole', 'A hole or broken patch in the road surface.', 5, 0),
  ('streetlight', 'Streetlight', 'A streetlight that is out, flickering, on during the day, or damaged.', 10, 1),
  ('traffic-signal', 'Traffic signal', 'A traffic light or pedestrian signal that is dark, stuck, flashing or damaged.', 2, 2),
  ('signs', 'Signs', 'A street name, stop or other traffic or parking sign that is missing, down, turned or unreadable.', 5, 3),
  ('sidewalk', 'Sidewalk', 'Cracked, heaved or missing sidewalk, or a broken curb or curb ramp.', 20, 4),
  ('snow-ice', 'Snow & ice', 'A street not plowed, or a sidewalk, curb ramp or crosswalk not cleared or treated after a storm.', 2, 5),
  ('trash-recycling', 'Trash & recycling', 'Trash, recycling or yard waste not collected on the scheduled day, or a damaged town-issued cart.', 2, 6),
  ('illegal-dumping', 'Illegal dumping', 'Furniture, trash, tires or other items dumped on a street, sidewalk, park or vacant lot.', 5, 7),
  ('graffiti', 'Graffiti', 'Graffiti on public property such as buildings, walls, signs, signal boxes or bridges.', 10, 8),
  ('trees', 'Trees', 'A fallen, dead or leaning public tree, or branches blocking a street, sidewalk or sign.', 10, 9),
  ('parks', 'Parks & playgrounds', 'Broken equipment, litter, overflowing barrels or other problems in a park, playground or field.', 10, 10),
  ('water-sewer', 'Water, sewer & drainage', 'A clogged catch basin, street flooding, a water leak, a sewer odor or backup, or a missing grate or cover.', 5, 11),
  ('rodents', 'Rodents', 'Rats or signs of rats on public property or coming from a neighboring property.', 10, 12),
  ('noise', 'Noise', 'Ongoing non-emergency noise such as construction outside permitted hours, alarms, or a business.', 2, 13),
  ('parking', 'Parking', 'A vehicle blocking a driveway, hydrant, crosswalk, sidewalk or accessible space, or parked where signs do not allow it.', 1, 14),
  ('abandoned-vehicle', 'Abandoned vehicle', 'A vehicle left on a public street for several days that appears abandoned.', 10, 15),
  ('other', 'Other', 'Any other non-emergency problem with town streets, property or services.', 10, 16);
--> statement-breakpoint
ALTER TABLE "categories" ADD COLUMN "program_category" text;
--> statement-breakpoint
-- categories forces row-level security, so even its owner sees no rows without a town set; the
-- backfill lifts that for its own statement (the migrator runs every migration in one transaction).
ALTER TABLE "categories" NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- By code where a town kept a program code; the default town categories whose codes differ
-- (tenants/_defaults/categories.json) by their known counterparts; anything else is 'other', and
-- its town admin can map it on the category's page.
UPDATE "categories" SET "program_category" = CASE
  WHEN "code" IN (SELECT "code" FROM "program_categories") THEN "code"
  WHEN "code" = 'damaged-sidewalk' THEN 'sidewalk'
  WHEN "code" = 'street-sign' THEN 'signs'
  WHEN "code" = 'missed-trash-pickup' THEN 'trash-recycling'
  WHEN "code" = 'tree' THEN 'trees'
  WHEN "code" = 'illegal-parking' THEN 'parking'
  ELSE 'other'
END;
--> statement-breakpoint
ALTER TABLE "categories" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "categories" ALTER COLUMN "program_category" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "categories" ADD CONSTRAINT "categories_program_category_fk" FOREIGN KEY ("program_category") REFERENCES "public"."program_categories"("code") ON DELETE no action ON UPDATE no action;