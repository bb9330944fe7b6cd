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
