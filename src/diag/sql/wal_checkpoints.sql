-- PostgreSQL 16 and older: timed checkpoints vs requested ones (max_wal_size reached,
-- CHECKPOINT, base backups, CREATE DATABASE).
SELECT /* wfctl:diag_wal_checkpoints */ checkpoints_timed AS timed, checkpoints_req AS requested, stats_reset
FROM pg_stat_bgwriter
