-- The distribution of completed_ts - started_ts that ANALYZE keeps for the wfctl_case_duration
-- statistics object (PostgreSQL 14+): NULL for cases not completed. No row before the first
-- ANALYZE after the object was created, or when the role may not see it.
SELECT /* wfctl:metrics_execution_estimate */ e.null_frac::float8 AS null_frac,
       coalesce(e.most_common_vals::text::float8[], '{}') AS common_values,
       coalesce(e.most_common_freqs::float8[], '{}') AS common_freqs,
       coalesce(e.histogram_bounds::text::float8[], '{}') AS bounds
FROM pg_stats_ext_exprs e
WHERE e.statistics_name = 'wfctl_case_duration' AND e.tablename = 'workflow_info'
  AND e.schemaname = current_schema()
LIMIT 1
