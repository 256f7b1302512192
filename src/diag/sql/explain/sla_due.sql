SELECT /* wfctl:sla_due */ id, case_id, name, work_basket_name, target_ts, action
FROM milestone
WHERE status = 'enqueued' AND target_ts < $1
ORDER BY target_ts
LIMIT 100
