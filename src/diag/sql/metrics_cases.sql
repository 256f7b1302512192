-- Cases by state (conventions: completed = is_complete; pended = pend_exec_path set; running =
-- neither).
SELECT /* wfctl:metrics_cases */ count(*) AS started,
       count(*) FILTER (WHERE is_complete) AS completed,
       count(*) FILTER (WHERE is_complete = false AND coalesce(pend_exec_path, '') = '') AS running,
       count(*) FILTER (WHERE is_complete = false AND pend_exec_path <> '') AS pended
FROM workflow_info
