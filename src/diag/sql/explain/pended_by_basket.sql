SELECT /* wfctl:pended_by_basket */ e.pend_workbasket, count(*)
FROM workflow_info w
JOIN exec_path e ON e.workflow_info_hibid = w.hibid AND e.name = w.pend_exec_path
WHERE w.is_complete = false AND w.pend_exec_path <> ''
GROUP BY 1
