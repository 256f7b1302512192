-- Where pg_stat_statements is installed (any schema), or which version could be.
SELECT n.nspname::text AS schema, e.extversion::text AS version,
       (SELECT default_version::text FROM pg_available_extensions
         WHERE name = 'pg_stat_statements') AS available
FROM (SELECT 1) one
LEFT JOIN pg_extension e ON e.extname = 'pg_stat_statements'
LEFT JOIN pg_namespace n ON n.oid = e.extnamespace
