-- PostgreSQL 14+: WAL written since the statistics were reset.
SELECT /* wfctl:diag_wal_stat */ wal_records, wal_fpi, wal_bytes::int8 AS wal_bytes, stats_reset
FROM pg_stat_wal
