SELECT /* wfctl:audit_seq */ COALESCE((SELECT value FROM workflow_counters WHERE name = $1), 0) AS last_seq
