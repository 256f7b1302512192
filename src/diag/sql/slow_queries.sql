-- Statements of this database from pg_stat_statements, most expensive first.
-- {view} {total} {mean} {read_time} {toplevel} {order} are filled from the catalog: the
-- column names depend on the installed extension version (total_time before 1.8,
-- shared_blk_read_time from 1.11), the view on the schema it is installed in.
WITH s AS (
  SELECT queryid::text AS query_id, query, calls, {total} AS total_ms, {mean} AS mean_ms,
         rows, shared_blks_hit, shared_blks_read, {read_time} AS read_ms
  FROM {view}
  WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) {toplevel}
), total AS (SELECT nullif(sum(total_ms), 0) AS ms FROM s)
SELECT s.query_id,
       coalesce(s.query, '') AS query,
       s.calls::bigint AS calls,
       s.total_ms::float8 AS total_ms,
       s.mean_ms::float8 AS mean_ms,
       coalesce(100 * s.total_ms / total.ms, 0)::float8 AS share_percent,
       s.rows::bigint AS rows,
       (s.shared_blks_hit::float8 / nullif(s.shared_blks_hit + s.shared_blks_read, 0) * 100)::float8
         AS cache_hit_percent,
       s.read_ms::float8 AS read_ms
FROM s, total
ORDER BY {order} DESC
LIMIT $1
