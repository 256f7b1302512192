-- Tables read mostly by sequential scans (PgHero's rule: under 95% of scans by index on a
-- table of 10,000+ rows).
SELECT schemaname::text AS schema_name,
       relname::text AS table_name,
       coalesce(seq_scan, 0) AS seq_scans,
       coalesce(seq_tup_read, 0) AS seq_rows_read,
       coalesce(idx_scan, 0) AS index_scans,
       coalesce(n_live_tup, 0) AS live_rows
FROM pg_stat_user_tables
WHERE coalesce(n_live_tup, 0) >= $1
  AND coalesce(seq_scan, 0) > 0
  AND coalesce(idx_scan, 0) < 0.95 * (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))
ORDER BY seq_tup_read DESC NULLS LAST
