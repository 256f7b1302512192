-- What every check needs to know about the server and the role, in one round trip.
-- Works for any role: pg_has_role on a default role is false (not an error) without it.
SELECT current_setting('server_version_num')::int AS version_num,
       current_setting('server_version') AS version,
       current_database()::text AS database,
       current_user::text AS role,
       coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS read_all_stats,
       pg_has_role(current_user, 'pg_monitor', 'USAGE') AS monitor,
       pg_has_role(current_user, 'pg_signal_backend', 'USAGE') AS signal_backend,
       pg_is_in_recovery() AS in_recovery,
       pg_postmaster_start_time() AS server_started,
       (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()) AS stats_reset,
       now() AS now,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS reserved_connections,
       -- a managed service (no superuser, no ALTER SYSTEM, no server files), told by the
       -- settings its provider adds: listed in pg_settings, or (when they are only
       -- placeholders of an unloaded module) answered by current_setting
       (SELECT CASE split_part(n, '.', 1)
                 WHEN 'rds' THEN 'Amazon RDS / Aurora'
                 WHEN 'azure' THEN 'Azure Database for PostgreSQL'
                 WHEN 'cloudsql' THEN 'Google Cloud SQL'
                 WHEN 'alloydb' THEN 'Google AlloyDB'
                 WHEN 'neon' THEN 'Neon'
               END
        FROM (SELECT name AS n FROM pg_settings
              WHERE split_part(name, '.', 1) IN ('rds', 'azure', 'cloudsql', 'alloydb', 'neon')
              UNION ALL
              SELECT n FROM unnest(ARRAY['rds.extensions', 'rds.force_ssl', 'azure.extensions',
                                         'cloudsql.iam_authentication',
                                         'alloydb.iam_authentication', 'neon.tenant_id']) n
              WHERE current_setting(n, true) IS NOT NULL) s
        ORDER BY n LIMIT 1) AS managed
