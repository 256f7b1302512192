/* wfctl:metrics_audit */
-- Audit rows: inserted since the statistics reset (a counter for rate()), and written in the
-- last minute (by ts, over the newest 100,000 rows by id: a bounded read).
SELECT coalesce((SELECT n_tup_ins FROM pg_stat_user_tables
                 WHERE relid = to_regclass('audit_log')), 0)::bigint AS inserted,
       (SELECT count(*) FROM (SELECT ts FROM audit_log ORDER BY id DESC LIMIT 100000) r
        WHERE r.ts >= (extract(epoch FROM now()) * 1000)::bigint - 60000) AS last_minute
