-- The columns of the installed pg_stat_statements view: their names changed in 1.8 (PG13)
-- and 1.11 (PG17), and the installed version need not match the server's.
SELECT a.attname::text AS name
FROM pg_attribute a
WHERE a.attrelid = to_regclass(quote_ident($1) || '.pg_stat_statements')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
