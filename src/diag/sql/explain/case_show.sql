SELECT /* wfctl:case_show */ w.*, e.name AS exec_path, e.status, e.step, e.pend_workbasket, e.unit_response_type
FROM workflow_info w
LEFT JOIN exec_path e ON e.workflow_info_hibid = w.hibid
WHERE w.case_id = $1
ORDER BY e.name
