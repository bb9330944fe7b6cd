-- The state console's rollup (docs/decisions/0017): town-scoped like every other town table, kept
-- equal to service_requests by a trigger in the same transaction as each change, and backfilled here.
ALTER TABLE "request_daily_stats" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- The primary key carries the counts (drizzle cannot say INCLUDE): reading a town's categories over
-- a range of days is then an index-only scan of it, one range per category.
ALTER TABLE "request_daily_stats" DROP CONSTRAINT "request_daily_stats_town_id_category_id_day_measure_value_pk",
  ADD CONSTRAINT "request_daily_stats_town_id_category_id_day_measure_value_pk" PRIMARY KEY ("town_id", "category_id", "day", "measure", "value") INCLUDE ("n");
--> statement-breakpoint
-- The trigger runs as whoever changes a request (app_town, under its town's policy), so that role
-- writes the rollup; oversight only reads it.
GRANT SELECT, INSERT, UPDATE, DELETE ON request_daily_stats TO app_town;
--> statement-breakpoint
GRANT SELECT ON request_daily_stats TO app_state;
--> statement-breakpoint
-- What one request counts towards: the single definition the trigger, the backfill below and the
-- rebuild (app/modules/oversight/request-stats.server.ts) share; app/modules/oversight/kpi.ts
-- states the same rules in TypeScript and the tests hold the two equal.
-- `day` is the day the request was received, in the town's timezone. A business day is a weekday
-- (Massachusetts holidays are not modelled yet); business days from one day to another are the
-- weekdays after the first, up to and including the second, counted as the difference of each
-- day's weekday number since Monday 1970-01-05.
CREATE FUNCTION request_daily_stat_measures(status text, created_at timestamptz, acknowledged_at timestamptz, closed_at timestamptz, due_at timestamptz, time_zone text)
  RETURNS TABLE (day date, measure text, value integer)
  LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT d.day, m.measure, m.value
  FROM (
    SELECT (created_at AT TIME ZONE time_zone)::date AS day,
           status IN ('submitted', 'acknowledged', 'in_progress') AS open,
           status IN ('fixed', 'not_fixed', 'duplicate', 'referred') AS closed
  ) d
  CROSS JOIN LATERAL (
    SELECT 5 * ((x.received - date '1970-01-05') / 7) + least((x.received - date '1970-01-05') % 7 + 1, 5) AS received,
           5 * ((x.acked - date '1970-01-05') / 7) + least((x.acked - date '1970-01-05') % 7 + 1, 5) AS acked,
           5 * ((x.ended - date '1970-01-05') / 7) + least((x.ended - date '1970-01-05') % 7 + 1, 5) AS ended
    FROM (SELECT d.day AS received, (acknowledged_at AT TIME ZONE time_zone)::date AS acked, (closed_at AT TIME ZONE time_zone)::date AS ended) x
  ) w
  CROSS JOIN LATERAL (VALUES
    ('received', 0, true),
    ('ack_hours', greatest(0, ceil(extract(epoch FROM acknowledged_at - created_at) / 3600))::integer, acknowledged_at IS NOT NULL),
    -- Acknowledged after the second business day; or never acknowledged, and closed or withdrawn after it.
    ('ack_late', 0, coalesce(w.acked - w.received > 2, NOT d.open AND w.ended - w.received > 2, false)),
    ('close_days', greatest(0, w.ended - w.received), d.closed AND closed_at IS NOT NULL),
    ('closed_on_time', 0, coalesce(d.closed AND closed_at <= due_at, false)),
    ('open', 0, d.open),
    ('unacked', 0, d.open AND acknowledged_at IS NULL)
  ) AS m(measure, value, applies)
  WHERE m.applies
$$;
--> statement-breakpoint
-- A new function is executable by PUBLIC; this one only by the role the trigger runs as (it reads
-- nothing, it only computes from its arguments). tests/rls.test.ts lists the grant.
REVOKE EXECUTE ON FUNCTION request_daily_stat_measures(text, timestamptz, timestamptz, timestamptz, timestamptz, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION request_daily_stat_measures(text, timestamptz, timestamptz, timestamptz, timestamptz, text) TO app_town;
--> statement-breakpoint
-- Each change is counted twice: under its category, and under the nil category id for all of the
-- town's categories together (what the console reads by default: a sixth of the rows to scan).
-- Statement-level, with transition tables: a bulk insert (the large-data generator's 50,000 rows)
-- costs one aggregate and one upsert, not one per row. Changes are netted per key, so an update that
-- moves nothing (a note, an assignment) writes nothing; keys are upserted in order, so two
-- transactions touching the same days take their row locks in the same order. SECURITY INVOKER:
-- it writes as the changer, under the changed town's policy.
CREATE FUNCTION request_daily_stats_follow() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    TRUNCATE request_daily_stats;
    RETURN NULL;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO request_daily_stats AS s (town_id, day, category_id, measure, value, n)
    SELECT r.town_id, m.day, coalesce(r.category_id, '00000000-0000-0000-0000-000000000000'::uuid), m.measure, m.value, count(*)::integer
      FROM new_rows r JOIN towns t ON t.id = r.town_id
      CROSS JOIN LATERAL request_daily_stat_measures(r.status, r.created_at, r.acknowledged_at, r.closed_at, r.due_at, t.timezone) m
     GROUP BY r.town_id, m.day, m.measure, m.value, GROUPING SETS ((r.category_id), ()) ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (town_id, category_id, day, measure, value) DO UPDATE SET n = s.n + excluded.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO request_daily_stats AS s (town_id, day, category_id, measure, value, n)
    SELECT r.town_id, m.day, coalesce(r.category_id, '00000000-0000-0000-0000-000000000000'::uuid), m.measure, m.value, sum(r.sign)::integer
      FROM (SELECT town_id, category_id, status, created_at, acknowledged_at, closed_at, due_at, -1 AS sign FROM old_rows
            UNION ALL
            SELECT town_id, category_id, status, created_at, acknowledged_at, closed_at, due_at, 1 FROM new_rows) r
      JOIN towns t ON t.id = r.town_id
      CROSS JOIN LATERAL request_daily_stat_measures(r.status, r.created_at, r.acknowledged_at, r.closed_at, r.due_at, t.timezone) m
     GROUP BY r.town_id, m.day, m.measure, m.value, GROUPING SETS ((r.category_id), ()) HAVING sum(r.sign) <> 0 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (town_id, category_id, day, measure, value) DO UPDATE SET n = s.n + excluded.n;
  ELSE
    INSERT INTO request_daily_stats AS s (town_id, day, category_id, measure, value, n)
    SELECT r.town_id, m.day, coalesce(r.category_id, '00000000-0000-0000-0000-000000000000'::uuid), m.measure, m.value, -count(*)::integer
      FROM old_rows r JOIN towns t ON t.id = r.town_id
      CROSS JOIN LATERAL request_daily_stat_measures(r.status, r.created_at, r.acknowledged_at, r.closed_at, r.due_at, t.timezone) m
     GROUP BY r.town_id, m.day, m.measure, m.value, GROUPING SETS ((r.category_id), ()) ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (town_id, category_id, day, measure, value) DO UPDATE SET n = s.n + excluded.n;
  END IF;
  -- Rows a change brought to zero go, so the rollup holds exactly the non-zero counts (found
  -- through the partial index of zero rows, which is empty between statements).
  DELETE FROM request_daily_stats WHERE n = 0;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION request_daily_stats_follow() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER request_daily_stats_on_insert AFTER INSERT ON service_requests REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION request_daily_stats_follow();
--> statement-breakpoint
CREATE TRIGGER request_daily_stats_on_update AFTER UPDATE ON service_requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION request_daily_stats_follow();
--> statement-breakpoint
CREATE TRIGGER request_daily_stats_on_delete AFTER DELETE ON service_requests REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION request_daily_stats_follow();
--> statement-breakpoint
CREATE TRIGGER request_daily_stats_on_truncate AFTER TRUNCATE ON service_requests FOR EACH STATEMENT EXECUTE FUNCTION request_daily_stats_follow();
--> statement-breakpoint
-- The requests already filed, town by town under app_town as the app writes them: RLS is forced, so
-- an owner that is not a superuser would see no request at all. The trigger above already holds the
-- table (CREATE TRIGGER locks out writers until this migration commits), so nothing slips between.
DO $$
DECLARE
  town integer;
BEGIN
  FOREACH town IN ARRAY (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM towns) LOOP
    PERFORM set_config('role', 'app_town', true), set_config('app.town_id', town::text, true);
    INSERT INTO request_daily_stats (town_id, day, category_id, measure, value, n)
    SELECT r.town_id, m.day, coalesce(r.category_id, '00000000-0000-0000-0000-000000000000'::uuid), m.measure, m.value, count(*)::integer
      FROM service_requests r JOIN towns t ON t.id = r.town_id
      CROSS JOIN LATERAL request_daily_stat_measures(r.status, r.created_at, r.acknowledged_at, r.closed_at, r.due_at, t.timezone) m
     WHERE r.town_id = town
     GROUP BY r.town_id, m.day, m.measure, m.value, GROUPING SETS ((r.category_id), ());
  END LOOP;
  PERFORM set_config('role', 'none', true), set_config('app.town_id', '', true);
END
$$;

--> statement-breakpoint
-- Sign-in writes when it happened (the identity role, starting a session); state oversight reads it
-- for a town's team (docs/decisions/0017). tests/rls.test.ts lists both grants.
GRANT UPDATE (last_signed_in_at) ON users TO app_identity;
--> statement-breakpoint
GRANT SELECT (last_signed_in_at) ON users TO app_state;
--> statement-breakpoint
-- Accounts that signed in before the column existed: a session proves a sign-in, and a session is
-- renewed to 30 days whenever it is used, so its expiry less 30 days is when it was started or last renewed, at or after
-- that sign-in. Close enough to tell "signed in lately" from "never signed in", which is its use.
UPDATE users u SET last_signed_in_at = s.renewed_at
  FROM (SELECT user_id, max(expires_at) - interval '30 days' AS renewed_at FROM sessions GROUP BY user_id) s
 WHERE s.user_id = u.id;
