-- PostgreSQL 17+: the counters moved to pg_stat_checkpointer.
SELECT /* wfctl:diag_wal_checkpoints */ num_timed AS timed, num_requested AS requested, stats_reset
FROM pg_stat_checkpointer
