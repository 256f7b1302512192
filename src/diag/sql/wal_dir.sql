-- WAL segment files in pg_wal: they pile up when archiving fails.
SELECT /* wfctl:diag_wal_dir */ count(*)::int8 AS files, coalesce(sum(size), 0)::int8 AS bytes
FROM pg_ls_waldir()
WHERE name ~ '^[0-9A-F]{24}$'
