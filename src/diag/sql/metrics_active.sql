-- Counts of what is not history, each read from a partial index of incomplete cases
-- (idx_wf_info_ts_incomplete, idx_wf_info_running) without visiting the table, and at most $1
-- entries of each: a count that reaches $1 is replaced by the caller with the estimate beside
-- it, so the cost stays flat however many cases are active. The estimates: the partial index's
-- entries as the last VACUUM or ANALYZE counted them, scaled by the growth of workflow_info
-- since ($2: its rows now, as metrics_estimates.sql reads them); NULL without the index or
-- before its first count. Same states as metrics_cases.sql (pended = active - running).
SELECT /* wfctl:metrics_active */ (SELECT count(*) FROM (SELECT 1 FROM workflow_info WHERE is_complete = FALSE LIMIT $1) a) AS active,
       (SELECT count(*) FROM (SELECT 1 FROM workflow_info
                              WHERE is_complete = FALSE AND coalesce(pend_exec_path, '') = '' LIMIT $1) r) AS running,
       (SELECT i.reltuples * $2 / nullif(t.reltuples, 0) FROM pg_class i, pg_class t
        WHERE i.oid = to_regclass('idx_wf_info_ts_incomplete') AND i.reltuples >= 0
          AND t.oid = to_regclass('workflow_info') AND t.reltuples > 0)::float8 AS active_estimate,
       (SELECT i.reltuples * $2 / nullif(t.reltuples, 0) FROM pg_class i, pg_class t
        WHERE i.oid = to_regclass('idx_wf_info_running') AND i.reltuples >= 0
          AND t.oid = to_regclass('workflow_info') AND t.reltuples > 0)::float8 AS running_estimate
