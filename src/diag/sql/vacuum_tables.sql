-- Dead rows, last (auto)vacuum and analyze, and where autovacuum will next start, per table.
SELECT s.schemaname::text AS schema_name,
       s.relname::text AS table_name,
       coalesce(s.n_live_tup, 0) AS live_rows,
       coalesce(s.n_dead_tup, 0) AS dead_rows,
       coalesce(s.n_mod_since_analyze, 0) AS changed_since_analyze,
       greatest(s.last_vacuum, s.last_autovacuum) AS last_vacuum,
       greatest(s.last_analyze, s.last_autoanalyze) AS last_analyze,
       (coalesce(s.vacuum_count, 0) + coalesce(s.autovacuum_count, 0)) AS vacuums,
       age(c.relfrozenxid)::bigint AS xid_age,
       (coalesce((SELECT option_value FROM pg_options_to_table(c.reloptions)
                  WHERE option_name = 'autovacuum_vacuum_threshold'),
                 current_setting('autovacuum_vacuum_threshold'))::float8
        + coalesce((SELECT option_value FROM pg_options_to_table(c.reloptions)
                    WHERE option_name = 'autovacuum_vacuum_scale_factor'),
                   current_setting('autovacuum_vacuum_scale_factor'))::float8
          * greatest(c.reltuples, 0))::float8 AS autovacuum_at,
       coalesce((SELECT option_value FROM pg_options_to_table(c.reloptions)
                 WHERE option_name = 'autovacuum_enabled'), 'on') NOT IN ('off', 'false', '0')
         AND current_setting('autovacuum') = 'on' AS autovacuum_on
FROM pg_stat_user_tables s
JOIN pg_class c ON c.oid = s.relid
ORDER BY coalesce(s.n_dead_tup, 0) DESC, 1, 2
