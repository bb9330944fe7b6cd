-- Town-scoped like every other town table: the owner is held to the policies too.
ALTER TABLE "request_search_words" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "saved_queue_views" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A view is saved, listed, opened and deleted; renaming is saving again under the new name.
GRANT SELECT, INSERT, DELETE ON saved_queue_views TO app_town;
--> statement-breakpoint
-- Written by the triggers below, which run as whoever changes a request or a category (app_town).
GRANT SELECT, INSERT, DELETE ON request_search_words TO app_town;
--> statement-breakpoint
-- The words of a request as the staff queue searches them: lower case, split at anything that is not
-- a letter or a digit (app/modules/staff/queue.server.ts splits the query the same way), at most 40
-- characters each. The one definition the triggers and the backfill share.
CREATE FUNCTION request_search_words_of(description text, address text, category_name text)
  RETURNS SETOF text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT DISTINCT left(w, 40) COLLATE "C"
    FROM regexp_split_to_table(lower(coalesce(description, '') || ' ' || coalesce(address, '') || ' ' || coalesce(category_name, '')), '[^[:alnum:]]+') w
   WHERE w <> ''
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION request_search_words_of(text, text, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION request_search_words_of(text, text, text) TO app_town;
--> statement-breakpoint
-- Statement-level with transition tables, like the rollup's trigger: the large-data generator's
-- 50,000-row inserts cost one statement. An update that changes none of the searched fields (every
-- status change, note and assignment) writes nothing. Deleting a request deletes its words by the
-- foreign key's cascade. SECURITY INVOKER: it writes as the changer, under the town's policy.
CREATE FUNCTION request_search_words_follow() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM request_search_words w USING new_rows n JOIN old_rows o ON o.town_id = n.town_id AND o.id = n.id
     WHERE w.town_id = n.town_id AND w.request_id = n.id AND (n.description, n.address, n.category_id) IS DISTINCT FROM (o.description, o.address, o.category_id);
    INSERT INTO request_search_words (town_id, word, request_id)
    SELECT n.town_id, words.word, n.id
      FROM new_rows n JOIN old_rows o ON o.town_id = n.town_id AND o.id = n.id
      CROSS JOIN LATERAL request_search_words_of(n.description, n.address, (SELECT name FROM categories k WHERE k.town_id = n.town_id AND k.id = n.category_id)) words(word)
     WHERE (n.description, n.address, n.category_id) IS DISTINCT FROM (o.description, o.address, o.category_id);
  ELSE
    INSERT INTO request_search_words (town_id, word, request_id)
    SELECT n.town_id, words.word, n.id
      FROM new_rows n
      CROSS JOIN LATERAL request_search_words_of(n.description, n.address, (SELECT name FROM categories k WHERE k.town_id = n.town_id AND k.id = n.category_id)) words(word);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION request_search_words_follow() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER request_search_words_on_insert AFTER INSERT ON service_requests REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION request_search_words_follow();
--> statement-breakpoint
CREATE TRIGGER request_search_words_on_update AFTER UPDATE ON service_requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION request_search_words_follow();
--> statement-breakpoint
-- A renamed category: its requests are found by the new name, no longer by the old one.
CREATE FUNCTION request_search_words_category_renamed() RETURNS trigger LANGUAGE plpgsql SECURITY INVOKER AS $$
BEGIN
  DELETE FROM request_search_words w USING service_requests r
   WHERE r.town_id = NEW.town_id AND r.category_id = NEW.id AND w.town_id = r.town_id AND w.request_id = r.id;
  INSERT INTO request_search_words (town_id, word, request_id)
  SELECT r.town_id, words.word, r.id
    FROM service_requests r CROSS JOIN LATERAL request_search_words_of(r.description, r.address, NEW.name) words(word)
   WHERE r.town_id = NEW.town_id AND r.category_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION request_search_words_category_renamed() FROM PUBLIC;
--> statement-breakpoint
CREATE TRIGGER request_search_words_on_category_rename AFTER UPDATE OF name ON categories FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION request_search_words_category_renamed();
--> statement-breakpoint
-- The requests already filed, town by town under app_town as the app writes them (RLS is forced, so
-- an owner that is not a superuser would see none); the triggers above already hold the table.
DO $$
DECLARE
  town integer;
BEGIN
  FOREACH town IN ARRAY (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM towns) LOOP
    PERFORM set_config('role', 'app_town', true), set_config('app.town_id', town::text, true);
    INSERT INTO request_search_words (town_id, word, request_id)
    SELECT r.town_id, words.word, r.id
      FROM service_requests r
      CROSS JOIN LATERAL request_search_words_of(r.description, r.address, (SELECT name FROM categories k WHERE k.town_id = r.town_id AND k.id = r.category_id)) words(word)
     WHERE r.town_id = town;
  END LOOP;
  PERFORM set_config('role', 'none', true), set_config('app.town_id', '', true);
END
$$;
