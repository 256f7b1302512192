-- The named settings as the server runs them. Rows the role may not see (superuser-only
-- settings such as shared_preload_libraries, without pg_read_all_settings) are simply absent;
-- sourcefile (which tells ALTER SYSTEM's postgresql.auto.conf apart) is NULL for them too.
SELECT /* wfctl:diag_settings */ name, setting, unit, source, sourcefile, context, vartype, pending_restart
FROM pg_settings
WHERE name = ANY($1)
