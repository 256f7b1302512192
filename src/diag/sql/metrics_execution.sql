-- Completed cases by execution time (completed_ts - started_ts, ms): bucket k counts the cases
-- below bound k ($1, each bucket's upper bound in ms + 1, ascending), k = array length: above all.
SELECT /* wfctl:metrics_execution_time */ width_bucket(completed_ts - started_ts, $1::bigint[]) AS bucket,
       count(*) AS cases,
       coalesce(sum(completed_ts - started_ts), 0)::float8 AS sum_ms
FROM workflow_info
WHERE is_complete AND completed_ts IS NOT NULL AND started_ts IS NOT NULL
  AND completed_ts >= started_ts
GROUP BY 1
