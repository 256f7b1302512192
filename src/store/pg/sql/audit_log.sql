SELECT /* wfctl:audit_log */ to_jsonb(a) AS row FROM audit_log a WHERE case_id = $1 ORDER BY sequence
