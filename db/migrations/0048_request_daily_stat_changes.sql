CREATE TABLE "request_daily_stat_changes" (
	"town_id" integer NOT NULL,
	"day" date NOT NULL,
	"category_id" uuid NOT NULL,
	"measure" text NOT NULL,
	"value" integer NOT NULL,
	"n" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "request_daily_stat_changes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "request_daily_stat_changes" ADD CONSTRAINT "request_daily_stat_changes_town_id_towns_id_fk" FOREIGN KEY ("town_id") REFERENCES "public"."towns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_daily_stat_changes_town_idx" ON "request_daily_stat_changes" USING btree ("town_id");--> statement-breakpoint
CREATE POLICY "town_isolation" ON "request_daily_stat_changes" AS PERMISSIVE FOR ALL TO "app_town" USING ("request_daily_stat_changes"."town_id" = (select app.current_town_id())) WITH CHECK ("request_daily_stat_changes"."town_id" = (select app.current_town_id()));--> statement-breakpoint
CREATE POLICY "state_read" ON "request_daily_stat_changes" AS PERMISSIVE FOR SELECT TO "app_state" USING (true);--> statement-breakpoint
ALTER TABLE "request_daily_stat_changes" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The trigger runs as the changer (app_town): it appends a town's changes and moves them into the
-- rollup. Oversight reads both tables together.
GRANT SELECT, INSERT, DELETE ON request_daily_stat_changes TO app_town;
--> statement-breakpoint
GRANT SELECT ON request_daily_stat_changes TO app_state;
--> statement-breakpoint
-- As in migration 0024, but the change is appended to request_daily_stat_changes, which locks no
-- row another transaction needs: upserting the rollup straight away held the town's rows for the
-- day (its "received", "open" and "unacked" counts) from the request's insert until commit, so the
-- town's filings ran one at a time. Then each town with pending changes has them moved into the
-- rollup, unless another transaction holds that town's advisory lock (17 = decision 0017), i.e. is
-- moving them itself: at most one transaction per town holds the rollup's rows at a time, and none
-- waits for it. Whatever is skipped is moved by the town's next change; readers add the pending
-- changes to the rollup (app/modules/oversight/request-stats.server.ts), so figures stay exact.
CREATE OR REPLACE FUNCTION request_daily_stats_follow() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
DECLARE
  pending_town integer;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE request_daily_stats, request_daily_stat_changes;
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO request_daily_stat_changes (town_id, day, category_id, measure, value, n)
    SELECT r.town_id, m.day, coalesce(r.category_id, '00000000-0000-0000-0000-000000000000'::uuid), m.measure, m.value, count(*)::integer
      FROM new_rows r JOIN towns t ON t.id = r.town_id
      CROSS JOIN LATERAL request_daily_stat_measures(r.status, r.created_at, r.acknowledged_at, r.closed_at, r.due_at, t.timezone) m
     GROUP BY r.town_id, m.day, m.measure, m.value, GROUPING SETS ((r.category_id), ());
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO request_daily_stat_changes (town_id, day, category_id, measure, value, n)
    SELECT r.town_id, m.day, coalesce(r.category_id, '00000000-0000-0000-0000-000000000000'::uuid), m.measure, m.value, sum(r.sign)::integer
      FROM (SELECT town_id, category_id, status, created_at, acknowledged_at, closed_at, due_at, -1 AS sign FROM old_rows
            UNION ALL
            SELECT town_id, category_id, status, created_at, acknowledged_at, closed_at, due_at, 1 FROM new_rows) r
      JOIN towns t ON t.id = r.town_id
      CROSS JOIN LATERAL request_daily_stat_measures(r.status, r.created_at, r.acknowledged_at, r.closed_at, r.due_at, t.timezone) m
     GROUP BY r.town_id, m.day, m.measure, m.value, GROUPING SETS ((r.category_id), ()) HAVING sum(r.sign) <> 0;
  ELSE
    INSERT INTO request_daily_stat_changes (town_id, day, category_id, measure, value, n)
    SELECT r.town_id, m.day, coalesce(r.category_id, '00000000-0000-0000-0000-000000000000'::uuid), m.measure, m.value, -count(*)::integer
      FROM old_rows r JOIN towns t ON t.id = r.town_id
      CROSS JOIN LATERAL request_daily_stat_measures(r.status, r.created_at, r.acknowledged_at, r.closed_at, r.due_at, t.timezone) m
     GROUP BY r.town_id, m.day, m.measure, m.value, GROUPING SETS ((r.category_id), ());
  END IF;
  FOR pending_town IN SELECT DISTINCT c.town_id FROM request_daily_stat_changes c ORDER BY 1 LOOP
    IF pg_try_advisory_xact_lock(17, pending_town) THEN
      -- Netted per key and upserted in key order; rows brought to zero go (through the partial
      -- index of zero rows), so the rollup holds exactly the non-zero counts.
      WITH moved AS (
        DELETE FROM request_daily_stat_changes c WHERE c.town_id = pending_town
        RETURNING c.town_id, c.day, c.category_id, c.measure, c.value, c.n
      )
      INSERT INTO request_daily_stats AS s (town_id, day, category_id, measure, value, n)
      SELECT moved.town_id, moved.day, moved.category_id, moved.measure, moved.value, sum(moved.n)::integer
        FROM moved GROUP BY 1, 2, 3, 4, 5 HAVING sum(moved.n) <> 0 ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (town_id, category_id, day, measure, value) DO UPDATE SET n = s.n + excluded.n;
      DELETE FROM request_daily_stats WHERE n = 0 AND town_id = pending_town;
    END IF;
  END LOOP;
  RETURN NULL;
END
$$;
