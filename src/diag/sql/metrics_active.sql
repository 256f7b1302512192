-- Exact counts of what is not history, each read from a partial index of incomplete cases
-- (idx_wf_info_ts_incomplete, idx_wf_info_running) without visiting the table: the cost
-- follows the active cases, not the completed ones. Same states as metrics_cases.sql
-- (pended = active - running).
SELECT /* wfctl:metrics_active */ (SELECT count(*) FROM workflow_info WHERE is_complete = FALSE) AS active,
       (SELECT count(*) FROM workflow_info
        WHERE is_complete = FALSE AND coalesce(pend_exec_path, '') = '') AS running
