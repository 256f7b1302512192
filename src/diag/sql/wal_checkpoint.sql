-- The last checkpoint: WAL written since its redo point is what the next checkpoint must cover.
SELECT /* wfctl:diag_wal_checkpoint */ pg_wal_lsn_diff(redo_lsn, '0/0')::int8 AS redo_lsn, checkpoint_time
FROM pg_control_checkpoint()
