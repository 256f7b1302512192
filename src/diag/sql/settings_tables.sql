-- Churn and autovacuum state of the hot workflow tables, with their per-table options.
SELECT /* wfctl:diag_settings_tables */ c.relname::text AS table_name,
       s.n_live_tup AS live_rows,
       s.n_dead_tup AS dead_rows,
       s.n_tup_upd AS updates,
       s.n_tup_del AS deletes,
       s.last_autovacuum,
       s.autovacuum_count,
       coalesce(c.reloptions, '{}') AS options,
       d.stats_reset AS stats_since
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_stat_user_tables s ON s.relid = c.oid
LEFT JOIN pg_stat_database d ON d.datname = current_database()
WHERE n.nspname = current_schema()
  AND c.relname = ANY($1)
ORDER BY array_position($1, c.relname::text)
