-- Segments complete and waiting for archive_command; a .ready file appears when a segment is.
SELECT /* wfctl:diag_wal_ready */ count(*)::int8 AS ready, min(modification) AS oldest
FROM pg_ls_archive_statusdir()
WHERE name LIKE '%.ready'
