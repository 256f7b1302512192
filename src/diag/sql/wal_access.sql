-- What the role may see: pg_control_checkpoint() is public by default but revoked on some
-- managed services; pg_ls_waldir() and pg_ls_archive_statusdir() (PG12+) need superuser or
-- pg_monitor.
SELECT /* wfctl:diag_wal_access */ current_user::text AS role_name,
       current_setting('server_version_num')::int AS version_num,
       has_function_privilege('pg_control_checkpoint()', 'EXECUTE') AS control,
       has_function_privilege('pg_ls_waldir()', 'EXECUTE') AS waldir,
       CASE WHEN current_setting('server_version_num')::int >= 120000
            THEN has_function_privilege('pg_ls_archive_statusdir()', 'EXECUTE')
            ELSE false END AS statusdir
