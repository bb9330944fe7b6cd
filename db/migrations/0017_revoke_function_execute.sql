-- A new function is executable by PUBLIC. The towns trigger's function is for the trigger alone
-- (a trigger fires whatever its caller may execute); tests/rls.test.ts audits every function of ours.
REVOKE EXECUTE ON FUNCTION notify_towns_changed() FROM PUBLIC;
