SELECT /* wfctl:sla_due */ to_jsonb(m) AS row FROM milestone m
WHERE status = 'enqueued' AND target_ts <= $1 ORDER BY target_ts, id
