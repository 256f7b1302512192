-- The key of a wfctl case lock, a session advisory lock, in one place: the store takes and
-- releases it, migrate-files skips a case whose lock is held, and diag finds the case behind a
-- lock. Other tools may take the same lock with the expression itself; it must not change.
-- IMMUTABLE and plain SQL, so the planner inlines it.
CREATE OR REPLACE FUNCTION wfctl_case_lock_key(case_id text) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT hashtextextended('wfctl-case:' || case_id, 0) $$;
