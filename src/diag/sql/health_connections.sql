-- Client sessions by state. Without pg_read_all_stats other roles' sessions show NULL state and
-- backend_type (and "<insufficient privilege>"): counted as 'hidden'; background processes have no database.
SELECT coalesce(state, 'hidden') AS state,
       count(*) AS sessions,
       count(*) FILTER (WHERE application_name = 'wfctl') AS wfctl
FROM pg_stat_activity
WHERE backend_type = 'client backend' OR (backend_type IS NULL AND datname IS NOT NULL)
GROUP BY 1
ORDER BY 2 DESC, 1
