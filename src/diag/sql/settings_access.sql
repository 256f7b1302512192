-- Whether the role may read the server's /proc files (pg_read_file needs EXECUTE, and paths
-- outside the data directory need superuser or pg_read_server_files), and whether the
-- connection is local: inet_server_addr() is NULL on a Unix socket.
SELECT /* wfctl:diag_settings_access */ current_user::text AS role_name,
       has_function_privilege('pg_read_file(text, bigint, bigint, boolean)', 'EXECUTE')
       AND (r.rolsuper OR pg_has_role('pg_read_server_files', 'USAGE')) AS can_read_files,
       coalesce(host(inet_server_addr()) IN ('127.0.0.1', '::1'), true) AS local
FROM pg_roles r
WHERE r.rolname = current_user
