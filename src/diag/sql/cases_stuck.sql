-- Cases stuck running: not complete, left mid-run, not written since $1 (epoch ms), and not
-- holding their wfctl case lock (an advisory lock, released when the process dies): their
-- process crashed and they need a resume. $2 = how many to list.
WITH /* wfctl:diag_stuck_cases */ locked AS (
  SELECT (l.classid::bigint << 32) | l.objid::bigint AS key
  FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
), stuck AS (
  SELECT w.case_id, w.journey_name, w.last_executed_step, w.ts
  FROM workflow_info w
  WHERE w.is_complete = false AND w.ts < $1
    -- left mid-run: running, or pended on a branch recovery parked (CaseSummary::left_mid_run)
    AND (coalesce(w.pend_exec_path, '') = '' OR EXISTS (
      SELECT 1 FROM exec_path e WHERE e.workflow_info_hibid = w.hibid
        AND e.name = w.pend_exec_path AND e.pend_workbasket = 'workflow_temp_hold'))
    AND wfctl_case_lock_key(w.case_id) NOT IN (SELECT key FROM locked)
)
SELECT case_id::text AS case_id,
       coalesce(journey_name, '')::text AS journey,
       coalesce(last_executed_step, '')::text AS last_step,
       ((extract(epoch FROM now()) * 1000 - ts) / 1000)::float8 AS idle_seconds,
       count(*) OVER () AS total
FROM stuck
ORDER BY ts
LIMIT $2
