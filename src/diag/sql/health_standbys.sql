-- On a primary: its standbys and their replay lag (NULL columns without pg_read_all_stats).
SELECT coalesce(application_name, '') AS name,
       coalesce(state, 'hidden') AS state,
       extract(epoch FROM replay_lag)::float8 AS lag_seconds
FROM pg_stat_replication
ORDER BY 1
