SELECT /* wfctl:case_list_stuck */ case_id, journey_name, last_executed_step, ts
FROM workflow_info
WHERE is_complete = false AND coalesce(pend_exec_path, '') = '' AND ts < $1
ORDER BY ts
LIMIT 100
