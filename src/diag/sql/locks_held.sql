-- The locks of the given sessions that say what they wait for and which workflow rows or
-- cases are involved: ungranted locks, table locks, row (tuple) locks and advisory locks.
-- {wait_seconds} is pg_locks.waitstart (PG14+) when the server has it.
SELECT l.pid,
       l.locktype::text AS lock_type,
       l.mode::text AS mode,
       l.granted,
       coalesce(n.nspname::text, '') AS schema_name,
       coalesce(c.relname::text, '') AS relation,
       l.page,
       l.tuple::int AS tuple,
       CASE WHEN l.locktype = 'advisory' AND l.objsubid = 1
            THEN (l.classid::bigint << 32) | l.objid::bigint END AS advisory_key,
       {wait_seconds} AS wait_seconds
FROM pg_locks l
LEFT JOIN pg_class c ON c.oid = l.relation
LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE l.pid = ANY($1)
  AND (l.database IS NULL OR l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
  AND (NOT l.granted OR l.locktype IN ('tuple', 'advisory')
       OR (l.locktype = 'relation' AND c.relkind IN ('r', 'p')))
ORDER BY l.pid, l.granted, l.locktype
