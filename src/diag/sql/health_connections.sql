-- Client sessions by state. Without pg_read_all_stats other roles' sessions have a NULL state.
SELECT coalesce(state, 'hidden') AS state,
       count(*) AS sessions,
       count(*) FILTER (WHERE application_name = 'wfctl') AS wfctl
FROM pg_stat_activity
WHERE backend_type = 'client backend'
GROUP BY 1
ORDER BY 2 DESC, 1
