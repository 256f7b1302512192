-- Sessions that wait for a lock or hold one somebody waits for (pg_blocking_pids: correct with
-- parallel queries, unlike the pg_locks self-join of the seed guide). A blocker pid of 0 is a
-- prepared transaction.
WITH s AS (
  SELECT a.pid,
         pg_blocking_pids(a.pid) AS blocked_by,
         coalesce(a.usename::text, '') AS role_name,
         coalesce(a.application_name, '') AS application,
         coalesce(host(a.client_addr), 'local') AS client,
         coalesce(a.state, a.backend_type, 'hidden') AS state,
         coalesce(a.wait_event_type || ':' || a.wait_event, '') AS wait_event,
         extract(epoch FROM now() - a.xact_start)::float8 AS xact_seconds,
         extract(epoch FROM now() - a.query_start)::float8 AS query_seconds,
         coalesce(a.query, '') AS query
  FROM pg_stat_activity a
  WHERE a.pid <> pg_backend_pid()
), blockers AS (SELECT DISTINCT unnest(blocked_by) AS pid FROM s)
SELECT s.* FROM s
WHERE cardinality(s.blocked_by) > 0 OR s.pid IN (SELECT pid FROM blockers)
ORDER BY s.pid
