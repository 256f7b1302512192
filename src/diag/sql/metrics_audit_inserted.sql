-- Audit rows inserted since the statistics reset (a counter for rate()).
SELECT /* wfctl:metrics_audit_inserted */ coalesce((SELECT n_tup_ins FROM pg_stat_user_tables
                 WHERE relid = to_regclass('audit_log')), 0)::bigint AS inserted
