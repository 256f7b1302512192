-- Every index outside the system schemas, with what duplicate/redundancy/usage checks need.
-- (The seed guide's usage query reads tablename/indexname, which pg_stat_user_indexes does not
-- have: it has relname/indexrelname.)
SELECT n.nspname::text AS schema_name,
       t.relname::text AS table_name,
       c.relname::text AS index_name,
       i.indisunique AS is_unique,
       i.indisprimary AS is_primary,
       i.indisvalid AS is_valid,
       (con.oid IS NOT NULL) AS backs_constraint,
       pg_relation_size(c.oid) AS size_bytes,
       coalesce(s.idx_scan, 0) AS scans,
       coalesce(s.idx_tup_read, 0) AS tuples_read,
       coalesce(s.idx_tup_fetch, 0) AS tuples_fetched,
       am.amname::text AS method,
       array_to_string((i.indkey::int2[])[0:i.indnkeyatts - 1], ' ') AS key_attnums,
       array_to_string((i.indclass::oid[])[0:i.indnkeyatts - 1], ' ') AS key_opclasses,
       coalesce(pg_get_expr(i.indexprs, i.indrelid), '') AS expressions,
       coalesce(pg_get_expr(i.indpred, i.indrelid), '') AS predicate,
       coalesce((SELECT string_agg(coalesce(a.attname::text, 'expr'), ',' ORDER BY k.ord)
                 FROM unnest((i.indkey::int2[])[0:i.indnkeyatts - 1]) WITH ORDINALITY k(attnum, ord)
                 LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum), '')
         AS columns,
       pg_get_indexdef(c.oid) AS definition
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = c.relam
LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
ORDER BY 1, 2, 3
