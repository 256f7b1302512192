-- How many statements this database has in pg_stat_statements, how many the role cannot read.
SELECT count(*) AS statements,
       count(*) FILTER (WHERE query = '<insufficient privilege>') AS hidden,
       coalesce(sum({total}), 0)::float8 AS total_ms
FROM {view}
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) {toplevel}
