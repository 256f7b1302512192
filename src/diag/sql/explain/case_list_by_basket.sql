SELECT /* wfctl:case_list */ w.case_id, w.journey_name, w.ts, e.pend_workbasket, e.step
FROM workflow_info w
JOIN exec_path e ON e.workflow_info_hibid = w.hibid AND e.name = w.pend_exec_path
WHERE e.pend_workbasket = $1 AND w.is_complete = false
ORDER BY w.ts
LIMIT 100
