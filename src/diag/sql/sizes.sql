-- Tables (and materialized views) outside the system schemas by total size. (The seed
-- guide's version reads pg_tables, which misses partitioned tables and quotes nothing.)
SELECT n.nspname::text AS schema_name,
       c.relname::text AS table_name,
       pg_total_relation_size(c.oid) AS total_bytes,
       pg_relation_size(c.oid) AS table_bytes,
       pg_indexes_size(c.oid) AS index_bytes,
       coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) AS toast_bytes,
       -- never analysed: -1 from PostgreSQL 14, 0 with pages on disk before it; not a count
       CASE WHEN c.reltuples < 0 OR (c.reltuples = 0 AND pg_relation_size(c.oid) > 0) THEN NULL
            ELSE c.reltuples::bigint END AS rows_estimate
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
ORDER BY 3 DESC, 1, 2
