SELECT /* wfctl:case_history */ sequence, step_name, ts
FROM audit_log
WHERE case_id = $1
ORDER BY sequence
