-- One session, described before it is terminated.
SELECT pid, coalesce(usename::text, '') AS role_name, coalesce(application_name, '') AS application,
       coalesce(state, 'hidden') AS state, coalesce(datname::text, '') AS database,
       coalesce(query, '') AS query
FROM pg_stat_activity
WHERE pid = $1
