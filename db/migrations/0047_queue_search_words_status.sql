-- Each word carries its request's status (docs/decisions/0027, addendum): a search of open requests
-- then reads only the open requests' words (the partial index below), and the queue counts a search's
-- statuses from the words alone. The words are written again rather than updated in place (ten
-- million rows on the benchmark database): the table is emptied, its keys are dropped, the rows are
-- inserted town by town and the keys built once at the end.
ALTER TABLE "request_search_words" DROP CONSTRAINT "request_search_words_request_fk";
--> statement-breakpoint
ALTER TABLE "request_search_words" DROP CONSTRAINT "request_search_words_town_id_word_request_id_pk";
--> statement-breakpoint
DROP INDEX "request_search_words_request_idx";
--> statement-breakpoint
TRUNCATE "request_search_words";
--> statement-breakpoint
ALTER TABLE "request_search_words" ADD COLUMN "status" text NOT NULL;
--> statement-breakpoint
-- As in migration 0044, plus the status: new words take their request's status, and a status change
-- that leaves the searched fields alone moves the request's words to the new status.
CREATE OR REPLACE FUNCTION request_search_words_follow() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM request_search_words w USING new_rows n JOIN old_rows o ON o.town_id = n.town_id AND o.id = n.id
     WHERE w.town_id = n.town_id AND w.request_id = n.id AND (n.description, n.address, n.category_id) IS DISTINCT FROM (o.description, o.address, o.category_id);
    INSERT INTO request_search_words (town_id, word, request_id, status)
    SELECT n.town_id, words.word, n.id, n.status
      FROM new_rows n JOIN old_rows o ON o.town_id = n.town_id AND o.id = n.id
      CROSS JOIN LATERAL request_search_words_of(n.description, n.address, (SELECT name FROM categories k WHERE k.town_id = n.town_id AND k.id = n.category_id)) words(word)
     WHERE (n.description, n.address, n.category_id) IS DISTINCT FROM (o.description, o.address, o.category_id);
    UPDATE request_search_words w SET status = n.status
      FROM new_rows n JOIN old_rows o ON o.town_id = n.town_id AND o.id = n.id
     WHERE w.town_id = n.town_id AND w.request_id = n.id AND n.status IS DISTINCT FROM o.status
       AND (n.description, n.address, n.category_id) IS NOT DISTINCT FROM (o.description, o.address, o.category_id);
  ELSE
    INSERT INTO request_search_words (town_id, word, request_id, status)
    SELECT n.town_id, words.word, n.id, n.status
      FROM new_rows n
      CROSS JOIN LATERAL request_search_words_of(n.description, n.address, (SELECT name FROM categories k WHERE k.town_id = n.town_id AND k.id = n.category_id)) words(word);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION request_search_words_category_renamed() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  DELETE FROM request_search_words w USING service_requests r
   WHERE r.town_id = NEW.town_id AND r.category_id = NEW.id AND w.town_id = r.town_id AND w.request_id = r.id;
  INSERT INTO request_search_words (town_id, word, request_id, status)
  SELECT r.town_id, words.word, r.id, r.status
    FROM service_requests r CROSS JOIN LATERAL request_search_words_of(r.description, r.address, NEW.name) words(word)
   WHERE r.town_id = NEW.town_id AND r.category_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Town by town under app_town, as in migration 0044 (RLS is forced).
DO $$
DECLARE
  town integer;
BEGIN
  FOREACH town IN ARRAY (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM towns) LOOP
    PERFORM set_config('role', 'app_town', true), set_config('app.town_id', town::text, true);
    INSERT INTO request_search_words (town_id, word, request_id, status)
    SELECT r.town_id, words.word, r.id, r.status
      FROM service_requests r
      CROSS JOIN LATERAL request_search_words_of(r.description, r.address, (SELECT name FROM categories k WHERE k.town_id = r.town_id AND k.id = r.category_id)) words(word)
     WHERE r.town_id = town;
  END LOOP;
  PERFORM set_config('role', 'none', true), set_config('app.town_id', '', true);
END
$$;
--> statement-breakpoint
-- Both word indexes carry the status (drizzle cannot say INCLUDE), so counting a search's statuses
-- is an index-only scan; without it the planner prefers the key to the far smaller open index.
ALTER TABLE "request_search_words" ADD CONSTRAINT "request_search_words_town_id_word_request_id_pk" PRIMARY KEY ("town_id", "word", "request_id") INCLUDE ("status");
--> statement-breakpoint
CREATE INDEX "request_search_words_request_idx" ON "request_search_words" USING btree ("town_id","request_id");
--> statement-breakpoint
CREATE INDEX "request_search_words_open_idx" ON "request_search_words" USING btree ("town_id","word","request_id") INCLUDE ("status") WHERE status in ('submitted', 'acknowledged', 'in_progress');
--> statement-breakpoint
ALTER TABLE "request_search_words" ADD CONSTRAINT "request_search_words_request_fk" FOREIGN KEY ("town_id","request_id") REFERENCES "public"."service_requests"("town_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The trigger moves words to their request's new status as the changer (app_town); nothing else changes.
GRANT UPDATE (status) ON request_search_words TO app_town;
