-- Estimated rows of the tables (pg_class.reltuples), to tell a big table from a small one.
SELECT c.relname::text AS table_name, greatest(c.reltuples, 0)::float8 AS rows
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
