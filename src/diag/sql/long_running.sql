-- The seed guide's long-running query, made safe: not this session, NULL start times and
-- states (other roles without pg_read_all_stats) excluded, idle-in-transaction sessions judged
-- by their transaction's age (what holds locks and stops vacuum), oldest first.
SELECT pid,
       coalesce(datname::text, '') AS database,
       coalesce(usename::text, '') AS role_name,
       coalesce(application_name, '') AS application,
       coalesce(host(client_addr), 'local') AS client,
       coalesce(backend_type, '') AS backend_type,
       state,
       coalesce(wait_event_type || ':' || wait_event, '') AS wait_event,
       extract(epoch FROM now() - CASE WHEN state = 'active' THEN query_start ELSE xact_start END)::float8
         AS age_seconds,
       extract(epoch FROM now() - xact_start)::float8 AS xact_seconds,
       extract(epoch FROM now() - state_change)::float8 AS state_seconds,
       coalesce(age(backend_xmin)::bigint, 0) AS xmin_age,
       coalesce(query, '') AS query
FROM pg_stat_activity
WHERE pid <> pg_backend_pid()
  AND state IS NOT NULL
  AND ((state = 'active' AND query_start IS NOT NULL AND query_start < now() - make_interval(secs => $1))
    OR (state LIKE 'idle in transaction%' AND xact_start IS NOT NULL
        AND xact_start < now() - make_interval(secs => $1)))
ORDER BY age_seconds DESC
